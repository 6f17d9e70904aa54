-- CreateEnum
CREATE TYPE "inventory"."AllocationRequestStatus" AS ENUM ('OPEN', 'FILLED', 'RELEASED');

-- CreateEnum
CREATE TYPE "platform"."CrossReferenceKind" AS ENUM ('PRODUCT', 'LOCATION', 'CUSTOMER', 'UNIT', 'STATUS', 'TIME_ZONE', 'DATE_QUALIFIER');

-- CreateEnum
CREATE TYPE "orders"."BuyerPricePolicy" AS ENUM ('ACCEPT_WITH_WARNING', 'HOLD');

-- AlterEnum (earlier statuses map onto the new lifecycle: PENDING and CONFIRMED -> ACCEPTED, ON_HOLD -> CREDIT_HOLD)
BEGIN;
CREATE TYPE "orders"."OrderStatus_new" AS ENUM ('CREDIT_HOLD', 'PRICE_HOLD', 'ACCEPTED', 'BACKORDERED', 'PARTIALLY_ALLOCATED', 'ALLOCATED', 'RELEASED', 'PARTIALLY_SHIPPED', 'SHIPPED', 'INVOICED', 'CLOSED', 'CANCELLED', 'REJECTED');
ALTER TABLE "orders"."Order" ALTER COLUMN "status" TYPE "orders"."OrderStatus_new" USING ((CASE "status"::text WHEN 'PENDING' THEN 'ACCEPTED' WHEN 'CONFIRMED' THEN 'ACCEPTED' WHEN 'ON_HOLD' THEN 'CREDIT_HOLD' ELSE "status"::text END)::"orders"."OrderStatus_new");
ALTER TABLE "orders"."OrderStatusChange" ALTER COLUMN "fromStatus" TYPE "orders"."OrderStatus_new" USING ((CASE "fromStatus"::text WHEN 'PENDING' THEN 'ACCEPTED' WHEN 'CONFIRMED' THEN 'ACCEPTED' WHEN 'ON_HOLD' THEN 'CREDIT_HOLD' ELSE "fromStatus"::text END)::"orders"."OrderStatus_new");
ALTER TABLE "orders"."OrderStatusChange" ALTER COLUMN "toStatus" TYPE "orders"."OrderStatus_new" USING ((CASE "toStatus"::text WHEN 'PENDING' THEN 'ACCEPTED' WHEN 'CONFIRMED' THEN 'ACCEPTED' WHEN 'ON_HOLD' THEN 'CREDIT_HOLD' ELSE "toStatus"::text END)::"orders"."OrderStatus_new");
ALTER TYPE "orders"."OrderStatus" RENAME TO "OrderStatus_old";
ALTER TYPE "orders"."OrderStatus_new" RENAME TO "OrderStatus";
DROP TYPE "orders"."OrderStatus_old";
COMMIT;

-- CreateTable
CREATE TABLE "platform"."CrossReference" (
    "kind" "platform"."CrossReferenceKind" NOT NULL,
    "system" TEXT NOT NULL,
    "externalValue" TEXT NOT NULL,
    "canonicalId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CrossReference_pkey" PRIMARY KEY ("kind","system","externalValue")
);

-- Product and Location identifiers in source systems become cross-references (kept, not lost).
INSERT INTO "platform"."CrossReference" ("kind", "system", "externalValue", "canonicalId", "updatedAt")
SELECT 'PRODUCT', r->>'system', r->>'value', p."sku", now()
FROM "inventory"."Product" p, jsonb_array_elements(p."externalRefs") r
WHERE r->>'system' IS NOT NULL AND r->>'value' IS NOT NULL
ON CONFLICT DO NOTHING;
INSERT INTO "platform"."CrossReference" ("kind", "system", "externalValue", "canonicalId", "updatedAt")
SELECT 'LOCATION', r->>'system', r->>'value', l."id", now()
FROM "inventory"."Location" l, jsonb_array_elements(l."externalRefs") r
WHERE r->>'system' IS NOT NULL AND r->>'value' IS NOT NULL
ON CONFLICT DO NOTHING;

-- AlterTable
ALTER TABLE "inventory"."Location" DROP COLUMN "externalRefs";

-- AlterTable
ALTER TABLE "inventory"."Product" DROP COLUMN "externalRefs",
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "orders"."Order" ADD COLUMN     "capture" JSONB,
ADD COLUMN     "idempotencyKey" TEXT,
ADD COLUMN     "requestHash" TEXT,
ADD COLUMN     "requestedDeliveryDate" DATE,
ADD COLUMN     "shipFromPreference" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "shipToGln" TEXT,
ALTER COLUMN "businessUnitId" DROP NOT NULL;

-- AlterTable
ALTER TABLE "orders"."OrderLine" ADD COLUMN     "buyerUnitPrice" DECIMAL(14,4),
ADD COLUMN     "customerPartNumber" TEXT,
ADD COLUMN     "gtin" TEXT,
ADD COLUMN     "priceSource" TEXT,
ADD COLUMN     "quantityBackordered" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "requestedDate" DATE;

-- AlterTable
ALTER TABLE "orders"."OrderStatusChange" RENAME COLUMN "note" TO "reason";
ALTER TABLE "orders"."OrderStatusChange" ADD COLUMN     "correlationId" TEXT;

-- CreateTable
CREATE TABLE "inventory"."AllocationRequest" (
    "lineId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "unitFactor" INTEGER NOT NULL,
    "quantity" INTEGER NOT NULL,
    "allocated" INTEGER NOT NULL DEFAULT 0,
    "status" "inventory"."AllocationRequestStatus" NOT NULL DEFAULT 'OPEN',
    "shipFrom" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "requestedAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AllocationRequest_pkey" PRIMARY KEY ("lineId")
);

-- CreateTable
CREATE TABLE "inventory"."Allocation" (
    "lineId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,

    CONSTRAINT "Allocation_pkey" PRIMARY KEY ("lineId","locationId")
);

-- CreateTable
CREATE TABLE "inventory"."ExpectedReceipt" (
    "reference" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "expectedDate" DATE NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ExpectedReceipt_pkey" PRIMARY KEY ("reference","sku","locationId")
);

-- CreateTable
CREATE TABLE "orders"."PriceListEntry" (
    "priceList" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "unitPrice" DECIMAL(14,4) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PriceListEntry_pkey" PRIMARY KEY ("priceList","sku","unit","currency")
);

-- CreateTable
CREATE TABLE "orders"."CustomerOrderSettings" (
    "customerId" TEXT NOT NULL,
    "buyerPricePolicy" "orders"."BuyerPricePolicy" NOT NULL DEFAULT 'ACCEPT_WITH_WARNING',
    "priceTolerancePercent" DECIMAL(6,3) NOT NULL DEFAULT 0,
    "shipFromLocationIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CustomerOrderSettings_pkey" PRIMARY KEY ("customerId")
);

-- CreateTable
CREATE TABLE "orders"."CatalogItem" (
    "sku" TEXT NOT NULL,
    "gtin" TEXT,
    "description" TEXT NOT NULL,
    "baseUnit" TEXT NOT NULL,
    "conversions" JSONB NOT NULL DEFAULT '[]',
    "lastSequence" BIGINT NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CatalogItem_pkey" PRIMARY KEY ("sku")
);

-- CreateIndex
CREATE INDEX "AllocationRequest_sku_status_requestedAt_idx" ON "inventory"."AllocationRequest"("sku", "status", "requestedAt");

-- CreateIndex
CREATE INDEX "AllocationRequest_orderId_idx" ON "inventory"."AllocationRequest"("orderId");

-- CreateIndex
CREATE INDEX "Allocation_sku_locationId_idx" ON "inventory"."Allocation"("sku", "locationId");

-- CreateIndex
CREATE INDEX "Allocation_orderId_idx" ON "inventory"."Allocation"("orderId");

-- CreateIndex
CREATE INDEX "ExpectedReceipt_sku_expectedDate_idx" ON "inventory"."ExpectedReceipt"("sku", "expectedDate");

-- CreateIndex
CREATE INDEX "CrossReference_kind_canonicalId_idx" ON "platform"."CrossReference"("kind", "canonicalId");

-- CreateIndex
CREATE INDEX "PriceListEntry_sku_idx" ON "orders"."PriceListEntry"("sku");

-- CreateIndex
CREATE INDEX "CatalogItem_gtin_idx" ON "orders"."CatalogItem"("gtin");

-- CreateIndex
CREATE UNIQUE INDEX "Order_idempotencyKey_key" ON "orders"."Order"("idempotencyKey");

-- Code lists that used to be hard-coded in the adapters, now rows anyone can extend.
INSERT INTO "platform"."CrossReference" ("kind", "system", "externalValue", "canonicalId", "updatedAt") VALUES
  ('UNIT', 'X12', 'EA', 'EA', now()), ('UNIT', 'X12', 'UN', 'EA', now()), ('UNIT', 'X12', 'PC', 'EA', now()),
  ('UNIT', 'X12', 'CA', 'CS', now()), ('UNIT', 'X12', 'CS', 'CS', now()), ('UNIT', 'X12', 'PL', 'PL', now()), ('UNIT', 'X12', 'PF', 'PL', now()),
  ('UNIT', 'EDIFACT', 'C62', 'EA', now()), ('UNIT', 'EDIFACT', 'PCE', 'EA', now()), ('UNIT', 'EDIFACT', 'EA', 'EA', now()),
  ('UNIT', 'EDIFACT', 'CS', 'CS', now()), ('UNIT', 'EDIFACT', 'CT', 'CS', now()), ('UNIT', 'EDIFACT', 'PF', 'PL', now()),
  ('UNIT', 'SHOPIFY', 'EACH', 'EA', now()),
  ('UNIT', 'WMS', 'EACH', 'EA', now()), ('UNIT', 'WMS', 'PCS', 'EA', now()), ('UNIT', 'WMS', 'CASE', 'CS', now()), ('UNIT', 'WMS', 'PALLET', 'PL', now()),
  ('TIME_ZONE', 'X12', 'UT', '+00:00', now()), ('TIME_ZONE', 'X12', 'GM', '+00:00', now()),
  ('TIME_ZONE', 'X12', 'ET', '-05:00', now()), ('TIME_ZONE', 'X12', 'ES', '-05:00', now()), ('TIME_ZONE', 'X12', 'ED', '-04:00', now()),
  ('TIME_ZONE', 'X12', 'CT', '-06:00', now()), ('TIME_ZONE', 'X12', 'CS', '-06:00', now()), ('TIME_ZONE', 'X12', 'CD', '-05:00', now()),
  ('TIME_ZONE', 'X12', 'MT', '-07:00', now()), ('TIME_ZONE', 'X12', 'MS', '-07:00', now()), ('TIME_ZONE', 'X12', 'MD', '-06:00', now()),
  ('TIME_ZONE', 'X12', 'PT', '-08:00', now()), ('TIME_ZONE', 'X12', 'PS', '-08:00', now()), ('TIME_ZONE', 'X12', 'PD', '-07:00', now()),
  ('TIME_ZONE', 'EDIFACT', 'UTC', '+00:00', now()), ('TIME_ZONE', 'EDIFACT', 'GMT', '+00:00', now()), ('TIME_ZONE', 'EDIFACT', 'CET', '+01:00', now()),
  ('DATE_QUALIFIER', 'X12', '002', 'REQUESTED_DELIVERY', now()), ('DATE_QUALIFIER', 'X12', '010', 'REQUESTED_SHIP', now()),
  ('DATE_QUALIFIER', 'X12', '037', 'SHIP_NOT_BEFORE', now()), ('DATE_QUALIFIER', 'X12', '038', 'SHIP_NO_LATER', now()),
  ('DATE_QUALIFIER', 'X12', '063', 'DELIVER_NO_LATER', now()), ('DATE_QUALIFIER', 'X12', '064', 'DELIVER_NOT_BEFORE', now()),
  ('DATE_QUALIFIER', 'X12', '405', 'AS_OF', now()),
  ('DATE_QUALIFIER', 'EDIFACT', '2', 'REQUESTED_DELIVERY', now()), ('DATE_QUALIFIER', 'EDIFACT', '10', 'REQUESTED_SHIP', now()),
  ('DATE_QUALIFIER', 'EDIFACT', '137', 'DOCUMENT', now()), ('DATE_QUALIFIER', 'EDIFACT', '63', 'DELIVER_NO_LATER', now()),
  ('DATE_QUALIFIER', 'EDIFACT', '64', 'DELIVER_NOT_BEFORE', now()),
  ('STATUS', 'X12:BEG01', '00', 'ORIGINAL', now()), ('STATUS', 'X12:BEG01', '01', 'CANCELLATION', now()),
  ('STATUS', 'X12:BEG01', '05', 'REPLACE', now()), ('STATUS', 'X12:BEG01', '06', 'CONFIRMATION', now()),
  ('STATUS', 'EDIFACT:1225', '9', 'ORIGINAL', now()), ('STATUS', 'EDIFACT:1225', '1', 'CANCELLATION', now()),
  ('STATUS', 'EDIFACT:1225', '5', 'REPLACE', now())
ON CONFLICT DO NOTHING;

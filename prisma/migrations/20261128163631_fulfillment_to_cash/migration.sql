-- CreateEnum
CREATE TYPE "platform"."DeliveryState" AS ENUM ('PENDING', 'DELIVERED', 'FAILED');

-- CreateEnum
CREATE TYPE "orders"."ReturnStatus" AS ENUM ('AUTHORIZED', 'PARTIALLY_RECEIVED', 'RECEIVED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "shipments"."WarehouseOrderFormat" AS ENUM ('X12_940', 'WMS_JSON');

-- CreateEnum
CREATE TYPE "shipments"."WarehouseOrderStatus" AS ENUM ('RELEASED', 'PARTIALLY_SHIPPED', 'SHIPPED', 'CANCELLED');

-- DropIndex
DROP INDEX "finance"."Invoice_shipmentId_idx";

-- AlterTable
ALTER TABLE "finance"."Customer" ADD COLUMN     "taxRate" DECIMAL(6,4) NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "orders"."Order" ADD COLUMN     "releases" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "orders"."OrderLine" ADD COLUMN     "allocatedAt" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "quantityReleased" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "quantityReturned" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "shipments"."Shipment" ADD COLUMN     "consignment" TEXT,
ADD COLUMN     "overShipped" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'api',
ADD COLUMN     "sourceKey" TEXT,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "warehouseOrderId" TEXT;

-- AlterTable
ALTER TABLE "shipments"."ShipmentLine" ADD COLUMN     "lineNumber" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lots" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "quantityOrdered" INTEGER;

-- CreateTable
CREATE TABLE "platform"."DocumentDelivery" (
    "id" TEXT NOT NULL,
    "documentId" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "state" "platform"."DeliveryState" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DocumentDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orders"."OrderLineShipment" (
    "shipmentId" TEXT NOT NULL,
    "orderLineId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "invoiceId" TEXT,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrderLineShipment_pkey" PRIMARY KEY ("shipmentId","orderLineId")
);

-- CreateTable
CREATE TABLE "orders"."ReturnAuthorization" (
    "id" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "status" "orders"."ReturnStatus" NOT NULL DEFAULT 'AUTHORIZED',
    "reason" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ReturnAuthorization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orders"."ReturnLine" (
    "returnId" TEXT NOT NULL,
    "lineNumber" INTEGER NOT NULL,
    "orderLineId" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "unitFactor" INTEGER NOT NULL,
    "unitPrice" DECIMAL(14,4) NOT NULL,
    "quantity" INTEGER NOT NULL,
    "restocked" INTEGER NOT NULL DEFAULT 0,
    "damaged" INTEGER NOT NULL DEFAULT 0,
    "qualityHold" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ReturnLine_pkey" PRIMARY KEY ("returnId","lineNumber")
);

-- CreateTable
CREATE TABLE "shipments"."WarehouseEndpoint" (
    "locationId" TEXT NOT NULL,
    "format" "shipments"."WarehouseOrderFormat" NOT NULL,
    "partner" TEXT,
    "deliverTo" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "WarehouseEndpoint_pkey" PRIMARY KEY ("locationId")
);

-- CreateTable
CREATE TABLE "shipments"."WarehouseOrder" (
    "id" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderNumber" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "customerPo" TEXT,
    "locationId" TEXT NOT NULL,
    "release" INTEGER NOT NULL,
    "format" "shipments"."WarehouseOrderFormat" NOT NULL,
    "status" "shipments"."WarehouseOrderStatus" NOT NULL DEFAULT 'RELEASED',
    "shipTo" JSONB NOT NULL,
    "documentId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WarehouseOrder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shipments"."WarehouseOrderLine" (
    "warehouseOrderId" TEXT NOT NULL,
    "lineNumber" INTEGER NOT NULL,
    "orderLineId" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "gtin" TEXT,
    "customerPartNumber" TEXT,
    "partnerIds" JSONB NOT NULL DEFAULT '[]',
    "description" TEXT,
    "unit" TEXT NOT NULL,
    "unitFactor" INTEGER NOT NULL,
    "quantity" INTEGER NOT NULL,
    "quantityShipped" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "WarehouseOrderLine_pkey" PRIMARY KEY ("warehouseOrderId","lineNumber")
);

-- CreateIndex
CREATE INDEX "DocumentDelivery_state_nextAttemptAt_idx" ON "platform"."DocumentDelivery"("state", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "DocumentDelivery_documentId_target_key" ON "platform"."DocumentDelivery"("documentId", "target");

-- CreateIndex
CREATE INDEX "OrderLineShipment_orderId_idx" ON "orders"."OrderLineShipment"("orderId");

-- CreateIndex
CREATE UNIQUE INDEX "ReturnAuthorization_number_key" ON "orders"."ReturnAuthorization"("number");

-- CreateIndex
CREATE INDEX "ReturnAuthorization_orderId_idx" ON "orders"."ReturnAuthorization"("orderId");

-- CreateIndex
CREATE INDEX "ReturnLine_orderLineId_idx" ON "orders"."ReturnLine"("orderLineId");

-- CreateIndex
CREATE UNIQUE INDEX "WarehouseOrder_number_key" ON "shipments"."WarehouseOrder"("number");

-- CreateIndex
CREATE INDEX "WarehouseOrder_orderId_idx" ON "shipments"."WarehouseOrder"("orderId");

-- CreateIndex
CREATE INDEX "WarehouseOrder_customerPo_idx" ON "shipments"."WarehouseOrder"("customerPo");

-- CreateIndex
CREATE UNIQUE INDEX "WarehouseOrder_orderId_locationId_release_key" ON "shipments"."WarehouseOrder"("orderId", "locationId", "release");

-- CreateIndex
CREATE UNIQUE INDEX "Invoice_shipmentId_key" ON "finance"."Invoice"("shipmentId");

-- CreateIndex
CREATE UNIQUE INDEX "Shipment_sourceKey_key" ON "shipments"."Shipment"("sourceKey");

-- AddForeignKey
ALTER TABLE "orders"."ReturnLine" ADD CONSTRAINT "ReturnLine_returnId_fkey" FOREIGN KEY ("returnId") REFERENCES "orders"."ReturnAuthorization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shipments"."WarehouseOrderLine" ADD CONSTRAINT "WarehouseOrderLine_warehouseOrderId_fkey" FOREIGN KEY ("warehouseOrderId") REFERENCES "shipments"."WarehouseOrder"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Carrier status codes (X12 214 AT701, code list 1650) -> shipment milestones, as mapping rows:
-- an operator adds or changes a code with upsertCrossReferences, no release needed.
INSERT INTO "platform"."CrossReference" ("kind", "system", "externalValue", "canonicalId", "updatedAt") VALUES
  ('STATUS', 'X12:AT701', 'AF', 'PICKED_UP', now()), ('STATUS', 'X12:AT701', 'CP', 'PICKED_UP', now()),
  ('STATUS', 'X12:AT701', 'P1', 'IN_TRANSIT', now()), ('STATUS', 'X12:AT701', 'X4', 'IN_TRANSIT', now()),
  ('STATUS', 'X12:AT701', 'X6', 'IN_TRANSIT', now()), ('STATUS', 'X12:AT701', 'J1', 'IN_TRANSIT', now()),
  ('STATUS', 'X12:AT701', 'X1', 'OUT_FOR_DELIVERY', now()), ('STATUS', 'X12:AT701', 'AV', 'OUT_FOR_DELIVERY', now()),
  ('STATUS', 'X12:AT701', 'D1', 'DELIVERED', now()),
  ('STATUS', 'X12:AT701', 'A7', 'EXCEPTION', now()), ('STATUS', 'X12:AT701', 'A9', 'EXCEPTION', now()),
  ('STATUS', 'X12:AT701', 'AP', 'EXCEPTION', now()), ('STATUS', 'X12:AT701', 'SD', 'EXCEPTION', now())
ON CONFLICT DO NOTHING;

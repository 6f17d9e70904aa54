-- AlterTable
ALTER TABLE "orders"."Order" ADD COLUMN     "partnerContext" JSONB,
ADD COLUMN     "sourceMessageId" TEXT,
ADD COLUMN     "sourceUpdatedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "orders"."OrderLine" ADD COLUMN     "deliverTo" TEXT;

-- CreateTable
CREATE TABLE "platform"."OutboundDocument" (
    "id" TEXT NOT NULL,
    "documentKey" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "standard" TEXT NOT NULL,
    "partner" TEXT NOT NULL,
    "controlNumber" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "orderId" TEXT,
    "inboundMessageIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutboundDocument_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "platform"."PartnerControlNumber" (
    "partner" TEXT NOT NULL,
    "last" BIGINT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PartnerControlNumber_pkey" PRIMARY KEY ("partner")
);

-- CreateTable
CREATE TABLE "orders"."CreditReservation" (
    "orderKey" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CreditReservation_pkey" PRIMARY KEY ("orderKey")
);

-- CreateTable
CREATE TABLE "orders"."OrderCharge" (
    "id" BIGSERIAL NOT NULL,
    "orderId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "code" TEXT,
    "description" TEXT,
    "amount" DECIMAL(14,4) NOT NULL,
    "lineNumber" INTEGER,

    CONSTRAINT "OrderCharge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "OutboundDocument_documentKey_key" ON "platform"."OutboundDocument"("documentKey");

-- CreateIndex
CREATE INDEX "OutboundDocument_orderId_idx" ON "platform"."OutboundDocument"("orderId");

-- CreateIndex
CREATE INDEX "OutboundDocument_inboundMessageIds_idx" ON "platform"."OutboundDocument" USING GIN ("inboundMessageIds");

-- CreateIndex
CREATE UNIQUE INDEX "OutboundDocument_partner_controlNumber_key" ON "platform"."OutboundDocument"("partner", "controlNumber");

-- CreateIndex
CREATE INDEX "CreditReservation_customerId_currency_idx" ON "orders"."CreditReservation"("customerId", "currency");

-- CreateIndex
CREATE INDEX "OrderCharge_orderId_idx" ON "orders"."OrderCharge"("orderId");

-- CreateIndex
CREATE INDEX "Order_sourceMessageId_idx" ON "orders"."Order"("sourceMessageId");

-- AddForeignKey
ALTER TABLE "orders"."OrderCharge" ADD CONSTRAINT "OrderCharge_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "orders"."Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- More code rows the channel adapters read (X12 850, EDIFACT ORDERS, Shopify).
INSERT INTO "platform"."CrossReference" ("kind", "system", "externalValue", "canonicalId", "updatedAt") VALUES
  ('DATE_QUALIFIER', 'X12', '001', 'CANCEL_AFTER', now()), ('DATE_QUALIFIER', 'X12', '004', 'PURCHASE_ORDER', now()),
  ('DATE_QUALIFIER', 'X12', '017', 'ESTIMATED_DELIVERY', now()), ('DATE_QUALIFIER', 'X12', '068', 'REQUESTED_SHIP', now()),
  ('DATE_QUALIFIER', 'EDIFACT', '4', 'PURCHASE_ORDER', now()), ('DATE_QUALIFIER', 'EDIFACT', '61', 'CANCEL_AFTER', now()),
  ('DATE_QUALIFIER', 'EDIFACT', '200', 'REQUESTED_SHIP', now()), ('DATE_QUALIFIER', 'EDIFACT', '69', 'ESTIMATED_DELIVERY', now()),
  ('TIME_ZONE', 'EDIFACT', 'CEST', '+02:00', now()), ('TIME_ZONE', 'EDIFACT', 'EST', '-05:00', now()),
  ('STATUS', 'EDIFACT:1225', '31', 'COPY', now()), ('STATUS', 'EDIFACT:1225', '3', 'DELETION', now()),
  ('STATUS', 'X12:BEG01', '07', 'DUPLICATE', now())
ON CONFLICT DO NOTHING;

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "finance";

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "inventory";

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "orders";

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "shipments";

-- CreateEnum
CREATE TYPE "finance"."ErpSystem" AS ENUM ('SAP_ECC', 'NETSUITE', 'DYNAMICS_365', 'ORACLE_FUSION');

-- CreateEnum
CREATE TYPE "finance"."ErpDeployment" AS ENUM ('ON_PREMISE', 'CLOUD');

-- CreateEnum
CREATE TYPE "finance"."InvoiceStatus" AS ENUM ('DRAFT', 'OPEN', 'PAID', 'VOID');

-- CreateEnum
CREATE TYPE "finance"."PostingStatus" AS ENUM ('PENDING', 'POSTED', 'FAILED');

-- CreateEnum
CREATE TYPE "finance"."AdjustmentKind" AS ENUM ('CHARGE', 'ALLOWANCE');

-- CreateEnum
CREATE TYPE "inventory"."LocationKind" AS ENUM ('REGION', 'SITE', 'WAREHOUSE', 'ZONE');

-- CreateEnum
CREATE TYPE "orders"."OrderChannel" AS ENUM ('EDI', 'COMMERCE', 'PORTAL', 'B2B_API', 'MARKETPLACE');

-- CreateEnum
CREATE TYPE "orders"."OrderStatus" AS ENUM ('PENDING', 'CONFIRMED', 'ALLOCATED', 'PARTIALLY_SHIPPED', 'SHIPPED', 'INVOICED', 'CANCELLED', 'ON_HOLD');

-- CreateEnum
CREATE TYPE "shipments"."ShipmentStatus" AS ENUM ('PLANNED', 'PICKED', 'SHIPPED', 'IN_TRANSIT', 'DELIVERED', 'EXCEPTION');

-- CreateEnum
CREATE TYPE "shipments"."MilestoneCode" AS ENUM ('PICKED', 'PACKED', 'PICKED_UP', 'IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED', 'EXCEPTION');

-- CreateTable
CREATE TABLE "finance"."BusinessUnit" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "erpSystem" "finance"."ErpSystem" NOT NULL,
    "erpInstance" TEXT NOT NULL,
    "deployment" "finance"."ErpDeployment" NOT NULL,
    "currency" CHAR(3) NOT NULL,

    CONSTRAINT "BusinessUnit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "finance"."Customer" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "businessUnitId" TEXT NOT NULL,
    "creditLimit" DECIMAL(14,2) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "paymentTerms" TEXT NOT NULL,
    "termsDays" INTEGER NOT NULL,
    "creditHold" BOOLEAN NOT NULL DEFAULT false,
    "gln" TEXT,
    "externalRefs" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "finance"."Invoice" (
    "id" TEXT NOT NULL,
    "invoiceNumber" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "shipmentId" TEXT,
    "customerId" TEXT NOT NULL,
    "businessUnitId" TEXT NOT NULL,
    "status" "finance"."InvoiceStatus" NOT NULL,
    "postingStatus" "finance"."PostingStatus" NOT NULL,
    "erpDocumentNumber" TEXT,
    "postedAt" TIMESTAMPTZ(3),
    "invoiceDate" DATE NOT NULL,
    "dueDate" DATE NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "subtotal" DECIMAL(14,2) NOT NULL,
    "chargesTotal" DECIMAL(14,2) NOT NULL,
    "allowancesTotal" DECIMAL(14,2) NOT NULL,
    "taxRate" DECIMAL(6,4) NOT NULL,
    "taxTotal" DECIMAL(14,2) NOT NULL,
    "total" DECIMAL(14,2) NOT NULL,
    "amountPaid" DECIMAL(14,2) NOT NULL DEFAULT 0,

    CONSTRAINT "Invoice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "finance"."InvoiceLine" (
    "id" TEXT NOT NULL,
    "invoiceId" TEXT NOT NULL,
    "lineNumber" INTEGER NOT NULL,
    "orderLineId" TEXT,
    "sku" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unit" TEXT NOT NULL,
    "unitPrice" DECIMAL(14,4) NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,

    CONSTRAINT "InvoiceLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "finance"."InvoiceAdjustment" (
    "id" TEXT NOT NULL,
    "invoiceId" TEXT NOT NULL,
    "kind" "finance"."AdjustmentKind" NOT NULL,
    "code" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,

    CONSTRAINT "InvoiceAdjustment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inventory"."Product" (
    "sku" TEXT NOT NULL,
    "gtin" TEXT,
    "description" TEXT NOT NULL,
    "baseUnit" TEXT NOT NULL,
    "brand" TEXT,
    "category" TEXT,
    "externalRefs" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Product_pkey" PRIMARY KEY ("sku")
);

-- CreateTable
CREATE TABLE "inventory"."UnitConversion" (
    "sku" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "factor" INTEGER NOT NULL,

    CONSTRAINT "UnitConversion_pkey" PRIMARY KEY ("sku","unit")
);

-- CreateTable
CREATE TABLE "inventory"."Location" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "inventory"."LocationKind" NOT NULL,
    "parentId" TEXT,
    "gln" TEXT,
    "externalRefs" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "Location_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inventory"."InventoryPosition" (
    "sku" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "onHand" INTEGER NOT NULL DEFAULT 0,
    "allocated" INTEGER NOT NULL DEFAULT 0,
    "reserved" INTEGER NOT NULL DEFAULT 0,
    "damaged" INTEGER NOT NULL DEFAULT 0,
    "qualityHold" INTEGER NOT NULL DEFAULT 0,
    "safetyStock" INTEGER NOT NULL DEFAULT 0,
    "inbound" INTEGER NOT NULL DEFAULT 0,
    "asOf" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "InventoryPosition_pkey" PRIMARY KEY ("sku","locationId")
);

-- CreateTable
CREATE TABLE "orders"."Order" (
    "id" TEXT NOT NULL,
    "orderNumber" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "customerPo" TEXT,
    "channel" "orders"."OrderChannel" NOT NULL,
    "businessUnitId" TEXT NOT NULL,
    "status" "orders"."OrderStatus" NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "placedAt" TIMESTAMPTZ(3) NOT NULL,
    "requestedShipDate" DATE,
    "shipToLocationId" TEXT,
    "shipToName" TEXT,
    "shipToAddress" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orders"."OrderLine" (
    "id" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "lineNumber" INTEGER NOT NULL,
    "sku" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "unitFactor" INTEGER NOT NULL,
    "baseUnit" TEXT NOT NULL,
    "unitPrice" DECIMAL(14,4) NOT NULL,
    "quantityOrdered" INTEGER NOT NULL,
    "quantityAllocated" INTEGER NOT NULL DEFAULT 0,
    "quantityShipped" INTEGER NOT NULL DEFAULT 0,
    "quantityInvoiced" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "OrderLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orders"."OrderExternalRef" (
    "orderId" TEXT NOT NULL,
    "system" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "OrderExternalRef_pkey" PRIMARY KEY ("orderId","system")
);

-- CreateTable
CREATE TABLE "orders"."OrderStatusChange" (
    "id" BIGSERIAL NOT NULL,
    "orderId" TEXT NOT NULL,
    "fromStatus" "orders"."OrderStatus",
    "toStatus" "orders"."OrderStatus" NOT NULL,
    "changedAt" TIMESTAMPTZ(3) NOT NULL,
    "source" TEXT NOT NULL,
    "note" TEXT,

    CONSTRAINT "OrderStatusChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shipments"."Shipment" (
    "id" TEXT NOT NULL,
    "shipmentNumber" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "shipFromLocationId" TEXT NOT NULL,
    "carrierScac" TEXT NOT NULL,
    "carrierName" TEXT NOT NULL,
    "serviceLevel" TEXT NOT NULL,
    "trackingNumber" TEXT,
    "status" "shipments"."ShipmentStatus" NOT NULL,
    "shippedAt" TIMESTAMPTZ(3),
    "estimatedDelivery" TIMESTAMPTZ(3),
    "deliveredAt" TIMESTAMPTZ(3),
    "externalRefs" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "Shipment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shipments"."Package" (
    "id" TEXT NOT NULL,
    "shipmentId" TEXT NOT NULL,
    "sscc" TEXT NOT NULL,
    "trackingNumber" TEXT,
    "weightKg" DECIMAL(10,3) NOT NULL,

    CONSTRAINT "Package_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shipments"."ShipmentLine" (
    "id" TEXT NOT NULL,
    "shipmentId" TEXT NOT NULL,
    "packageId" TEXT,
    "orderLineId" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unit" TEXT NOT NULL,

    CONSTRAINT "ShipmentLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shipments"."Milestone" (
    "id" TEXT NOT NULL,
    "shipmentId" TEXT NOT NULL,
    "code" "shipments"."MilestoneCode" NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "location" TEXT,
    "source" TEXT NOT NULL,
    "note" TEXT,

    CONSTRAINT "Milestone_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Customer_businessUnitId_idx" ON "finance"."Customer"("businessUnitId");

-- CreateIndex
CREATE UNIQUE INDEX "Invoice_invoiceNumber_key" ON "finance"."Invoice"("invoiceNumber");

-- CreateIndex
CREATE INDEX "Invoice_orderId_idx" ON "finance"."Invoice"("orderId");

-- CreateIndex
CREATE INDEX "Invoice_shipmentId_idx" ON "finance"."Invoice"("shipmentId");

-- CreateIndex
CREATE INDEX "Invoice_customerId_idx" ON "finance"."Invoice"("customerId");

-- CreateIndex
CREATE INDEX "Invoice_status_idx" ON "finance"."Invoice"("status");

-- CreateIndex
CREATE UNIQUE INDEX "InvoiceLine_invoiceId_lineNumber_key" ON "finance"."InvoiceLine"("invoiceId", "lineNumber");

-- CreateIndex
CREATE INDEX "InvoiceAdjustment_invoiceId_idx" ON "finance"."InvoiceAdjustment"("invoiceId");

-- CreateIndex
CREATE UNIQUE INDEX "Product_gtin_key" ON "inventory"."Product"("gtin");

-- CreateIndex
CREATE UNIQUE INDEX "Location_code_key" ON "inventory"."Location"("code");

-- CreateIndex
CREATE INDEX "Location_parentId_idx" ON "inventory"."Location"("parentId");

-- CreateIndex
CREATE INDEX "InventoryPosition_locationId_idx" ON "inventory"."InventoryPosition"("locationId");

-- CreateIndex
CREATE UNIQUE INDEX "Order_orderNumber_key" ON "orders"."Order"("orderNumber");

-- CreateIndex
CREATE INDEX "Order_customerId_placedAt_idx" ON "orders"."Order"("customerId", "placedAt");

-- CreateIndex
CREATE INDEX "Order_customerPo_idx" ON "orders"."Order"("customerPo");

-- CreateIndex
CREATE INDEX "Order_status_idx" ON "orders"."Order"("status");

-- CreateIndex
CREATE INDEX "Order_channel_idx" ON "orders"."Order"("channel");

-- CreateIndex
CREATE INDEX "Order_businessUnitId_idx" ON "orders"."Order"("businessUnitId");

-- CreateIndex
CREATE INDEX "Order_placedAt_id_idx" ON "orders"."Order"("placedAt", "id");

-- CreateIndex
CREATE INDEX "OrderLine_sku_idx" ON "orders"."OrderLine"("sku");

-- CreateIndex
CREATE UNIQUE INDEX "OrderLine_orderId_lineNumber_key" ON "orders"."OrderLine"("orderId", "lineNumber");

-- CreateIndex
CREATE INDEX "OrderExternalRef_value_idx" ON "orders"."OrderExternalRef"("value");

-- CreateIndex
CREATE UNIQUE INDEX "OrderExternalRef_system_value_key" ON "orders"."OrderExternalRef"("system", "value");

-- CreateIndex
CREATE INDEX "OrderStatusChange_orderId_changedAt_idx" ON "orders"."OrderStatusChange"("orderId", "changedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Shipment_shipmentNumber_key" ON "shipments"."Shipment"("shipmentNumber");

-- CreateIndex
CREATE INDEX "Shipment_orderId_idx" ON "shipments"."Shipment"("orderId");

-- CreateIndex
CREATE INDEX "Shipment_trackingNumber_idx" ON "shipments"."Shipment"("trackingNumber");

-- CreateIndex
CREATE UNIQUE INDEX "Package_sscc_key" ON "shipments"."Package"("sscc");

-- CreateIndex
CREATE INDEX "Package_shipmentId_idx" ON "shipments"."Package"("shipmentId");

-- CreateIndex
CREATE INDEX "ShipmentLine_shipmentId_idx" ON "shipments"."ShipmentLine"("shipmentId");

-- CreateIndex
CREATE INDEX "ShipmentLine_packageId_idx" ON "shipments"."ShipmentLine"("packageId");

-- CreateIndex
CREATE INDEX "Milestone_shipmentId_occurredAt_idx" ON "shipments"."Milestone"("shipmentId", "occurredAt");

-- AddForeignKey
ALTER TABLE "finance"."Customer" ADD CONSTRAINT "Customer_businessUnitId_fkey" FOREIGN KEY ("businessUnitId") REFERENCES "finance"."BusinessUnit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finance"."Invoice" ADD CONSTRAINT "Invoice_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "finance"."Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finance"."InvoiceLine" ADD CONSTRAINT "InvoiceLine_invoiceId_fkey" FOREIGN KEY ("invoiceId") REFERENCES "finance"."Invoice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finance"."InvoiceAdjustment" ADD CONSTRAINT "InvoiceAdjustment_invoiceId_fkey" FOREIGN KEY ("invoiceId") REFERENCES "finance"."Invoice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inventory"."UnitConversion" ADD CONSTRAINT "UnitConversion_sku_fkey" FOREIGN KEY ("sku") REFERENCES "inventory"."Product"("sku") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inventory"."Location" ADD CONSTRAINT "Location_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "inventory"."Location"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inventory"."InventoryPosition" ADD CONSTRAINT "InventoryPosition_sku_fkey" FOREIGN KEY ("sku") REFERENCES "inventory"."Product"("sku") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inventory"."InventoryPosition" ADD CONSTRAINT "InventoryPosition_locationId_fkey" FOREIGN KEY ("locationId") REFERENCES "inventory"."Location"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders"."OrderLine" ADD CONSTRAINT "OrderLine_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "orders"."Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders"."OrderExternalRef" ADD CONSTRAINT "OrderExternalRef_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "orders"."Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders"."OrderStatusChange" ADD CONSTRAINT "OrderStatusChange_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "orders"."Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shipments"."Package" ADD CONSTRAINT "Package_shipmentId_fkey" FOREIGN KEY ("shipmentId") REFERENCES "shipments"."Shipment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shipments"."ShipmentLine" ADD CONSTRAINT "ShipmentLine_shipmentId_fkey" FOREIGN KEY ("shipmentId") REFERENCES "shipments"."Shipment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shipments"."ShipmentLine" ADD CONSTRAINT "ShipmentLine_packageId_fkey" FOREIGN KEY ("packageId") REFERENCES "shipments"."Package"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shipments"."Milestone" ADD CONSTRAINT "Milestone_shipmentId_fkey" FOREIGN KEY ("shipmentId") REFERENCES "shipments"."Shipment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

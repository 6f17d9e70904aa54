-- CreateEnum
CREATE TYPE "finance"."ErpConnectorKind" AS ENUM ('CLOUD_REST', 'FILE_EXCHANGE');

-- CreateEnum
CREATE TYPE "finance"."ErpDocumentType" AS ENUM ('INVOICE', 'CREDIT_MEMO');

-- CreateEnum
CREATE TYPE "finance"."ErpPostingState" AS ENUM ('PENDING', 'IN_FLIGHT', 'AWAITING_ACK', 'POSTED', 'FAILED');

-- CreateEnum
CREATE TYPE "finance"."ErpErrorKind" AS ENUM ('UNAVAILABLE', 'REJECTED', 'NO_ACKNOWLEDGEMENT', 'CONFIGURATION');

-- CreateEnum
CREATE TYPE "finance"."ErpFileState" AS ENUM ('APPLIED', 'DUPLICATE', 'REJECTED');

-- CreateEnum
CREATE TYPE "finance"."CreditMemoStatus" AS ENUM ('OPEN', 'APPLIED', 'VOID');

-- CreateEnum
CREATE TYPE "finance"."SupplierInvoiceStatus" AS ENUM ('RECEIVED', 'APPROVED', 'PAID', 'VOID');

-- AlterEnum
ALTER TYPE "orders"."OrderChannel" ADD VALUE 'ERP';

-- AlterEnum
ALTER TYPE "platform"."CrossReferenceKind" ADD VALUE 'SUPPLIER';

-- CreateTable
CREATE TABLE "finance"."ErpConnector" (
    "businessUnitId" TEXT NOT NULL,
    "kind" "finance"."ErpConnectorKind" NOT NULL,
    "system" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "baseUrl" TEXT,
    "companyId" TEXT,
    "tokenUrl" TEXT,
    "clientId" TEXT,
    "scope" TEXT,
    "clientSecretRef" TEXT,
    "chargeAccount" TEXT NOT NULL DEFAULT '6810',
    "taxAccount" TEXT NOT NULL DEFAULT '2310',
    "folder" TEXT,
    "pollIntervalMs" INTEGER NOT NULL DEFAULT 30000,
    "maxAttempts" INTEGER NOT NULL DEFAULT 8,
    "ackTimeoutMinutes" INTEGER NOT NULL DEFAULT 1440,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ErpConnector_pkey" PRIMARY KEY ("businessUnitId")
);

-- CreateTable
CREATE TABLE "finance"."ErpPosting" (
    "id" TEXT NOT NULL,
    "documentType" "finance"."ErpDocumentType" NOT NULL,
    "documentId" TEXT NOT NULL,
    "businessUnitId" TEXT NOT NULL,
    "documentNumber" TEXT NOT NULL,
    "state" "finance"."ErpPostingState" NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "totalAttempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3),
    "leaseUntil" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "lastErrorKind" "finance"."ErpErrorKind",
    "erpDocumentId" TEXT,
    "erpDocumentNumber" TEXT,
    "batchFile" TEXT,
    "corrections" INTEGER NOT NULL DEFAULT 0,
    "scheduledAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMPTZ(3),
    "postedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ErpPosting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "finance"."ErpPostingHistory" (
    "id" BIGSERIAL NOT NULL,
    "postingId" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "action" TEXT NOT NULL,
    "detail" TEXT,
    "httpStatus" INTEGER,
    "durationMs" INTEGER,

    CONSTRAINT "ErpPostingHistory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "finance"."ErpSyncCursor" (
    "businessUnitId" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "cursor" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ErpSyncCursor_pkey" PRIMARY KEY ("businessUnitId","entity")
);

-- CreateTable
CREATE TABLE "finance"."ErpFileImport" (
    "id" TEXT NOT NULL,
    "businessUnitId" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "dedupeKey" TEXT,
    "state" "finance"."ErpFileState" NOT NULL,
    "rows" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "result" JSONB,
    "movedTo" TEXT,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ErpFileImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "finance"."CreditMemo" (
    "id" TEXT NOT NULL,
    "creditMemoNumber" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "invoiceId" TEXT,
    "orderId" TEXT,
    "customerId" TEXT NOT NULL,
    "businessUnitId" TEXT NOT NULL,
    "status" "finance"."CreditMemoStatus" NOT NULL DEFAULT 'OPEN',
    "postingStatus" "finance"."PostingStatus" NOT NULL DEFAULT 'PENDING',
    "erpDocumentNumber" TEXT,
    "postedAt" TIMESTAMPTZ(3),
    "creditMemoDate" DATE NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "sourceReference" TEXT,
    "subtotal" DECIMAL(14,2) NOT NULL,
    "taxRate" DECIMAL(6,4) NOT NULL,
    "taxTotal" DECIMAL(14,2) NOT NULL,
    "total" DECIMAL(14,2) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CreditMemo_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "finance"."CreditMemoLine" (
    "id" TEXT NOT NULL,
    "creditMemoId" TEXT NOT NULL,
    "lineNumber" INTEGER NOT NULL,
    "invoiceLineNumber" INTEGER,
    "sku" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unit" TEXT NOT NULL,
    "unitPrice" DECIMAL(14,4) NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,

    CONSTRAINT "CreditMemoLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "finance"."Supplier" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "paymentTerms" TEXT,
    "termsDays" INTEGER,
    "gln" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Supplier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "finance"."SupplierInvoice" (
    "id" TEXT NOT NULL,
    "supplierId" TEXT NOT NULL,
    "invoiceNumber" TEXT NOT NULL,
    "invoiceDate" DATE NOT NULL,
    "purchaseOrderNumber" TEXT,
    "currency" CHAR(3) NOT NULL,
    "status" "finance"."SupplierInvoiceStatus" NOT NULL DEFAULT 'RECEIVED',
    "subtotal" DECIMAL(14,2) NOT NULL,
    "chargesTotal" DECIMAL(14,2) NOT NULL,
    "allowancesTotal" DECIMAL(14,2) NOT NULL,
    "taxTotal" DECIMAL(14,2) NOT NULL,
    "total" DECIMAL(14,2) NOT NULL,
    "netDays" INTEGER,
    "dueDate" DATE,
    "contentHash" TEXT NOT NULL,
    "sourceMessageId" TEXT,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SupplierInvoice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "finance"."SupplierInvoiceLine" (
    "id" TEXT NOT NULL,
    "supplierInvoiceId" TEXT NOT NULL,
    "lineNumber" INTEGER NOT NULL,
    "sku" TEXT NOT NULL,
    "vendorPartNumber" TEXT,
    "quantity" DECIMAL(14,3) NOT NULL,
    "unit" TEXT NOT NULL,
    "unitPrice" DECIMAL(14,4) NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "unitFactor" INTEGER NOT NULL,
    "baseUnit" TEXT NOT NULL,
    "baseQuantity" DECIMAL(16,3) NOT NULL,

    CONSTRAINT "SupplierInvoiceLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "finance"."SupplierInvoiceAdjustment" (
    "id" TEXT NOT NULL,
    "supplierInvoiceId" TEXT NOT NULL,
    "kind" "finance"."AdjustmentKind" NOT NULL,
    "code" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "lineNumber" INTEGER,

    CONSTRAINT "SupplierInvoiceAdjustment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "finance"."CatalogItem" (
    "sku" TEXT NOT NULL,
    "gtin" TEXT,
    "baseUnit" TEXT NOT NULL,
    "conversions" JSONB NOT NULL DEFAULT '[]',
    "lastSequence" BIGINT NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CatalogItem_pkey" PRIMARY KEY ("sku")
);

-- CreateIndex
CREATE INDEX "ErpPosting_state_nextAttemptAt_idx" ON "finance"."ErpPosting"("state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "ErpPosting_state_leaseUntil_idx" ON "finance"."ErpPosting"("state", "leaseUntil");

-- CreateIndex
CREATE INDEX "ErpPosting_postedAt_idx" ON "finance"."ErpPosting"("postedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ErpPosting_documentType_documentId_key" ON "finance"."ErpPosting"("documentType", "documentId");

-- CreateIndex
CREATE UNIQUE INDEX "ErpPosting_businessUnitId_documentType_documentNumber_key" ON "finance"."ErpPosting"("businessUnitId", "documentType", "documentNumber");

-- CreateIndex
CREATE INDEX "ErpPostingHistory_postingId_id_idx" ON "finance"."ErpPostingHistory"("postingId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ErpFileImport_dedupeKey_key" ON "finance"."ErpFileImport"("dedupeKey");

-- CreateIndex
CREATE INDEX "ErpFileImport_businessUnitId_receivedAt_idx" ON "finance"."ErpFileImport"("businessUnitId", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "CreditMemo_creditMemoNumber_key" ON "finance"."CreditMemo"("creditMemoNumber");

-- CreateIndex
CREATE UNIQUE INDEX "CreditMemo_idempotencyKey_key" ON "finance"."CreditMemo"("idempotencyKey");

-- CreateIndex
CREATE INDEX "CreditMemo_invoiceId_idx" ON "finance"."CreditMemo"("invoiceId");

-- CreateIndex
CREATE INDEX "CreditMemo_orderId_idx" ON "finance"."CreditMemo"("orderId");

-- CreateIndex
CREATE INDEX "CreditMemo_customerId_idx" ON "finance"."CreditMemo"("customerId");

-- CreateIndex
CREATE UNIQUE INDEX "CreditMemoLine_creditMemoId_lineNumber_key" ON "finance"."CreditMemoLine"("creditMemoId", "lineNumber");

-- CreateIndex
CREATE INDEX "SupplierInvoice_invoiceDate_idx" ON "finance"."SupplierInvoice"("invoiceDate");

-- CreateIndex
CREATE UNIQUE INDEX "SupplierInvoice_supplierId_invoiceNumber_key" ON "finance"."SupplierInvoice"("supplierId", "invoiceNumber");

-- CreateIndex
CREATE UNIQUE INDEX "SupplierInvoiceLine_supplierInvoiceId_lineNumber_key" ON "finance"."SupplierInvoiceLine"("supplierInvoiceId", "lineNumber");

-- CreateIndex
CREATE INDEX "SupplierInvoiceAdjustment_supplierInvoiceId_idx" ON "finance"."SupplierInvoiceAdjustment"("supplierInvoiceId");

-- CreateIndex
CREATE INDEX "CatalogItem_gtin_idx" ON "finance"."CatalogItem"("gtin");

-- AddForeignKey
ALTER TABLE "finance"."ErpConnector" ADD CONSTRAINT "ErpConnector_businessUnitId_fkey" FOREIGN KEY ("businessUnitId") REFERENCES "finance"."BusinessUnit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finance"."ErpPostingHistory" ADD CONSTRAINT "ErpPostingHistory_postingId_fkey" FOREIGN KEY ("postingId") REFERENCES "finance"."ErpPosting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finance"."CreditMemoLine" ADD CONSTRAINT "CreditMemoLine_creditMemoId_fkey" FOREIGN KEY ("creditMemoId") REFERENCES "finance"."CreditMemo"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finance"."SupplierInvoice" ADD CONSTRAINT "SupplierInvoice_supplierId_fkey" FOREIGN KEY ("supplierId") REFERENCES "finance"."Supplier"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finance"."SupplierInvoiceLine" ADD CONSTRAINT "SupplierInvoiceLine_supplierInvoiceId_fkey" FOREIGN KEY ("supplierInvoiceId") REFERENCES "finance"."SupplierInvoice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finance"."SupplierInvoiceAdjustment" ADD CONSTRAINT "SupplierInvoiceAdjustment_supplierInvoiceId_fkey" FOREIGN KEY ("supplierInvoiceId") REFERENCES "finance"."SupplierInvoice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateIndex
CREATE INDEX "Invoice_postingStatus_idx" ON "finance"."Invoice"("postingStatus");

-- CreateIndex
CREATE INDEX "CreditMemo_postingStatus_idx" ON "finance"."CreditMemo"("postingStatus");

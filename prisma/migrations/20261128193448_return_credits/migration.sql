-- CreateEnum
CREATE TYPE "finance"."ReturnCreditStatus" AS ENUM ('WAITING_FOR_INVOICE', 'CREDITED', 'PARTLY_CREDITED', 'NOTHING_TO_CREDIT');

-- CreateTable
CREATE TABLE "finance"."ReturnCredit" (
    "returnId" TEXT NOT NULL,
    "returnNumber" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "finance"."ReturnCreditStatus" NOT NULL,
    "note" TEXT,
    "lines" JSONB NOT NULL,
    "correlationId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ReturnCredit_pkey" PRIMARY KEY ("returnId")
);

-- CreateIndex
CREATE INDEX "ReturnCredit_orderId_status_idx" ON "finance"."ReturnCredit"("orderId", "status");

-- CreateIndex
CREATE INDEX "CreditMemo_sourceReference_idx" ON "finance"."CreditMemo"("sourceReference");

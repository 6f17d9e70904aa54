-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "platform";

-- CreateEnum
CREATE TYPE "inventory"."MovementKind" AS ENUM ('RECEIPT', 'PICK', 'ADJUSTMENT', 'MOVE_IN', 'MOVE_OUT', 'LEVEL');

-- CreateEnum
CREATE TYPE "platform"."InboundState" AS ENUM ('RECEIVED', 'PROCESSED', 'DUPLICATE', 'RECONCILED', 'FAILED', 'DEAD_LETTER');

-- CreateEnum
CREATE TYPE "platform"."IngestStep" AS ENUM ('RECEIVE', 'PARSE', 'VALIDATE', 'MAP', 'APPLY');

-- AlterTable
ALTER TABLE "inventory"."InventoryPosition" ADD COLUMN     "levelAsOf" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "inventory"."StockMovement" (
    "id" BIGSERIAL NOT NULL,
    "sku" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "kind" "inventory"."MovementKind" NOT NULL,
    "quantity" INTEGER NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "sourceEventId" TEXT NOT NULL,
    "inboundMessageId" TEXT,

    CONSTRAINT "StockMovement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orders"."StockAvailability" (
    "sku" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "available" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "handledEvents" INTEGER NOT NULL DEFAULT 1,
    "lastSequence" BIGINT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "StockAvailability_pkey" PRIMARY KEY ("sku","locationId")
);

-- CreateTable
CREATE TABLE "platform"."EventLog" (
    "sequence" BIGSERIAL NOT NULL,
    "eventId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "aggregateType" TEXT NOT NULL,
    "aggregateId" TEXT NOT NULL,
    "aggregateVersion" INTEGER NOT NULL,
    "correlationId" TEXT NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" JSONB NOT NULL,

    CONSTRAINT "EventLog_pkey" PRIMARY KEY ("sequence")
);

-- CreateTable
CREATE TABLE "platform"."ConsumerOffset" (
    "consumer" TEXT NOT NULL,
    "position" BIGINT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ConsumerOffset_pkey" PRIMARY KEY ("consumer")
);

-- CreateTable
CREATE TABLE "platform"."ParkedEvent" (
    "consumer" TEXT NOT NULL,
    "sequence" BIGINT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "error" TEXT NOT NULL,
    "parkedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ParkedEvent_pkey" PRIMARY KEY ("consumer","sequence")
);

-- CreateTable
CREATE TABLE "platform"."InboundMessage" (
    "id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "dedupeKey" TEXT,
    "duplicateOfId" TEXT,
    "correlationId" TEXT NOT NULL,
    "state" "platform"."InboundState" NOT NULL,
    "contentType" TEXT,
    "raw" BYTEA NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "failedStep" "platform"."IngestStep",
    "error" TEXT,
    "result" JSONB,

    CONSTRAINT "InboundMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StockMovement_sku_locationId_occurredAt_idx" ON "inventory"."StockMovement"("sku", "locationId", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "StockMovement_sourceEventId_sku_locationId_key" ON "inventory"."StockMovement"("sourceEventId", "sku", "locationId");

-- CreateIndex
CREATE UNIQUE INDEX "EventLog_eventId_key" ON "platform"."EventLog"("eventId");

-- CreateIndex
CREATE INDEX "EventLog_aggregateType_aggregateId_sequence_idx" ON "platform"."EventLog"("aggregateType", "aggregateId", "sequence");

-- CreateIndex
CREATE INDEX "EventLog_type_sequence_idx" ON "platform"."EventLog"("type", "sequence");

-- CreateIndex
CREATE INDEX "ParkedEvent_consumer_resolvedAt_idx" ON "platform"."ParkedEvent"("consumer", "resolvedAt");

-- CreateIndex
CREATE UNIQUE INDEX "InboundMessage_dedupeKey_key" ON "platform"."InboundMessage"("dedupeKey");

-- CreateIndex
CREATE INDEX "InboundMessage_state_receivedAt_idx" ON "platform"."InboundMessage"("state", "receivedAt");

-- CreateIndex
CREATE INDEX "InboundMessage_source_kind_receivedAt_idx" ON "platform"."InboundMessage"("source", "kind", "receivedAt");

-- CreateIndex
CREATE INDEX "InboundMessage_correlationId_idx" ON "platform"."InboundMessage"("correlationId");

-- AlterTable
ALTER TABLE "platform"."InboundMessage" ADD COLUMN     "stepTimings" JSONB;

-- CreateTable
CREATE TABLE "platform"."ConsumerHandling" (
    "consumer" TEXT NOT NULL,
    "sequence" BIGINT NOT NULL,
    "handledAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "durationMs" DOUBLE PRECISION NOT NULL,
    "batchSize" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "ConsumerHandling_pkey" PRIMARY KEY ("consumer","sequence")
);

-- CreateIndex
CREATE INDEX "ConsumerHandling_sequence_idx" ON "platform"."ConsumerHandling"("sequence");

-- CreateIndex
CREATE INDEX "ConsumerHandling_handledAt_idx" ON "platform"."ConsumerHandling"("handledAt");

-- AlterEnum
ALTER TYPE "platform"."IngestStep" ADD VALUE 'IDEMPOTENCY';

-- AlterTable
ALTER TABLE "platform"."InboundMessage" ADD COLUMN     "conflictWithId" TEXT,
ADD COLUMN     "contentHash" TEXT,
ADD COLUMN     "nextAttemptAt" TIMESTAMPTZ(3),
ADD COLUMN     "rawPurgedAt" TIMESTAMPTZ(3),
ADD COLUMN     "sizeBytes" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "warnings" JSONB NOT NULL DEFAULT '[]';

-- Sizes of the bodies already stored, so lists can show them without reading the bodies.
UPDATE "platform"."InboundMessage" SET "sizeBytes" = octet_length("raw");

-- Stock bounds per bucket (README, "Negative stock"). On hand may be negative (a recorded
-- exception) down to -1,000,000,000. Every other bucket is 0..1,000,000,000, and what they hold
-- back together at most 1,000,000,000, so available stays within a 32-bit GraphQL Int.
-- The inventory service checks the same bounds first and refuses with a readable reason.
ALTER TABLE "inventory"."InventoryPosition"
  ADD CONSTRAINT "InventoryPosition_onHand_bounds" CHECK ("onHand" BETWEEN -1000000000 AND 1000000000),
  ADD CONSTRAINT "InventoryPosition_buckets_bounds" CHECK (
    "allocated" BETWEEN 0 AND 1000000000 AND "reserved" BETWEEN 0 AND 1000000000 AND "damaged" BETWEEN 0 AND 1000000000
    AND "qualityHold" BETWEEN 0 AND 1000000000 AND "safetyStock" BETWEEN 0 AND 1000000000 AND "inbound" BETWEEN 0 AND 1000000000),
  ADD CONSTRAINT "InventoryPosition_held_bounds" CHECK (
    "allocated"::bigint + "reserved" + "damaged" + "qualityHold" + "safetyStock" <= 1000000000);

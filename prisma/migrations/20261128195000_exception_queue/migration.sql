-- CreateEnum
CREATE TYPE "finance"."PostingExceptionState" AS ENUM ('OPEN', 'RESOLVED', 'DISCARDED');

-- CreateEnum
CREATE TYPE "platform"."ExceptionState" AS ENUM ('OPEN', 'RESOLVED', 'DISCARDED');

-- AlterTable
ALTER TABLE "finance"."ErpPosting" ADD COLUMN     "correlationId" TEXT,
ADD COLUMN     "exceptionRaisedAt" TIMESTAMPTZ(3),
ADD COLUMN     "exceptionReason" TEXT,
ADD COLUMN     "exceptionResolvedAt" TIMESTAMPTZ(3),
ADD COLUMN     "exceptionState" "finance"."PostingExceptionState",
ADD COLUMN     "resolutionNote" TEXT;

-- AlterTable
ALTER TABLE "platform"."DocumentDelivery" ADD COLUMN     "exceptionRaisedAt" TIMESTAMPTZ(3),
ADD COLUMN     "exceptionReason" TEXT,
ADD COLUMN     "exceptionState" "platform"."ExceptionState",
ADD COLUMN     "resolutionNote" TEXT,
ADD COLUMN     "resolvedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "platform"."InboundMessage" ADD COLUMN     "exceptionRaisedAt" TIMESTAMPTZ(3),
ADD COLUMN     "exceptionReason" TEXT,
ADD COLUMN     "exceptionState" "platform"."ExceptionState",
ADD COLUMN     "resolutionNote" TEXT,
ADD COLUMN     "resolvedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "platform"."OutboundDocument" ADD COLUMN     "correlationId" TEXT;

-- AlterTable
ALTER TABLE "platform"."ParkedEvent" ADD COLUMN     "exceptionState" "platform"."ExceptionState" NOT NULL DEFAULT 'OPEN',
ADD COLUMN     "resolutionNote" TEXT;

-- CreateIndex
CREATE INDEX "ErpPosting_exceptionState_exceptionRaisedAt_idx" ON "finance"."ErpPosting"("exceptionState", "exceptionRaisedAt");

-- CreateIndex
CREATE INDEX "ErpPosting_correlationId_idx" ON "finance"."ErpPosting"("correlationId");

-- CreateIndex
CREATE INDEX "DocumentDelivery_exceptionState_exceptionRaisedAt_idx" ON "platform"."DocumentDelivery"("exceptionState", "exceptionRaisedAt");

-- CreateIndex
CREATE INDEX "InboundMessage_exceptionState_exceptionRaisedAt_idx" ON "platform"."InboundMessage"("exceptionState", "exceptionRaisedAt");

-- CreateIndex
CREATE INDEX "OutboundDocument_correlationId_idx" ON "platform"."OutboundDocument"("correlationId");

-- The exception queue (Query.exceptions). A row's place in it is kept by triggers, so every path
-- that dead-letters a message or fails a posting or delivery (the pipeline, the receiving router,
-- the conflict insert, the posting worker, the delivery worker, future ones) raises the exception,
-- and every path that later applies, posts or delivers it resolves it:
-- - becoming DEAD_LETTER / FAILED raises it (OPEN, raised now, reason = the error), unless it is
--   OPEN already (a replay that failed again keeps its first raise time, with the new reason);
-- - becoming PROCESSED, RECONCILED or DUPLICATE / POSTED / DELIVERED while OPEN resolves it.
-- Operators resolve or discard by setting the columns themselves (the triggers leave that alone).
CREATE FUNCTION "platform"."inbound_exception_state"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."state" = 'DEAD_LETTER' THEN
    IF NEW."exceptionState" IS DISTINCT FROM 'OPEN' OR TG_OP = 'INSERT' THEN
      NEW."exceptionState" := 'OPEN';
      NEW."exceptionRaisedAt" := now();
      NEW."resolvedAt" := NULL;
      NEW."resolutionNote" := NULL;
    END IF;
    NEW."exceptionReason" := NEW."error";
  ELSIF NEW."state" IN ('PROCESSED', 'RECONCILED', 'DUPLICATE') AND NEW."exceptionState" = 'OPEN' THEN
    NEW."exceptionState" := 'RESOLVED';
    NEW."resolvedAt" := now();
    NEW."resolutionNote" := 'replayed: ' || lower(NEW."state"::text);
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "inbound_exception_state" BEFORE INSERT OR UPDATE OF "state", "error" ON "platform"."InboundMessage"
  FOR EACH ROW EXECUTE FUNCTION "platform"."inbound_exception_state"();

CREATE FUNCTION "platform"."delivery_exception_state"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."state" = 'FAILED' THEN
    IF NEW."exceptionState" IS DISTINCT FROM 'OPEN' OR TG_OP = 'INSERT' THEN
      NEW."exceptionState" := 'OPEN';
      NEW."exceptionRaisedAt" := now();
      NEW."resolvedAt" := NULL;
      NEW."resolutionNote" := NULL;
    END IF;
    NEW."exceptionReason" := NEW."lastError";
  ELSIF NEW."state" = 'DELIVERED' AND NEW."exceptionState" = 'OPEN' THEN
    NEW."exceptionState" := 'RESOLVED';
    NEW."resolvedAt" := now();
    NEW."resolutionNote" := 'retried: delivered';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "delivery_exception_state" BEFORE INSERT OR UPDATE OF "state", "lastError" ON "platform"."DocumentDelivery"
  FOR EACH ROW EXECUTE FUNCTION "platform"."delivery_exception_state"();

CREATE FUNCTION "finance"."posting_exception_state"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."state" = 'FAILED' THEN
    IF NEW."exceptionState" IS DISTINCT FROM 'OPEN' OR TG_OP = 'INSERT' THEN
      NEW."exceptionState" := 'OPEN';
      NEW."exceptionRaisedAt" := now();
      NEW."exceptionResolvedAt" := NULL;
      NEW."resolutionNote" := NULL;
    END IF;
    NEW."exceptionReason" := NEW."lastError";
  ELSIF NEW."state" = 'POSTED' AND NEW."exceptionState" = 'OPEN' THEN
    NEW."exceptionState" := 'RESOLVED';
    NEW."exceptionResolvedAt" := now();
    NEW."resolutionNote" := 'retried: posted';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "posting_exception_state" BEFORE INSERT OR UPDATE OF "state", "lastError" ON "finance"."ErpPosting"
  FOR EACH ROW EXECUTE FUNCTION "finance"."posting_exception_state"();

-- What was already failing before this migration joins the queue, raised at its last change.
UPDATE "platform"."InboundMessage" SET "exceptionState" = 'OPEN', "exceptionRaisedAt" = COALESCE("processedAt", "receivedAt"), "exceptionReason" = "error" WHERE "state" = 'DEAD_LETTER';
UPDATE "platform"."DocumentDelivery" SET "exceptionState" = 'OPEN', "exceptionRaisedAt" = "createdAt", "exceptionReason" = "lastError" WHERE "state" = 'FAILED';
UPDATE "finance"."ErpPosting" SET "exceptionState" = 'OPEN', "exceptionRaisedAt" = "updatedAt", "exceptionReason" = "lastError" WHERE "state" = 'FAILED';
UPDATE "platform"."ParkedEvent" SET "exceptionState" = 'RESOLVED', "resolutionNote" = 'retried: handled' WHERE "resolvedAt" IS NOT NULL;

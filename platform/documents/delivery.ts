// Delivers queued outbound documents (DocumentDelivery rows) to their targets: a folder (one file
// per document, written to a temporary name and renamed, so a reader never sees half a file) or
// an HTTP endpoint (POST with the document as the body and its id as Idempotency-Key, so a
// receiver can drop a repeat after a lost answer). A failure is retried with exponential backoff;
// after maxAttempts the delivery is FAILED with the last error, visible and retryable
// (retryDelivery). Several processes may run the worker: each claims a row with SKIP LOCKED.
import { CORRELATION_HEADER } from "../telemetry/correlation.js";
import { log, logFor } from "../telemetry/log.js";
import fs from "node:fs/promises";
import path from "node:path";
import type { Db } from "../db/client.js";
import type { DocumentDelivery } from "../db/generated/client.js";

export interface DeliveryOptions {
  /** Root of "folder:<name>" targets (WAREHOUSE_OUTBOX_DIR, default data/outbox). */
  outboxDir: string;
  /** Attempts before a delivery is FAILED (DOCUMENT_DELIVERY_ATTEMPTS, default 8). */
  maxAttempts: number;
  /** How often the worker looks for due deliveries, in ms (DOCUMENT_DELIVERY_POLL_MS, default 1000). */
  pollMs: number;
  /** Deadline of one HTTP delivery in ms (default 10000). */
  httpTimeoutMs?: number;
  /** First retry delay in ms, doubled per attempt up to 5 minutes (default 1000; tests shorten it). */
  backoffBaseMs?: number;
}

export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = { outboxDir: "data/outbox", maxAttempts: 8, pollMs: 1000 };

const EXTENSIONS: Record<string, string> = { X12: "edi", EDIFACT: "edi", JSON: "json" };
const CONTENT_TYPES: Record<string, string> = { X12: "application/edi-x12", EDIFACT: "application/edifact", JSON: "application/json" };

/** Delay before attempt n+1 (n >= 1): 1 s, 2 s, 4 s ... (from baseMs) at most 5 minutes. */
export const deliveryBackoffMs = (attempts: number, baseMs = 1000) => Math.min(baseMs * 2 ** (attempts - 1), 300_000);

export function folderOf(target: string, outboxDir: string): string | null {
  if (target.startsWith("file:")) return target.slice(5);
  if (target.startsWith("folder:")) return path.resolve(outboxDir, target.slice(7));
  return null;
}

async function send(db: Db, row: DocumentDelivery, options: DeliveryOptions): Promise<void> {
  const doc = await db.outboundDocument.findUnique({ where: { id: row.documentId } });
  if (!doc) throw new Error(`document ${row.documentId} is gone`);
  const folder = folderOf(row.target, options.outboxDir);
  if (folder) {
    await fs.mkdir(folder, { recursive: true });
    const name = `${doc.type}-${doc.id}.${EXTENSIONS[doc.standard] ?? "txt"}`;
    const tmp = path.join(folder, `.${name}.tmp`);
    await fs.writeFile(tmp, doc.content);
    await fs.rename(tmp, path.join(folder, name));
    return;
  }
  const res = await fetch(row.target, {
    method: "POST",
    // The transaction's correlation id goes along, so a partner that echoes it on its answer (a 945
    // to our 940) continues the same trace.
    headers: {
      "content-type": CONTENT_TYPES[doc.standard] ?? "text/plain",
      "idempotency-key": doc.id,
      "x-document-type": doc.type,
      "x-control-number": doc.controlNumber,
      ...(doc.correlationId && { [CORRELATION_HEADER]: doc.correlationId }),
    },
    body: doc.content,
    signal: AbortSignal.timeout(options.httpTimeoutMs ?? 10_000),
  });
  const text = await res.text().catch(() => "");
  if (!res.ok) throw new Error(`HTTP ${res.status} from ${row.target}${text ? `: ${text.slice(0, 200)}` : ""}`);
}

/** Sends every due delivery once; returns how many were attempted. */
export async function deliverDue(db: Db, options: DeliveryOptions, limit = 50): Promise<number> {
  let attempted = 0;
  for (; attempted < limit; attempted++) {
    const claimed = await db.$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<DocumentDelivery[]>`
        SELECT * FROM "platform"."DocumentDelivery" WHERE "state" = 'PENDING' AND "nextAttemptAt" <= now()
        ORDER BY "nextAttemptAt", "id" LIMIT 1 FOR UPDATE SKIP LOCKED`;
      if (!row) return null;
      // Claimed: pushed into the future so another worker leaves it while this one sends.
      await tx.documentDelivery.update({ where: { id: row.id }, data: { nextAttemptAt: new Date(Date.now() + (options.httpTimeoutMs ?? 10_000) * 2) } });
      return row;
    });
    if (!claimed) break;
    const attempts = claimed.attempts + 1;
    try {
      await send(db, claimed, options);
      await db.documentDelivery.update({ where: { id: claimed.id }, data: { state: "DELIVERED", attempts, deliveredAt: new Date(), lastError: null } });
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      const failed = attempts >= options.maxAttempts;
      await db.documentDelivery.update({
        where: { id: claimed.id },
        data: {
          attempts,
          lastError: error.slice(0, 1000),
          state: failed ? "FAILED" : "PENDING",
          nextAttemptAt: new Date(Date.now() + deliveryBackoffMs(attempts, options.backoffBaseMs)),
        },
      });
      // Logged under the document's transaction, so its correlation id finds the failure too.
      const doc = await db.outboundDocument.findUnique({ where: { id: claimed.documentId }, select: { correlationId: true } });
      const logger = doc?.correlationId ? logFor(doc.correlationId) : log;
      logger[failed ? "error" : "warn"](
        { deliveryId: claimed.id, documentId: claimed.documentId, target: claimed.target, attempts, error },
        failed ? "document delivery failed for good" : "document delivery failed, will retry",
      );
    }
  }
  return attempted;
}

/** Puts a FAILED (or pending) delivery back in line for an attempt now. */
export async function retryDelivery(db: Db, id: string) {
  const row = await db.documentDelivery.findUnique({ where: { id } });
  if (!row || row.state === "DELIVERED") return row;
  return db.documentDelivery.update({ where: { id }, data: { state: "PENDING", attempts: 0, nextAttemptAt: new Date() } });
}

export class DeliveryWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly db: Db,
    private readonly options: DeliveryOptions,
  ) {}

  start() {
    const tick = () => {
      this.running = deliverDue(this.db, this.options)
        .catch((err) => console.error(JSON.stringify({ level: "error", msg: "document delivery sweep failed", error: String(err) })))
        .finally(() => {
          this.running = null;
          if (this.timer) this.timer = setTimeout(tick, this.options.pollMs);
        });
    };
    this.timer = setTimeout(tick, this.options.pollMs);
  }

  async stop() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}

// The posting worker: takes due postings off the queue (finance.ErpPosting), per business unit,
// and hands them to that unit's ERP connector; records what came of each (outcomes.ts).
//
//   - claim: due postings (PENDING and due, or IN_FLIGHT whose lease ran out: a worker died
//     between the ERP's answer and its commit) become IN_FLIGHT under a lease, with FOR UPDATE
//     SKIP LOCKED, so replicas share the queue without taking the same posting;
//   - deliver: outside any transaction (it waits on the network);
//   - record: one transaction for the batch.
// A worker that dies after the ERP has the document leaves it IN_FLIGHT; whoever reclaims it
// asks the ERP by the document number first (the connector's rule), so it is never posted twice.
import { randomUUID } from "node:crypto";
import type { Db } from "../../../platform/db/client.js";
import type { ErpConnector, ErpPosting } from "../../../platform/db/generated/client.js";
import { timeOrderedId } from "../../../platform/ids.js";
import type { DeliveryOutcome, ErpConnectorApi } from "../sources/erp/connector.js";
import { loadDocuments } from "./documents.js";
import { markFailed, recordOutcomes, type RetryPolicy } from "./outcomes.js";
import { scheduleUnscheduled } from "./schedule.js";

export type ResolvedConnector = { row: ErpConnector; api: ErpConnectorApi } | { row: ErpConnector | null; problem: string };

export interface PostingWorkerOptions {
  /** The connector of a business unit (built from its finance.ErpConnector row and the process's settings). */
  connectorFor(businessUnitId: string): Promise<ResolvedConnector>;
  /** How often the queue is looked at when nothing woke the worker (ERP_POSTING_POLL_MS, default 1000). */
  pollIntervalMs?: number;
  /** Postings per claim (default 50). */
  batchSize?: number;
  /** How long a claim holds a posting before another worker may take it over (default 2 minutes; longer than any request). */
  leaseMs?: number;
  /** Backoff between transient failures (default 1 s doubling to 5 minutes). */
  backoff?: { baseMs: number; maxMs: number };
  now?: () => Date;
  log?: (entry: Record<string, unknown>) => void;
}

export class PostingWorker {
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private readonly now: () => Date;

  constructor(
    private readonly db: Db,
    private readonly options: PostingWorkerOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  start() {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop() {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  /** Look at the queue now (a retry was requested, a document was scheduled in this process). */
  wake() {
    this.wakeUp?.();
  }

  private async run() {
    while (this.running) {
      let busy = false;
      try {
        busy = (await this.runOnce()) > 0;
      } catch (err) {
        this.log({ level: "error", msg: "posting worker failed; trying again", error: String(err) });
      }
      if (!this.running) break;
      // A full batch means more may be due: go on at once; otherwise wait for the poll or a wake.
      if (!busy)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.pollIntervalMs ?? 1000);
          this.wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
    }
  }

  private log(entry: Record<string, unknown>) {
    (this.options.log ?? ((e) => console.log(JSON.stringify(e))))(entry);
  }

  /** One pass: sweep, expire acknowledgements, deliver one batch per business unit with due postings. Returns postings delivered. */
  async runOnce(): Promise<number> {
    await scheduleUnscheduled(this.db);
    await this.expireAcknowledgements();
    const now = this.now();
    const units = await this.db.$queryRaw<{ businessUnitId: string }[]>`
      SELECT DISTINCT "businessUnitId" FROM "finance"."ErpPosting"
      WHERE ("state" = 'PENDING' AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= ${now})) OR ("state" = 'IN_FLIGHT' AND "leaseUntil" < ${now})`;
    let delivered = 0;
    for (const { businessUnitId } of units) delivered += await this.deliverFor(businessUnitId);
    return delivered;
  }

  private async deliverFor(businessUnitId: string): Promise<number> {
    const resolved = await this.options.connectorFor(businessUnitId);
    const now = this.now();
    if ("problem" in resolved) {
      // Nothing to post with yet: the postings wait (visible with the reason) and are looked at again in a minute.
      await this.db.erpPosting.updateMany({
        where: { businessUnitId, state: "PENDING", OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] },
        data: { lastError: resolved.problem, lastErrorKind: "CONFIGURATION", nextAttemptAt: new Date(now.getTime() + 60_000) },
      });
      return 0;
    }
    const { row, api } = resolved;
    const claimed = await this.claim(businessUnitId, now);
    if (!claimed.length) return 0;
    const correlationId = `erp-posting-${randomUUID()}`;
    const policy: RetryPolicy = { maxAttempts: row.maxAttempts, baseMs: this.options.backoff?.baseMs ?? 1000, maxMs: this.options.backoff?.maxMs ?? 300_000 };
    const loaded = await loadDocuments(this.db, claimed, api.system);
    const results: { posting: ErpPosting; outcome: DeliveryOutcome }[] = [];
    const ready = loaded.flatMap((l) => ("document" in l ? [l] : []));
    for (const l of loaded) if ("problem" in l) results.push({ posting: l.posting, outcome: { status: "CONFIGURATION", reason: l.problem, durationMs: 0 } });
    if (ready.length) {
      const started = Date.now();
      const batchName = `${ready[0].document.type === "INVOICE" ? "invoices" : "documents"}_${timeOrderedId()}`;
      const outcomes = await api.deliver(
        ready.map((r) => r.document),
        batchName,
      );
      ready.forEach((r, i) => results.push({ posting: r.posting, outcome: outcomes[i] }));
      this.log({
        level: "info",
        msg: "delivered postings",
        businessUnitId,
        count: ready.length,
        ms: Date.now() - started,
        correlationId,
        outcomes: countBy(outcomes.map((o) => o.status)),
      });
    }
    await this.db.$transaction((tx) => recordOutcomes(tx, results, policy, correlationId, this.now()), { timeout: 60_000, maxWait: 30_000 });
    return claimed.length;
  }

  private async claim(businessUnitId: string, now: Date): Promise<ErpPosting[]> {
    const leaseUntil = new Date(now.getTime() + (this.options.leaseMs ?? 120_000));
    const limit = this.options.batchSize ?? 50;
    const ids = await this.db.$queryRaw<{ id: string }[]>`
      UPDATE "finance"."ErpPosting" AS p
      SET "state" = 'IN_FLIGHT', "leaseUntil" = ${leaseUntil}, "attempts" = p."attempts" + 1, "totalAttempts" = p."totalAttempts" + 1, "updatedAt" = now()
      WHERE p."id" IN (
        SELECT "id" FROM "finance"."ErpPosting"
        WHERE "businessUnitId" = ${businessUnitId}
          AND (("state" = 'PENDING' AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= ${now})) OR ("state" = 'IN_FLIGHT' AND "leaseUntil" < ${now}))
        ORDER BY "nextAttemptAt" NULLS FIRST, "id"
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      RETURNING p."id"`;
    if (!ids.length) return [];
    return this.db.erpPosting.findMany({ where: { id: { in: ids.map((r) => r.id) } }, orderBy: { id: "asc" } });
  }

  /** Exported postings whose acknowledgement is overdue (the connector's ackTimeoutMinutes) become exceptions. */
  private async expireAcknowledgements() {
    const now = this.now();
    const overdue = await this.db.$queryRaw<{ id: string }[]>`
      SELECT p."id" FROM "finance"."ErpPosting" p JOIN "finance"."ErpConnector" c ON c."businessUnitId" = p."businessUnitId"
      WHERE p."state" = 'AWAITING_ACK' AND p."sentAt" < ${now}::timestamptz - make_interval(mins => c."ackTimeoutMinutes")`;
    if (!overdue.length) return;
    const correlationId = `erp-ack-timeout-${randomUUID()}`;
    await this.db.$transaction(async (tx) => {
      for (const { id } of overdue) {
        const p = await tx.erpPosting.findUnique({ where: { id } });
        if (p?.state !== "AWAITING_ACK") continue;
        await markFailed(
          tx,
          p,
          {
            kind: "NO_ACKNOWLEDGEMENT",
            action: "NO_ACKNOWLEDGEMENT",
            error: `no acknowledgement from the ERP since ${p.sentAt?.toISOString()} (exported in ${p.batchFile}): retry to export it again`,
          },
          correlationId,
          now,
        );
      }
    });
  }
}

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

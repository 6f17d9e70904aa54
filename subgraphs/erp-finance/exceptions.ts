// erp-finance's part of the exception queue: postings of invoices and credit memos that failed
// (the ERP rejected them, they kept failing, no acknowledgement came). Their place in the queue is
// kept by a trigger (migration 20261128195000_exception_queue): OPEN when the posting becomes
// FAILED, RESOLVED when a retry posts it. A retry here is the same as retryInvoicePosting: it puts
// the posting back in line and the posting worker sends it, so the exception stays OPEN until it
// is posted. Resolving or discarding by hand records a history entry.
import { Prisma } from "../../platform/db/generated/client.js";
import type { Db } from "../../platform/db/client.js";
import {
  assertOpen,
  exceptionConditions,
  exceptionId,
  exceptionNotFound,
  parseExceptionId,
  wanted,
  type ExceptionContributor,
  type ExceptionRecord,
  type ExceptionState,
} from "../../platform/exceptions/queue.js";
import { retryPosting } from "./posting/service.js";

interface PostingRow {
  id: string;
  documentType: "INVOICE" | "CREDIT_MEMO";
  documentId: string;
  documentNumber: string;
  system: string | null;
  businessUnitId: string;
  reason: string | null;
  correlationId: string | null;
  state: ExceptionState;
  raisedAt: Date;
  resolvedAt: Date | null;
  resolutionNote: string | null;
}

const SOURCE = Prisma.sql`COALESCE(c."system", 'erp:' || p."businessUnitId")`;
const ID = Prisma.sql`'FAILED_POSTING:' || p."id"`;
const COLUMNS = Prisma.sql`p."id", p."documentType"::text AS "documentType", p."documentId", p."documentNumber", ${SOURCE} AS "system", p."businessUnitId",
  COALESCE(p."exceptionReason", p."lastError") AS "reason", p."correlationId", p."exceptionState"::text AS "state", p."exceptionRaisedAt" AS "raisedAt",
  p."exceptionResolvedAt" AS "resolvedAt", p."resolutionNote"`;
const FROM = Prisma.sql`"finance"."ErpPosting" p LEFT JOIN "finance"."ErpConnector" c ON c."businessUnitId" = p."businessUnitId"`;

const record = (r: PostingRow): ExceptionRecord => ({
  id: exceptionId("FAILED_POSTING", r.id),
  domain: "erp-finance",
  source: r.system,
  kind: "FAILED_POSTING",
  state: r.state,
  reason: `${r.documentType === "INVOICE" ? "invoice" : "credit memo"} ${r.documentNumber}: ${r.reason ?? "failed"}`,
  correlationId: r.correlationId,
  raisedAt: r.raisedAt,
  resolvedAt: r.resolvedAt,
  resolutionNote: r.resolutionNote,
  // The document is in the graph (Invoice, CreditMemo); what was sent is not kept apart from it.
  rawPayload: null,
});

const and = (parts: Prisma.Sql[]) => (parts.length ? Prisma.join(parts, " AND ") : Prisma.sql`true`);

export function financeExceptions({ db, correlationId }: { db: Db; correlationId: string }): ExceptionContributor {
  async function get(id: string) {
    const { kind, ownerId } = parseExceptionId(id);
    if (kind !== "FAILED_POSTING") return null;
    const [row] = await db.$queryRaw<PostingRow[]>`SELECT ${COLUMNS} FROM ${FROM} WHERE p."id" = ${ownerId} AND p."exceptionState" IS NOT NULL`;
    return row ? record(row) : null;
  }
  async function existing(id: string) {
    const r = await get(id);
    if (!r) throw exceptionNotFound(id);
    return r;
  }
  return {
    domain: "erp-finance",
    kinds: ["FAILED_POSTING"],
    async list(q) {
      if (!wanted(q, "FAILED_POSTING")) return { rows: [], total: 0 };
      const cols = { raisedAt: Prisma.sql`p."exceptionRaisedAt"`, state: Prisma.sql`p."exceptionState"`, source: SOURCE, idSql: ID };
      const base = Prisma.sql`p."exceptionState" IS NOT NULL`;
      const [rows, [{ n }]] = await Promise.all([
        db.$queryRaw<PostingRow[]>`SELECT ${COLUMNS} FROM ${FROM} WHERE ${and([base, ...exceptionConditions(q, cols)])}
          ORDER BY p."exceptionRaisedAt" DESC, p."id" COLLATE "C" DESC LIMIT ${q.limit}`,
        db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM ${FROM} WHERE ${and([base, ...exceptionConditions({ ...q, after: null }, cols)])}`,
      ]);
      return { rows: rows.map(record), total: n };
    },
    get,
    async retry(id) {
      assertOpen(await existing(id), "retried");
      const { ownerId } = parseExceptionId(id);
      const posting = (await db.erpPosting.findUnique({ where: { id: ownerId }, select: { documentType: true, documentId: true } }))!;
      await retryPosting(db, posting, "retried from the exception queue", correlationId);
      return existing(id);
    },
    async settle(id, state, note) {
      assertOpen(await existing(id), state === "RESOLVED" ? "resolved" : "discarded");
      const { ownerId } = parseExceptionId(id);
      const changed = await db.$transaction(async (tx) => {
        const n = await tx.erpPosting.updateMany({
          where: { id: ownerId, exceptionState: "OPEN" },
          data: { exceptionState: state, exceptionResolvedAt: new Date(), resolutionNote: note },
        });
        if (n.count) {
          await tx.erpPostingHistory.create({
            data: {
              postingId: ownerId,
              action: state === "RESOLVED" ? "EXCEPTION_RESOLVED" : "EXCEPTION_DISCARDED",
              detail: `${note} (correlation id ${correlationId})`,
            },
          });
        }
        return n.count;
      });
      const after = await existing(id);
      if (!changed) assertOpen(after, state === "RESOLVED" ? "resolved" : "discarded");
      return after;
    },
  };
}

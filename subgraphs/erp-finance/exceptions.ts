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
  exceptionId,
  parseExceptionId,
  type ExceptionContributor,
  type ExceptionRecord,
  type ExceptionState,
} from "../../platform/exceptions/queue.js";
import { exceptionTable } from "../../platform/exceptions/table.js";
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

export function financeExceptions({ db, correlationId }: { db: Db; correlationId: string }): ExceptionContributor {
  const table = exceptionTable<PostingRow>(db, { kind: "FAILED_POSTING", alias: "p", columns: COLUMNS, from: FROM, source: SOURCE, record });
  const existing = table.existing;
  return {
    domain: "erp-finance",
    kinds: ["FAILED_POSTING"],
    list: table.list,
    get: table.get,
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

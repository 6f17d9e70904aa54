// The contract between whoever creates an invoice or credit memo and its posting to the
// business unit's ERP (docs/decisions.md "Posting to the ERP: the contract"):
//
//   schedulePosting(tx, { documentType: "INVOICE", documentId })
//
// called in the transaction that creates the document, so the document and its place in the
// posting queue commit together. The posting worker takes it from there (retries, exceptions,
// no duplicates in the ERP). As a safety net, any invoice or credit memo whose postingStatus is
// PENDING and that has no posting yet is scheduled by the worker's sweep (that is how invoices
// written before this queue existed, such as the demo's, get posted), and a FAILED one without a
// posting becomes a visible exception that can be retried.
import type { Tx } from "../../../platform/events/event-log.js";
import type { Db } from "../../../platform/db/client.js";
import type { ErpDocumentType } from "../../../platform/db/generated/client.js";

export interface PostingRef {
  documentType: ErpDocumentType;
  documentId: string;
}

export const postingIdOf = (ref: PostingRef) => `${ref.documentType}:${ref.documentId}`;

/** Puts the document in the posting queue (once: a second call changes nothing). Returns the posting id. */
export async function schedulePosting(tx: Tx, ref: PostingRef, correlationId: string | null = null): Promise<string> {
  const doc =
    ref.documentType === "INVOICE"
      ? await tx.invoice
          .findUnique({ where: { id: ref.documentId }, select: { businessUnitId: true, invoiceNumber: true } })
          .then((i) => i && { businessUnitId: i.businessUnitId, number: i.invoiceNumber })
      : await tx.creditMemo
          .findUnique({ where: { id: ref.documentId }, select: { businessUnitId: true, creditMemoNumber: true } })
          .then((c) => c && { businessUnitId: c.businessUnitId, number: c.creditMemoNumber });
  if (!doc) throw new Error(`schedulePosting: no ${ref.documentType} ${ref.documentId} (call it after creating the document, in the same transaction)`);
  const id = postingIdOf(ref);
  const inserted = await tx.$executeRaw`
    INSERT INTO "finance"."ErpPosting" ("id", "documentType", "documentId", "businessUnitId", "documentNumber", "state", "nextAttemptAt", "updatedAt", "correlationId")
    VALUES (${id}, ${ref.documentType}::"finance"."ErpDocumentType", ${ref.documentId}, ${doc.businessUnitId}, ${doc.number}, 'PENDING', now(), now(), ${correlationId})
    ON CONFLICT DO NOTHING`;
  if (inserted) await tx.erpPostingHistory.create({ data: { postingId: id, action: "SCHEDULED", detail: null } });
  return id;
}

/**
 * The sweep: invoices and credit memos PENDING without a posting are scheduled; FAILED ones
 * without a posting (marked so before postings were tracked) become exceptions. Returns how many.
 */
export async function scheduleUnscheduled(db: Db): Promise<number> {
  let total = 0;
  for (const [type, table, numberColumn] of [
    ["INVOICE", "Invoice", "invoiceNumber"],
    ["CREDIT_MEMO", "CreditMemo", "creditMemoNumber"],
  ] as const) {
    const [{ n }] = await db.$queryRawUnsafe<{ n: bigint }[]>(`
      WITH added AS (
        INSERT INTO "finance"."ErpPosting" ("id", "documentType", "documentId", "businessUnitId", "documentNumber", "state", "nextAttemptAt", "lastError", "updatedAt", "correlationId")
        SELECT '${type}:' || d."id", '${type}', d."id", d."businessUnitId", d."${numberColumn}",
          CASE WHEN d."postingStatus" = 'FAILED' THEN 'FAILED'::"finance"."ErpPostingState" ELSE 'PENDING'::"finance"."ErpPostingState" END,
          now(),
          CASE WHEN d."postingStatus" = 'FAILED' THEN 'marked FAILED before its posting was tracked here (no reason recorded): retry it to post it' END,
          now(),
          -- The posting belongs to the transaction that created the document (its first event's correlation id).
          (SELECT e."correlationId" FROM "platform"."EventLog" e
            WHERE e."aggregateType" = '${type === "INVOICE" ? "Invoice" : "CreditMemo"}' AND e."aggregateId" = d."id" ORDER BY e."sequence" LIMIT 1)
        FROM "finance"."${table}" d
        WHERE d."postingStatus" IN ('PENDING', 'FAILED')
          AND NOT EXISTS (SELECT 1 FROM "finance"."ErpPosting" p WHERE p."documentType" = '${type}' AND p."documentId" = d."id")
        ON CONFLICT DO NOTHING
        RETURNING "id", "state"
      ), logged AS (
        INSERT INTO "finance"."ErpPostingHistory" ("postingId", "action", "detail")
        SELECT "id", 'SCHEDULED', CASE WHEN "state" = 'FAILED' THEN 'found FAILED without a posting' ELSE 'found PENDING without a posting' END FROM added
      )
      SELECT COUNT(*) AS n FROM added`);
    total += Number(n);
  }
  return total;
}

// What a delivery outcome does to our records, in one transaction for a batch: the posting's
// state, its history, the document's postingStatus / ERP number, and the events that tell the rest
// of the graph (ErpDocumentPosted, ErpPostingFailed). A posting is only moved on from IN_FLIGHT, so
// a worker that lost its lease to another (it was slower than leaseMs) cannot overwrite an outcome.
import { appendEvents, type Tx } from "../../../platform/events/event-log.js";
import type { ErpErrorKind, ErpPosting, PostingStatus } from "../../../platform/db/generated/client.js";
import type { DeliveryOutcome } from "../sources/erp/connector.js";
import { ERP_DOCUMENT_POSTED, ERP_POSTING_FAILED, type ErpDocumentPostedPayload, type ErpPostingFailedPayload } from "../events.js";

export interface RetryPolicy {
  /** Delivery attempts before a posting that keeps failing transiently becomes an exception (the connector's maxAttempts). */
  maxAttempts: number;
  /** Wait before attempt n+1 after n failures: baseMs * 2^(n-1), at most maxMs. */
  baseMs: number;
  maxMs: number;
}

export const backoffMs = (attempts: number, p: Pick<RetryPolicy, "baseMs" | "maxMs">) => Math.min(p.baseMs * 2 ** Math.max(0, attempts - 1), p.maxMs);

/** The document's own postingStatus (Invoice, CreditMemo) and ERP number. */
export async function setDocumentPosting(
  tx: Tx,
  p: Pick<ErpPosting, "documentType" | "documentId">,
  status: PostingStatus,
  posted?: { erpDocumentNumber: string; at: Date },
) {
  const data = { postingStatus: status, ...(posted && { erpDocumentNumber: posted.erpDocumentNumber, postedAt: posted.at }) };
  if (p.documentType === "INVOICE") await tx.invoice.updateMany({ where: { id: p.documentId }, data });
  else await tx.creditMemo.updateMany({ where: { id: p.documentId }, data });
}

const aggregateType = (p: Pick<ErpPosting, "documentType">) => (p.documentType === "INVOICE" ? "Invoice" : "CreditMemo");

export async function markPosted(
  tx: Tx,
  p: ErpPosting,
  posted: {
    erpDocumentId: string | null;
    erpDocumentNumber: string;
    foundExisting: boolean;
    action: string;
    detail: string;
    durationMs?: number;
    httpStatus?: number;
  },
  correlationId: string,
  now: Date,
) {
  const updated = await tx.erpPosting.update({
    where: { id: p.id },
    data: {
      state: "POSTED",
      postedAt: now,
      erpDocumentId: posted.erpDocumentId,
      erpDocumentNumber: posted.erpDocumentNumber,
      leaseUntil: null,
      nextAttemptAt: null,
    },
  });
  await tx.erpPostingHistory.create({
    data: {
      postingId: p.id,
      at: now,
      action: posted.action,
      detail: posted.detail,
      durationMs: posted.durationMs ?? null,
      httpStatus: posted.httpStatus ?? null,
    },
  });
  await setDocumentPosting(tx, p, "POSTED", { erpDocumentNumber: posted.erpDocumentNumber, at: now });
  const payload: ErpDocumentPostedPayload = {
    postingId: p.id,
    documentType: p.documentType,
    documentId: p.documentId,
    documentNumber: p.documentNumber,
    businessUnitId: p.businessUnitId,
    erpDocumentNumber: posted.erpDocumentNumber,
    foundExisting: posted.foundExisting,
    attempts: updated.totalAttempts,
    corrections: updated.corrections,
  };
  // The event belongs to the document's transaction (the posting keeps its id), not to the worker's batch.
  await appendEvents(tx, p.correlationId ?? correlationId, [
    {
      type: ERP_DOCUMENT_POSTED,
      aggregateType: aggregateType(p),
      aggregateId: p.documentId,
      aggregateVersion: updated.totalAttempts,
      occurredAt: now,
      payload: { ...payload },
    },
  ]);
}

export async function markFailed(
  tx: Tx,
  p: ErpPosting,
  failure: { kind: ErpErrorKind; error: string; action: string; durationMs?: number; httpStatus?: number },
  correlationId: string,
  now: Date,
) {
  const updated = await tx.erpPosting.update({
    where: { id: p.id },
    data: { state: "FAILED", lastError: failure.error.slice(0, 4000), lastErrorKind: failure.kind, leaseUntil: null, nextAttemptAt: null },
  });
  await tx.erpPostingHistory.create({
    data: {
      postingId: p.id,
      at: now,
      action: failure.action,
      detail: failure.error.slice(0, 4000),
      durationMs: failure.durationMs ?? null,
      httpStatus: failure.httpStatus ?? null,
    },
  });
  await setDocumentPosting(tx, p, "FAILED");
  const payload: ErpPostingFailedPayload = {
    postingId: p.id,
    documentType: p.documentType,
    documentId: p.documentId,
    documentNumber: p.documentNumber,
    businessUnitId: p.businessUnitId,
    errorKind: failure.kind,
    error: failure.error.slice(0, 1000),
    attempts: updated.totalAttempts,
  };
  await appendEvents(tx, p.correlationId ?? correlationId, [
    {
      type: ERP_POSTING_FAILED,
      aggregateType: aggregateType(p),
      aggregateId: p.documentId,
      aggregateVersion: updated.totalAttempts,
      occurredAt: now,
      payload: { ...payload },
    },
  ]);
}

/** Records the outcomes of one delivered batch; returns the postings that became exceptions. */
export async function recordOutcomes(
  tx: Tx,
  results: { posting: ErpPosting; outcome: DeliveryOutcome }[],
  policy: RetryPolicy,
  correlationId: string,
  now: Date,
): Promise<number> {
  const ids = results.map((r) => r.posting.id);
  const locked = await tx.$queryRaw<{ id: string; state: string; attempts: number }[]>`
    SELECT "id", "state"::text AS "state", "attempts" FROM "finance"."ErpPosting" WHERE "id" = ANY(${ids}) ORDER BY "id" FOR UPDATE`;
  const current = new Map(locked.map((r) => [r.id, r]));
  let failed = 0;
  for (const { posting, outcome } of results) {
    const row = current.get(posting.id);
    if (!row || row.state !== "IN_FLIGHT") continue; // settled by someone else meanwhile
    const p = { ...posting, attempts: row.attempts };
    switch (outcome.status) {
      case "POSTED":
        await markPosted(tx, p, { ...outcome, action: outcome.foundExisting ? "FOUND_EXISTING" : "POSTED" }, correlationId, now);
        break;
      case "SENT":
        await tx.erpPosting.update({
          where: { id: p.id },
          data: { state: "AWAITING_ACK", sentAt: now, batchFile: outcome.batchFile, leaseUntil: null, lastError: null, lastErrorKind: null },
        });
        await tx.erpPostingHistory.create({ data: { postingId: p.id, at: now, action: "EXPORTED", detail: outcome.detail, durationMs: outcome.durationMs } });
        break;
      case "UNAVAILABLE":
        if (p.attempts >= policy.maxAttempts) {
          failed++;
          await markFailed(
            tx,
            p,
            {
              kind: "UNAVAILABLE",
              action: "GAVE_UP",
              error: `gave up after ${p.attempts} attempts; last: ${outcome.reason}`,
              durationMs: outcome.durationMs,
              httpStatus: outcome.httpStatus,
            },
            correlationId,
            now,
          );
        } else {
          const wait = backoffMs(p.attempts, policy);
          await tx.erpPosting.update({
            where: { id: p.id },
            data: {
              state: "PENDING",
              leaseUntil: null,
              nextAttemptAt: new Date(now.getTime() + wait),
              lastError: outcome.reason.slice(0, 4000),
              lastErrorKind: "UNAVAILABLE",
            },
          });
          await tx.erpPostingHistory.create({
            data: {
              postingId: p.id,
              at: now,
              action: "UNAVAILABLE",
              detail: `${outcome.reason}; attempt ${p.attempts} of ${policy.maxAttempts}, next in ${Math.round(wait / 1000)} s`,
              durationMs: outcome.durationMs,
              httpStatus: outcome.httpStatus ?? null,
            },
          });
        }
        break;
      case "REJECTED":
        failed++;
        await markFailed(
          tx,
          p,
          { kind: "REJECTED", action: "REJECTED", error: outcome.reason, durationMs: outcome.durationMs, httpStatus: outcome.httpStatus },
          correlationId,
          now,
        );
        break;
      case "CONFIGURATION":
        failed++;
        await markFailed(
          tx,
          p,
          { kind: "CONFIGURATION", action: "CONFIGURATION", error: outcome.reason, durationMs: outcome.durationMs, httpStatus: outcome.httpStatus },
          correlationId,
          now,
        );
        break;
    }
  }
  return failed;
}

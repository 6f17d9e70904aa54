// The file ERP's acknowledgements of exported postings: POSTED (with its document number),
// DUPLICATE (it already had that number: posted before, so posted now too, never twice) or
// REJECTED (with its reason: an exception, retryable once fixed). A late acknowledgement settles a
// posting that had timed out; one for a posting already posted changes nothing.
import type { Tx } from "../../../platform/events/event-log.js";
import type { ErpPosting } from "../../../platform/db/generated/client.js";
import type { ErpAcknowledgement } from "../sources/erp/connector.js";
import { markFailed, markPosted } from "../posting/outcomes.js";

export interface AcknowledgementResult {
  posted: string[];
  rejected: string[];
  /** Rows that changed nothing, with why (unknown document, already posted). */
  ignored: string[];
}

export async function applyAcknowledgements(
  tx: Tx,
  businessUnitId: string,
  file: string,
  acks: ErpAcknowledgement[],
  correlationId: string,
  now = new Date(),
): Promise<AcknowledgementResult> {
  const result: AcknowledgementResult = { posted: [], rejected: [], ignored: [] };
  // The file's postings locked up front in id order (the order the posting worker locks in), so an
  // acknowledgement and a worker recording outcomes never wait on each other crosswise.
  const numbers = [...new Set(acks.map((a) => a.documentNumber))];
  await tx.$queryRaw`SELECT "id" FROM "finance"."ErpPosting" WHERE "businessUnitId" = ${businessUnitId} AND "documentNumber" = ANY(${numbers}) ORDER BY "id" FOR UPDATE`;
  for (const a of acks) {
    const [p] = await tx.$queryRaw<ErpPosting[]>`
      SELECT * FROM "finance"."ErpPosting" WHERE "businessUnitId" = ${businessUnitId} AND "documentType" = ${a.documentType}::"finance"."ErpDocumentType" AND "documentNumber" = ${a.documentNumber} FOR UPDATE`;
    if (!p) {
      result.ignored.push(`${a.where}: no ${a.documentType} ${a.documentNumber} was sent to this ERP`);
      continue;
    }
    if (p.state === "POSTED") {
      result.ignored.push(
        `${a.where}: ${a.documentNumber} is already posted as ${p.erpDocumentNumber}${a.status === "REJECTED" ? `; a later rejection ("${a.message}") is not applied` : ""}`,
      );
      continue;
    }
    if (a.status === "REJECTED") {
      if (p.state === "FAILED" && p.lastErrorKind === "REJECTED") {
        result.ignored.push(`${a.where}: ${a.documentNumber} is already an exception`);
        continue;
      }
      await markFailed(tx, p, { kind: "REJECTED", action: "ACK_REJECTED", error: `the ERP rejected it (${file}): ${a.message}` }, correlationId, now);
      result.rejected.push(a.documentNumber);
      continue;
    }
    await markPosted(
      tx,
      p,
      {
        erpDocumentId: null,
        erpDocumentNumber: a.erpDocumentNumber!,
        foundExisting: a.status === "DUPLICATE",
        action: a.status === "DUPLICATE" ? "ACK_DUPLICATE" : "ACKNOWLEDGED",
        detail: `${a.status === "DUPLICATE" ? "the ERP already had it, as" : "posted as"} ${a.erpDocumentNumber} (${file})${a.message ? `: ${a.message}` : ""}`,
      },
      correlationId,
      now,
    );
    result.posted.push(a.documentNumber);
  }
  return result;
}

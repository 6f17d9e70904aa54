// Posting as operations staff see it: the queue and its exceptions, a retry on request, a manual
// fix, and posting accuracy (posted without correction / posted), all from what is stored.
import { DomainError, ErrorCode } from "../../../platform/errors.js";
import { buildConnection, cursorWhere, pageWindow, readDirection, type ConnectionModel, type PageArgs } from "../../../platform/graphql/connection.js";
import type { Db } from "../../../platform/db/client.js";
import type { ErpDocumentType, ErpErrorKind, ErpPosting, ErpPostingState, Prisma } from "../../../platform/db/generated/client.js";
import { markPosted, setDocumentPosting } from "./outcomes.js";
import { postingIdOf, type PostingRef } from "./schedule.js";

export interface PostingFilter {
  businessUnitId?: string | null;
  documentType?: ErpDocumentType | null;
  state?: ErpPostingState[] | null;
  errorKind?: ErpErrorKind[] | null;
}

/** Postings, most recently scheduled first (a stable order for paging while postings change). */
export async function listPostings(db: Db, filter: PostingFilter | null | undefined, page: PageArgs = {}): Promise<ConnectionModel<ErpPosting>> {
  const window = pageWindow(page, 2);
  const dir = readDirection("desc", window);
  const where: Prisma.ErpPostingWhereInput = {};
  if (filter?.businessUnitId) where.businessUnitId = filter.businessUnitId;
  if (filter?.documentType) where.documentType = filter.documentType;
  if (filter?.state?.length) where.state = { in: filter.state };
  if (filter?.errorKind?.length) where.lastErrorKind = { in: filter.errorKind };
  const rows = await db.erpPosting.findMany({
    where: { AND: [where, cursorWhere(window, "scheduledAt", "desc") as Prisma.ErpPostingWhereInput] },
    orderBy: [{ scheduledAt: dir }, { id: dir }],
    take: window.limit + 1,
  });
  return buildConnection(
    rows,
    window,
    (p) => [p.scheduledAt.toISOString(), p.id],
    () => db.erpPosting.count({ where }),
  );
}

const notFound = (ref: PostingRef) =>
  new DomainError(ErrorCode.NOT_FOUND, `${ref.documentType === "INVOICE" ? "invoice" : "credit memo"} ${ref.documentId} has no posting`);

/**
 * Sends an exception (FAILED) to the ERP again, at once; one waiting for its next attempt is
 * made due now. Retrying an exception counts as a correction (posting accuracy). Posted and
 * in-flight postings are refused with the reason.
 */
export async function retryPosting(db: Db, ref: PostingRef, reason: string | null, correlationId: string): Promise<ErpPosting> {
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<ErpPosting[]>`SELECT * FROM "finance"."ErpPosting" WHERE "id" = ${postingIdOf(ref)} FOR UPDATE`;
    if (!row) throw notFound(ref);
    if (row.state === "POSTED")
      throw new DomainError(
        ErrorCode.INVALID_STATUS_TRANSITION,
        `${row.documentNumber} is already posted in the ERP as ${row.erpDocumentNumber}: nothing to retry`,
        { state: row.state },
      );
    if (row.state === "IN_FLIGHT" || row.state === "AWAITING_ACK") {
      throw new DomainError(
        ErrorCode.INVALID_STATUS_TRANSITION,
        `${row.documentNumber} is ${row.state === "IN_FLIGHT" ? "being delivered right now" : `waiting for the ERP's acknowledgement of ${row.batchFile}`}: retry it once that has an outcome`,
        { state: row.state },
      );
    }
    const correction = row.state === "FAILED";
    const updated = await tx.erpPosting.update({
      where: { id: row.id },
      data: { state: "PENDING", attempts: 0, nextAttemptAt: new Date(), ...(correction && { corrections: { increment: 1 } }) },
    });
    await tx.erpPostingHistory.create({
      data: {
        postingId: row.id,
        action: "RETRY_REQUESTED",
        detail: [
          correction ? `after ${row.lastErrorKind ?? "an exception"}: ${row.lastError ?? ""}` : "made due now",
          reason ? `reason: ${reason}` : null,
          `correlation id ${correlationId}`,
        ]
          .filter(Boolean)
          .join("; "),
      },
    });
    await setDocumentPosting(tx, row, "PENDING");
    return updated;
  });
}

/**
 * Someone posted the document in the ERP by hand (or found it there): record it as posted with
 * the ERP's number. A manual fix is a correction.
 */
export async function resolvePostingManually(db: Db, ref: PostingRef, erpDocumentNumber: string, reason: string, correlationId: string): Promise<ErpPosting> {
  if (!erpDocumentNumber.trim())
    throw new DomainError(ErrorCode.INVALID_ARGUMENT, `Argument "erpDocumentNumber" must name the document's number in the ERP`, {
      argument: "erpDocumentNumber",
    });
  if (!reason.trim()) throw new DomainError(ErrorCode.INVALID_ARGUMENT, `Argument "reason" must say what was done`, { argument: "reason" });
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<ErpPosting[]>`SELECT * FROM "finance"."ErpPosting" WHERE "id" = ${postingIdOf(ref)} FOR UPDATE`;
    if (!row) throw notFound(ref);
    if (row.state === "POSTED")
      throw new DomainError(ErrorCode.INVALID_STATUS_TRANSITION, `${row.documentNumber} is already posted as ${row.erpDocumentNumber}`, { state: row.state });
    if (row.state === "IN_FLIGHT")
      throw new DomainError(ErrorCode.INVALID_STATUS_TRANSITION, `${row.documentNumber} is being delivered right now: wait for its outcome`, {
        state: row.state,
      });
    const p = await tx.erpPosting.update({ where: { id: row.id }, data: { corrections: { increment: 1 } } });
    await markPosted(
      tx,
      p,
      {
        erpDocumentId: null,
        erpDocumentNumber: erpDocumentNumber.trim(),
        foundExisting: true,
        action: "RESOLVED_MANUALLY",
        detail: `${reason.trim()} (correlation id ${correlationId})`,
      },
      correlationId,
      new Date(),
    );
    return tx.erpPosting.findUniqueOrThrow({ where: { id: row.id } });
  });
}

export interface PostingAccuracy {
  posted: number;
  postedWithoutCorrection: number;
  /** postedWithoutCorrection / posted, null when nothing was posted. */
  accuracy: number | null;
}

/** Posted without correction / posted, for postings posted in [from, to) (either open), per business unit or all. */
export async function postingAccuracy(
  db: Db,
  filter: { businessUnitId?: string | null; postedFrom?: Date | null; postedTo?: Date | null },
): Promise<PostingAccuracy> {
  const where: Prisma.ErpPostingWhereInput = {
    state: "POSTED",
    ...(filter.businessUnitId && { businessUnitId: filter.businessUnitId }),
    ...((filter.postedFrom || filter.postedTo) && {
      postedAt: { ...(filter.postedFrom && { gte: filter.postedFrom }), ...(filter.postedTo && { lt: filter.postedTo }) },
    }),
  };
  const [posted, clean] = await Promise.all([db.erpPosting.count({ where }), db.erpPosting.count({ where: { ...where, corrections: 0 } })]);
  return { posted, postedWithoutCorrection: clean, accuracy: posted ? clean / posted : null };
}

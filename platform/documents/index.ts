// Outbound partner documents: what this graph sends back to trading partners (an X12 855 per EDI
// order, a 997 per received functional group). Domains generate the content; this store keeps it
// with its control number, once per document key, and hands out control numbers that are unique
// per partner. Rows live in platform."OutboundDocument" and platform."PartnerControlNumber" and
// are read and written only through these functions.
import type { Db } from "../db/client.js";
import type { Tx } from "../events/event-log.js";
import { timeOrderedId } from "../ids.js";

export interface OutboundDocumentView {
  id: string;
  type: string;
  standard: string;
  partner: string;
  controlNumber: string;
  content: string;
  orderId: string | null;
  inboundMessageIds: string[];
  createdAt: Date;
}

export interface NewDocument {
  /** Unique per document ("855:<orderId>", "997:<group key>"): a second store of the same key returns the first. */
  documentKey: string;
  type: string;
  standard: "X12" | "EDIFACT" | "JSON";
  partner: string;
  controlNumber: string;
  content: string;
  orderId?: string | null;
  inboundMessageIds?: string[];
  /** The transaction it belongs to: the correlation id of the event or message that produced it. */
  correlationId?: string | null;
}

/**
 * Queues a stored document for delivery to a target ("folder:<path under the outbox root>",
 * "file:<absolute folder>" or an http(s) URL), in the caller's transaction: the delivery worker
 * (delivery.ts) sends it after commit, with retries. Queuing the same document to the same target
 * twice queues it once.
 */
export async function queueDelivery(tx: Tx, documentId: string, target: string): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "platform"."DocumentDelivery" ("id", "documentId", "target") VALUES (${`DLV-${timeOrderedId()}`}, ${documentId}, ${target})
    ON CONFLICT ("documentId", "target") DO NOTHING`;
}

export function deliveriesOf(db: Db, documentIds: string[]) {
  return db.documentDelivery.findMany({ where: { documentId: { in: documentIds } }, orderBy: { createdAt: "asc" } });
}

/** The largest X12 interchange control number (ISA13 is nine digits); the counter wraps after it. */
const MAX_X12_CONTROL = 999_999_999n;

/**
 * The next control number for a partner, taken in the caller's transaction: the row lock makes
 * concurrent documents for one partner take different numbers, and a rolled-back document gives
 * its number back. Starts at 1; after 999,999,999 it wraps to 1 (the partner has long purged it).
 */
export async function nextControlNumber(tx: Tx, partner: string): Promise<bigint> {
  const [row] = await tx.$queryRaw<{ last: bigint }[]>`
    INSERT INTO "platform"."PartnerControlNumber" ("partner", "last", "updatedAt") VALUES (${partner}, 1, now())
    ON CONFLICT ("partner") DO UPDATE SET "last" = CASE WHEN "PartnerControlNumber"."last" >= ${MAX_X12_CONTROL} THEN 1 ELSE "PartnerControlNumber"."last" + 1 END, "updatedAt" = now()
    RETURNING "last"`;
  return BigInt(row.last);
}

/** The document already stored under this key, if any. */
export function documentByKey(db: Db | Tx, documentKey: string): Promise<OutboundDocumentView | null> {
  return db.outboundDocument.findUnique({ where: { documentKey }, omit: { documentKey: true } });
}

/**
 * Stores a document in the caller's transaction; if one with the same key exists, it is returned
 * and nothing is written (the caller should check documentByKey first, to not spend a control number).
 */
export async function storeDocument(tx: Tx, doc: NewDocument): Promise<OutboundDocumentView> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${doc.documentKey}, 7340003))`;
  const existing = await documentByKey(tx, doc.documentKey);
  if (existing) return existing;
  return tx.outboundDocument.create({
    data: {
      id: `DOC-${timeOrderedId()}`,
      documentKey: doc.documentKey,
      type: doc.type,
      standard: doc.standard,
      partner: doc.partner,
      controlNumber: doc.controlNumber,
      content: doc.content,
      orderId: doc.orderId ?? null,
      inboundMessageIds: doc.inboundMessageIds ?? [],
      correlationId: doc.correlationId ?? null,
    },
    omit: { documentKey: true },
  });
}

export function documentById(db: Db, id: string): Promise<OutboundDocumentView | null> {
  return db.outboundDocument.findUnique({ where: { id }, omit: { documentKey: true } });
}

/**
 * Documents about these orders: those addressed about the order itself (855) and those answering
 * the inbound message it was captured from (the 997 of its functional group), oldest first,
 * grouped by order id.
 */
export async function documentsForOrders(db: Db, orders: { id: string; sourceMessageId: string | null }[]): Promise<Map<string, OutboundDocumentView[]>> {
  const ids = orders.map((o) => o.id);
  const messageIds = orders.flatMap((o) => (o.sourceMessageId ? [o.sourceMessageId] : []));
  const rows = await db.outboundDocument.findMany({
    where: { OR: [{ orderId: { in: ids } }, ...(messageIds.length ? [{ inboundMessageIds: { hasSome: messageIds } }] : [])] },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    omit: { documentKey: true },
  });
  const out = new Map<string, OutboundDocumentView[]>(ids.map((id) => [id, []]));
  for (const o of orders) {
    out.set(
      o.id,
      rows.filter((d) => d.orderId === o.id || (o.sourceMessageId !== null && d.inboundMessageIds.includes(o.sourceMessageId))),
    );
  }
  return out;
}

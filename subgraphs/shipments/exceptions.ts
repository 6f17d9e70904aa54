// shipments' part of the exception queue: outbound documents (warehouse shipping orders, 855s,
// 856s, 810s, 997s) whose delivery to a partner's or warehouse's outbox failed after every
// attempt. Their place in the queue is kept by a trigger (migration 20261128195000_exception_queue):
// OPEN when the delivery becomes FAILED, RESOLVED when a retry delivers it. A retry puts the
// delivery back in line for the delivery worker, like retryDocumentDelivery, so the exception
// stays OPEN until the document is delivered.
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
import { retryDelivery } from "../../platform/documents/delivery.js";

interface DeliveryRow {
  id: string;
  target: string;
  source: string;
  type: string;
  partner: string;
  reason: string | null;
  correlationId: string | null;
  state: ExceptionState;
  raisedAt: Date;
  resolvedAt: Date | null;
  resolutionNote: string | null;
  content: string | null;
}

/** Where it was going: file (a folder) or http (an endpoint). */
const SOURCE = Prisma.sql`(CASE WHEN d."target" LIKE 'file:%' THEN 'file' ELSE 'http' END)`;
const COLUMNS = Prisma.sql`d."id", d."target", ${SOURCE} AS "source", o."type", o."partner", COALESCE(d."exceptionReason", d."lastError") AS "reason", o."correlationId",
  d."exceptionState"::text AS "state", d."exceptionRaisedAt" AS "raisedAt", d."resolvedAt", d."resolutionNote", o."content"`;
const FROM = Prisma.sql`"platform"."DocumentDelivery" d JOIN "platform"."OutboundDocument" o ON o."id" = d."documentId"`;

const record = (r: DeliveryRow): ExceptionRecord => ({
  id: exceptionId("FAILED_DELIVERY", r.id),
  domain: "shipments",
  source: r.source,
  kind: "FAILED_DELIVERY",
  state: r.state,
  reason: `${r.type} for ${r.partner} to ${r.target}: ${r.reason ?? "failed"}`,
  correlationId: r.correlationId,
  raisedAt: r.raisedAt,
  resolvedAt: r.resolvedAt,
  resolutionNote: r.resolutionNote,
  rawPayload: r.content,
});

export function shipmentExceptions({ db }: { db: Db }): ExceptionContributor {
  const table = exceptionTable<DeliveryRow>(db, { kind: "FAILED_DELIVERY", alias: "d", columns: COLUMNS, from: FROM, source: SOURCE, record });
  const existing = table.existing;
  return {
    domain: "shipments",
    kinds: ["FAILED_DELIVERY"],
    list: table.list,
    get: table.get,
    async retry(id) {
      assertOpen(await existing(id), "retried");
      await retryDelivery(db, parseExceptionId(id).ownerId);
      return existing(id);
    },
    async settle(id, state, note) {
      assertOpen(await existing(id), state === "RESOLVED" ? "resolved" : "discarded");
      const n = await db.documentDelivery.updateMany({
        where: { id: parseExceptionId(id).ownerId, exceptionState: "OPEN" },
        data: { exceptionState: state, resolvedAt: new Date(), resolutionNote: note },
      });
      const after = await existing(id);
      if (!n.count) assertOpen(after, state === "RESOLVED" ? "resolved" : "discarded");
      return after;
    },
  };
}

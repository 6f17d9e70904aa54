// Pulls what a business unit's ERP has for us and applies it: customers (credit limits, terms,
// holds) into erp-finance, acknowledgements onto postings, and sales orders keyed into the ERP
// into the ingestion pipeline, where the orders domain captures them (sources/erp/sales-order.ts).
// Each unit (a file, a cloud pull) is applied in one transaction with its record: a file in
// finance.ErpFileImport (its content hash applies once: the same file twice is archived as a
// DUPLICATE), a cloud pull's cursor in finance.ErpSyncCursor. A file that is not in the agreed
// format goes to error/ with a reason file, nothing of it applied.
import { randomUUID } from "node:crypto";
import { Prisma, type ErpFileState } from "../../../platform/db/generated/client.js";
import type { Db } from "../../../platform/db/client.js";
import type { Tx } from "../../../platform/events/event-log.js";
import { timeOrderedId } from "../../../platform/ids.js";
import type { HandlerRegistry } from "../../../platform/ingest/handlers.js";
import { dedupeKeyOf, receiveMessages } from "../../../platform/ingest/message-store.js";
import { processMessages } from "../../../platform/ingest/pipeline.js";
import { sha256 } from "../../../platform/ingest/json-body.js";
import { ErpFormatError, ErpUnavailableError, type ErpConnectorApi, type InboundContent, type InboundUnit } from "../sources/erp/connector.js";
import { ERP_SALES_ORDER_KIND, ERP_SALES_ORDER_SOURCE } from "../sources/erp/sales-order.js";
import { applyErpCustomers } from "./customers.js";
import { applyAcknowledgements } from "./acknowledgements.js";

export interface UnitReport {
  name: string;
  entity: string | null;
  state: ErpFileState | "FAILED";
  rows: number;
  error?: string;
  result?: unknown;
  movedTo?: string | null;
}

export interface SyncReport {
  businessUnitId: string;
  units: UnitReport[];
  /** Set when the ERP could not be asked at all (the next poll tries again). */
  unavailable?: string;
}

const json = (x: unknown) => x as Prisma.InputJsonValue;

export async function syncBusinessUnit(db: Db, registry: HandlerRegistry | null, businessUnitId: string, connector: ErpConnectorApi): Promise<SyncReport> {
  const report: SyncReport = { businessUnitId, units: [] };
  const cursors = Object.fromEntries((await db.erpSyncCursor.findMany({ where: { businessUnitId } })).map((c) => [c.entity, c.cursor]));
  let units: InboundUnit[];
  try {
    units = await connector.pull(cursors);
  } catch (err) {
    if (err instanceof ErpUnavailableError) return { ...report, unavailable: err.message };
    throw err;
  }
  const unit = await db.businessUnit.findUniqueOrThrow({ where: { id: businessUnitId }, select: { id: true, currency: true } });
  for (const u of units) report.units.push(await applyUnit(db, registry, unit, connector.system, u));
  return report;
}

async function applyUnit(
  db: Db,
  registry: HandlerRegistry | null,
  unit: { id: string; currency: string },
  system: string,
  u: InboundUnit,
): Promise<UnitReport> {
  const correlationId = `erp-sync-${randomUUID()}`;
  const dedupeKey = u.contentHash ? `${unit.id}:${u.contentHash}` : null;
  const record = (tx: Db | Tx, state: ErpFileState, rows: number, extra: { error?: string; result?: unknown; dedupe?: boolean }) =>
    u.contentHash
      ? tx.erpFileImport.create({
          data: {
            id: timeOrderedId(),
            businessUnitId: unit.id,
            fileName: u.name,
            kind: u.entity ?? "UNKNOWN",
            contentHash: u.contentHash,
            dedupeKey: extra.dedupe ? dedupeKey : null,
            state,
            rows,
            error: extra.error ?? null,
            result: extra.result === undefined ? undefined : json(extra.result),
          },
        })
      : null;
  const settle = async (state: ErpFileState, importId: string | null, reason?: string) => {
    const movedTo = await u.settle({ state, reason });
    if (importId && movedTo) await db.erpFileImport.update({ where: { id: importId }, data: { movedTo } });
    return movedTo;
  };

  // The same content applied before (the same file dropped twice, or a crash after applying and before the move): archived, not applied again.
  if (dedupeKey && (await db.erpFileImport.findUnique({ where: { dedupeKey } }))) {
    const row = await record(db, "DUPLICATE", 0, { result: { duplicateOf: dedupeKey } });
    return { name: u.name, entity: u.entity, state: "DUPLICATE", rows: 0, movedTo: await settle("DUPLICATE", row?.id ?? null) };
  }

  let content: InboundContent;
  try {
    content = await u.read();
  } catch (err) {
    if (!(err instanceof ErpFormatError)) throw err;
    const row = await record(db, "REJECTED", 0, { error: err.message });
    return { name: u.name, entity: u.entity, state: "REJECTED", rows: 0, error: err.message, movedTo: await settle("REJECTED", row?.id ?? null, err.message) };
  }

  let rows = 0;
  let result: unknown;
  if (content.entity === "SALES_ORDERS") {
    rows = content.orders.length;
    result = await submitOrders(db, registry, content.orders, correlationId);
  }
  let importId: string | null = null;
  try {
    await db.$transaction(
      async (tx) => {
        // The record first: if another replica applied the same content meanwhile, this fails and nothing is applied twice.
        if (content.entity === "CUSTOMERS") {
          rows = content.customers.length;
          const applied = await applyErpCustomers(tx, unit, system, content.customers, correlationId);
          result = { ...applied, ...(content.problems?.length && { notRead: content.problems }) };
        } else if (content.entity === "ACKNOWLEDGEMENTS") {
          rows = content.acknowledgements.length;
          result = await applyAcknowledgements(tx, unit.id, u.name, content.acknowledgements, correlationId);
        }
        importId = (await record(tx, "APPLIED", rows, { result, dedupe: true }))?.id ?? null;
        if (u.cursor) {
          await tx.erpSyncCursor.upsert({
            where: { businessUnitId_entity: { businessUnitId: unit.id, entity: u.cursor.entity } },
            create: { businessUnitId: unit.id, entity: u.cursor.entity, cursor: u.cursor.value },
            update: { cursor: u.cursor.value },
          });
        }
      },
      { timeout: 60_000, maxWait: 30_000 },
    );
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002" && dedupeKey) {
      return { name: u.name, entity: u.entity, state: "DUPLICATE", rows: 0, movedTo: await settle("DUPLICATE", null) };
    }
    throw err;
  }
  return { name: u.name, entity: u.entity, state: "APPLIED", rows, result, movedTo: await settle("APPLIED", importId) };
}

/**
 * Sales orders go through the ingestion pipeline as messages (source "erp", kind "sales-order"),
 * stored first with their raw content: each is captured by the orders domain, or dead-lettered
 * with the reason (an unknown customer or item number) and replayable once mapped.
 */
async function submitOrders(
  db: Db,
  registry: HandlerRegistry | null,
  orders: { number: string; idempotencyKey: string; raw: Buffer }[],
  correlationId: string,
) {
  if (!orders.length) return { orders: [] };
  if (!registry) throw new Error("sales orders from the ERP need the ingestion pipeline, which this process does not run");
  // A cloud pull asks for records modified at or after its cursor, so the newest order comes back
  // on every poll: one already received under this version's key is left out, not stored again as a duplicate.
  const keys = orders.map((o) => dedupeKeyOf({ source: ERP_SALES_ORDER_SOURCE, idempotencyKey: o.idempotencyKey }));
  const seen = new Set((await db.inboundMessage.findMany({ where: { dedupeKey: { in: keys } }, select: { dedupeKey: true } })).map((m) => m.dedupeKey));
  orders = orders.filter((_, i) => !seen.has(keys[i]));
  if (!orders.length) return { orders: [], alreadyReceived: seen.size };
  const received = await receiveMessages(
    db,
    orders.map((o) => ({
      source: ERP_SALES_ORDER_SOURCE,
      kind: ERP_SALES_ORDER_KIND,
      idempotencyKey: o.idempotencyKey,
      correlationId,
      contentType: "application/json",
      raw: o.raw,
      contentHash: sha256(o.raw),
    })),
  );
  const outcomes = new Map(
    (
      await processMessages(
        db,
        registry,
        received.filter((r) => r.message.state === "RECEIVED").map((r) => r.message.id),
      )
    ).map((o) => [o.id, o]),
  );
  return {
    orders: received.map((r, i) => {
      const o = outcomes.get(r.message.id) ?? r.message;
      return {
        number: orders[i].number,
        messageId: r.message.id,
        state: o.state,
        ...(o.error && { error: o.error }),
        ...(r.original && { duplicateOf: r.original.id }),
      };
    }),
  };
}

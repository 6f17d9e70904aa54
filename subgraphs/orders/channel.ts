// How a channel adapter (X12 850, EDIFACT ORDERS, Shopify orders/*) takes part in order capture:
// it supplies parse, validate and toCommand (its document -> the canonical order command, or a
// cancellation); this makes it an ingest handler whose map step is prepareOrder (mapping,
// pricing, credit check, with the message's correlation id) and whose apply step is recordOrder,
// in the pipeline's transaction. So a partner's order and placeOrder are captured by the same code.
//   - missing mappings (the adapter's own codes and the order's products, units, customer): one
//     MAP dead letter listing every one; replay after adding them;
//   - invalid command or an idempotency key reused with other content: VALIDATE dead letter;
//   - a resend of an order already captured: PROCESSED, pointing at that order;
//   - a source that versions its orders (Shopify updated_at): an update older than what the order
//     already reflects is RECONCILED, a newer one is applied (ship-to, cancellation);
//   - a cancellation of an order not captured (yet): VALIDATE dead letter, replayable once it is.
import { mappingError, validationError } from "../../platform/ingest/errors.js";
import type { IngestHandler, StepContext } from "../../platform/ingest/handlers.js";
import type { Db } from "../../platform/db/client.js";
import type { Tx } from "../../platform/events/event-log.js";
import { Prisma, type Order } from "../../platform/db/generated/client.js";
import { MappingCache, type MappingSession } from "../../platform/mapping/index.js";
import { prepareOrder, recordOrder, storedKey, type OrderCaptureDeps, type PreparedOrder, type ReadyOrder } from "./capture.js";
import { commandProblems, SOURCE_OF_CHANNEL, type OrderCommand } from "./command.js";
import { canTransition, lockOrder, transitionOrder } from "./lifecycle.js";
import { orderMappingSession, ordersMappingPorts } from "./mapping.js";

export interface ChannelContext extends StepContext {
  /**
   * Code lists and cross-references (STATUS, DATE_QUALIFIER, TIME_ZONE, UNIT rows) for the
   * adapter's own codes. A code that is not there is recorded as a miss and reported with the
   * order's own missing mappings, in one dead letter.
   */
  codes: MappingSession;
}

/** What a channel document asks for. A plain command object means { action: "place", command }. */
export type ChannelAction =
  /** Capture this order (a resend with the same key and content finds the first). */
  | { action: "place"; command: unknown }
  /**
   * The source's current version of an order (Shopify orders/create and orders/updated): captured
   * if new; if known, applied when newer than what the order reflects, else RECONCILED.
   */
  | { action: "sync"; command: unknown; sourceUpdatedAt: Date; cancelled?: { reason: string } | null }
  /** Cancel the order captured under this key (X12 BEG01 01, EDIFACT BGM 1225 = 1, Shopify orders/cancelled). */
  | { action: "cancel"; system: string; idempotencyKey: string; reason: string; describe: string; sourceUpdatedAt?: Date | null };

export interface OrderChannelSpec<Parsed, Valid> {
  source: string;
  kind: string;
  parse(raw: Buffer, ctx: StepContext): Parsed;
  validate(parsed: Parsed, ctx: StepContext): Valid;
  /** The document as the canonical order command (command.ts), or a ChannelAction; codes resolved through ctx.codes. */
  toCommand(valid: Valid, ctx: ChannelContext): unknown | ChannelAction | Promise<unknown | ChannelAction>;
}

type Captured =
  | Exclude<PreparedOrder, { kind: "rejected" | "ready" }>
  | (ReadyOrder & { sourceUpdatedAt?: Date | null; cancelAfterRecord?: { reason: string } | null })
  | { kind: "stale"; order: Order; sourceUpdatedAt: Date }
  | { kind: "amend"; order: Order; command: OrderCommand; sourceUpdatedAt: Date; cancelled: { reason: string } | null }
  | { kind: "cancel"; order: Order; reason: string; sourceUpdatedAt: Date | null };

const caches = new WeakMap<object, MappingCache>();
/** One mapping cache per batch of messages, like the pipeline's own (a mapping fix is seen by the next batch). */
function cacheFor(scope: object, db: Db): MappingCache {
  let cache = caches.get(scope);
  if (!cache) caches.set(scope, (cache = new MappingCache(db, ordersMappingPorts(db))));
  return cache;
}

const isAction = (x: unknown): x is ChannelAction => !!x && typeof x === "object" && "action" in x && typeof (x as { action: unknown }).action === "string";
const json = (x: Record<string, unknown>) => x as Prisma.InputJsonObject;

export function orderChannelHandler<P, V>(spec: OrderChannelSpec<P, V>, deps: OrderCaptureDeps): IngestHandler<P, V, Captured> {
  return {
    source: spec.source,
    kind: spec.kind,
    parse: spec.parse,
    validate: spec.validate,
    async map(valid, db, scope, ctx) {
      const cache = cacheFor(scope, db);
      const codes = orderMappingSession(db, spec.source.toUpperCase(), cache);
      const out = await spec.toCommand(valid, { ...ctx, codes });
      const action: ChannelAction = isAction(out) ? out : { action: "place", command: out };
      for (const w of codes.warningDetails) ctx.warn({ code: w.code, message: w.message, where: w.where ?? null });
      const correlationId = ctx.message?.correlationId ?? "ingest";

      if (action.action === "cancel") {
        if (codes.misses.length) throw mappingError(codes.missingText());
        const key = storedKey(action);
        const order = await db.order.findUnique({ where: { idempotencyKey: key } });
        if (!order) throw validationError(`${action.describe}: no order was captured under ${key} (yet); replay this message once the order has arrived`);
        return { kind: "cancel", order, reason: action.reason, sourceUpdatedAt: action.sourceUpdatedAt ?? null };
      }

      let sourceUpdatedAt: Date | null = null;
      let cancelled: { reason: string } | null = null;
      if (action.action === "sync") {
        sourceUpdatedAt = action.sourceUpdatedAt;
        cancelled = action.cancelled ?? null;
        const { command } = commandProblems(action.command);
        const existing = command && !codes.misses.length ? await db.order.findUnique({ where: { idempotencyKey: storedKey(command) } }) : null;
        if (command && existing) {
          if (existing.sourceUpdatedAt && sourceUpdatedAt.getTime() <= existing.sourceUpdatedAt.getTime())
            return { kind: "stale", order: existing, sourceUpdatedAt };
          return { kind: "amend", order: existing, command, sourceUpdatedAt, cancelled };
        }
      }

      const prepared = await prepareOrder(db, deps, action.command, correlationId, { cache, mapOnly: codes.misses.length > 0 });
      for (const w of prepared.kind === "ready" ? prepared.record.warnings : [])
        ctx.warn({ code: w.code, message: w.message, where: w.lineNumber ? `line ${w.lineNumber}` : (w.where ?? null) });
      if (codes.misses.length)
        throw mappingError([codes.missingText(), prepared.kind === "rejected" ? prepared.missingMappings : null].filter(Boolean).join("; "));
      if (prepared.kind === "existing") return prepared;
      if (prepared.kind === "ready") return { ...prepared, sourceUpdatedAt, cancelAfterRecord: cancelled };
      if (prepared.missingMappings) throw mappingError(prepared.missingMappings);
      throw validationError(prepared.reasons.map((r) => (r.lineNumber ? `line ${r.lineNumber}: ${r.message}` : r.message)).join("; "));
    },
    async apply(prepared, tx, ctx) {
      switch (prepared.kind) {
        case "existing":
          return { state: "PROCESSED", result: json({ orderId: prepared.order.id, outcome: prepared.order.status, duplicateOfOrder: true }) };
        case "stale":
          return {
            state: "RECONCILED",
            result: json({
              orderId: prepared.order.id,
              reason: `this version (updated ${prepared.sourceUpdatedAt.toISOString()}) is not newer than the one the order already reflects (${prepared.order.sourceUpdatedAt?.toISOString()}): not applied`,
            }),
          };
        case "cancel":
          return cancelCaptured(tx, prepared.order.id, prepared.reason, ctx.correlationId, prepared.sourceUpdatedAt);
        case "amend":
          return amendCaptured(tx, prepared, ctx);
        case "ready": {
          const { order, created } = await recordOrder(tx, prepared, {
            correlationId: ctx.correlationId,
            messageId: ctx.messageId,
            sourceUpdatedAt: prepared.sourceUpdatedAt,
          });
          if (created && prepared.cancelAfterRecord) await cancelCaptured(tx, order.id, prepared.cancelAfterRecord.reason, ctx.correlationId, null);
          return {
            state: "PROCESSED",
            result: json({
              orderId: order.id,
              outcome: prepared.record.outcome,
              created,
              reasons: prepared.record.reasons.map((r) => r.message),
              warnings: prepared.record.warnings.map((w) => w.message),
            }),
          };
        }
      }
    },
  };
}

/** Cancels a captured order through the lifecycle; one already cancelled is left as it is. */
async function cancelCaptured(tx: Tx, orderId: string, reason: string, correlationId: string, sourceUpdatedAt: Date | null) {
  const current = await lockOrder(tx, orderId);
  const order = await tx.order.findUniqueOrThrow({ where: { id: orderId } });
  if (current.status === "CANCELLED") return { state: "PROCESSED" as const, result: json({ orderId, outcome: "CANCELLED", alreadyCancelled: true }) };
  if (!canTransition(current.status, "CANCELLED")) throw validationError(`order ${orderId} is ${current.status} and can no longer be cancelled (${reason})`);
  const newer = sourceUpdatedAt && (!order.sourceUpdatedAt || sourceUpdatedAt > order.sourceUpdatedAt) ? { sourceUpdatedAt } : {};
  await transitionOrder(tx, orderId, current, "CANCELLED", { source: SOURCE_OF_CHANNEL[order.channel], reason, correlationId }, newer);
  return { state: "PROCESSED" as const, result: json({ orderId, outcome: "CANCELLED" }) };
}

/**
 * A newer version of a captured order (Shopify orders/updated): the ship-to and a cancellation
 * are applied; changed line items are not (re-pricing, credit and allocation of an amended order
 * are not built): they are a warning on the message naming each difference.
 */
async function amendCaptured(tx: Tx, p: Extract<Captured, { kind: "amend" }>, ctx: { correlationId: string; warn: StepContext["warn"] }) {
  const current = await lockOrder(tx, p.order.id);
  const order = await tx.order.findUniqueOrThrow({ where: { id: p.order.id }, include: { lines: { orderBy: { lineNumber: "asc" } } } });
  // Re-checked under the lock: two updates applied concurrently must not let the older win.
  if (order.sourceUpdatedAt && p.sourceUpdatedAt <= order.sourceUpdatedAt) {
    return { state: "RECONCILED" as const, result: json({ orderId: order.id, reason: `not newer than ${order.sourceUpdatedAt.toISOString()}: not applied` }) };
  }
  const c = p.command;
  const changes: string[] = [];
  const shipTo = { shipToName: c.shipTo?.name ?? null, shipToAddress: c.shipTo?.address ?? null, shipToGln: c.shipTo?.gln ?? null };
  if (shipTo.shipToName !== order.shipToName || shipTo.shipToAddress !== order.shipToAddress || shipTo.shipToGln !== order.shipToGln) changes.push("ship-to");
  const lineDiffs: string[] = [];
  c.lines.forEach((l, i) => {
    const n = l.lineNumber ?? i + 1;
    const have = order.lines.find((x) => x.lineNumber === n);
    if (!have) lineDiffs.push(`line ${n} added (${l.quantity})`);
    else if (have.quantityOrdered !== l.quantity) lineDiffs.push(`line ${n} quantity ${have.quantityOrdered} -> ${l.quantity}`);
  });
  for (const have of order.lines) if (!c.lines.some((l, i) => (l.lineNumber ?? i + 1) === have.lineNumber)) lineDiffs.push(`line ${have.lineNumber} removed`);
  if (lineDiffs.length) {
    ctx.warn({
      code: "ORDER_LINES_CHANGED",
      message: `the source changed line items after capture, not applied to order ${order.id} (amend it by hand or cancel and re-order): ${lineDiffs.join("; ")}`,
    });
  }
  await tx.order.update({ where: { id: order.id }, data: { ...shipTo, sourceUpdatedAt: p.sourceUpdatedAt, version: { increment: 1 } } });
  let outcome: string = current.status;
  if (p.cancelled && current.status !== "CANCELLED") {
    const done = await cancelCaptured(tx, order.id, p.cancelled.reason, ctx.correlationId, null);
    outcome = (done.result as { outcome: string }).outcome;
    changes.push("cancelled");
  }
  return {
    state: "PROCESSED" as const,
    result: json({ orderId: order.id, outcome, updated: changes, ...(lineDiffs.length && { linesNotApplied: lineDiffs }) }),
  };
}

// Returns: a return authorization (RMA) against shipped order lines, and its receipt back into
// stock by disposition. Each command is one transaction that appends ReturnChanged:
// - authorizeReturn: per line at most what was shipped minus what other open or received
//   returns already authorized (cancelled ones give theirs back); the order must have shipped;
// - receiveReturn: per line what came back as restock, damaged or quality hold, at most what is
//   authorized and not yet received; the order line's quantityReturned goes up; the return is
//   PARTIALLY_RECEIVED or RECEIVED. Inventory books the receipt by disposition (the
//   inventory.returns consumer: on hand, damaged, quality hold). The credit memo is erp-finance's:
//   its return-credits consumer takes the receipt that completes the return (from returnLines,
//   every line with what came back so far) and calls createCreditMemo (RETURN:<return id>).
// Quantities are in the order line's unit.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db } from "../../platform/db/client.js";
import { Prisma, type ReturnStatus } from "../../platform/db/generated/client.js";
import { DomainError, ErrorCode, invalidArgument } from "../../platform/errors.js";
import { appendEvents } from "../../platform/events/event-log.js";
import { defineEvent, type PayloadOf } from "../../platform/events/types.js";
import { lockOrder } from "./lifecycle.js";

const txOptions = { timeout: 30_000, maxWait: 30_000 };

const returnLine = z.object({
  lineNumber: z.number().int(),
  orderLineId: z.string(),
  sku: z.string(),
  unit: z.string(),
  unitFactor: z.number().int().positive(),
  unitPrice: z.string(),
  authorized: z.number().int(),
  /** Received by this change (receipts only), by disposition, in the line's unit. */
  restocked: z.number().int().nonnegative(),
  damaged: z.number().int().nonnegative(),
  qualityHold: z.number().int().nonnegative(),
});

/** Every line of the return as it stands after the change: what came back so far, and what the order line has shipped. */
const returnLineTotal = z.object({
  lineNumber: z.number().int(),
  orderLineId: z.string(),
  sku: z.string(),
  unit: z.string(),
  unitPrice: z.string(),
  authorized: z.number().int(),
  /** Received so far (every disposition), in the line's unit. */
  received: z.number().int().nonnegative(),
  /** The order line's shipped quantity when the change was made (erp-finance compares it with what it invoiced). */
  shipped: z.number().int().nonnegative(),
});

/** A return was authorized (change AUTHORIZED) or goods of it were received (change RECEIVED, with this receipt's quantities). */
export const ReturnChanged = defineEvent(
  "ReturnChanged",
  "Return",
  z.object({
    returnId: z.string(),
    returnNumber: z.string(),
    orderId: z.string(),
    customerId: z.string(),
    currency: z.string().length(3),
    locationId: z.string(),
    change: z.enum(["AUTHORIZED", "RECEIVED", "CANCELLED"]),
    status: z.enum(["AUTHORIZED", "PARTIALLY_RECEIVED", "RECEIVED", "CANCELLED"]),
    /** The receipt's number within the return (1 for the first), for an idempotent booking downstream. */
    receipt: z.number().int().nonnegative(),
    reason: z.string(),
    lines: z.array(returnLine),
    /**
     * Every line of the return after this change (lines holds only this receipt's). Optional for
     * events appended before it existed; always written now. erp-finance credits from it.
     */
    returnLines: z.array(returnLineTotal).optional(),
  }),
);
export type ReturnChangedPayload = PayloadOf<typeof ReturnChanged>;

const openOrReceived: ReturnStatus[] = ["AUTHORIZED", "PARTIALLY_RECEIVED", "RECEIVED"];
const RETURNABLE = new Set(["PARTIALLY_SHIPPED", "SHIPPED", "INVOICED", "CLOSED"]);

type ReturnLineRow = {
  lineNumber: number;
  orderLineId: string;
  sku: string;
  unit: string;
  unitPrice: Prisma.Decimal | string;
  quantity: number;
  restocked: number;
  damaged: number;
  qualityHold: number;
};

function returnLinesOf(lines: ReturnLineRow[], orderLines: { id: string; quantityShipped: number }[]) {
  return lines.map((l) => ({
    lineNumber: l.lineNumber,
    orderLineId: l.orderLineId,
    sku: l.sku,
    unit: l.unit,
    unitPrice: new Prisma.Decimal(l.unitPrice).toString(),
    authorized: l.quantity,
    received: l.restocked + l.damaged + l.qualityHold,
    shipped: orderLines.find((o) => o.id === l.orderLineId)?.quantityShipped ?? 0,
  }));
}

export interface AuthorizeReturnInput {
  orderId: string;
  reason: string;
  locationId: string;
  lines: { lineNumber: number; quantity: number }[];
}

export async function authorizeReturn(db: Db, input: AuthorizeReturnInput, correlationId: string) {
  const reason = input.reason?.trim();
  if (!reason || reason.length > 500) throw invalidArgument("input.reason", "must say why, in 1 to 500 characters");
  if (!input.lines.length) throw invalidArgument("input.lines", "must name at least one order line");
  input.lines.forEach((l, i) => {
    if (!Number.isInteger(l.quantity) || l.quantity < 1) throw invalidArgument(`input.lines[${i}].quantity`, `must be a whole number >= 1, got ${l.quantity}`);
  });
  return db.$transaction(async (tx) => {
    const current = await lockOrder(tx, input.orderId);
    if (!RETURNABLE.has(current.status))
      throw new DomainError(ErrorCode.INVALID_STATUS_TRANSITION, `order ${input.orderId} is ${current.status}: only shipped orders take returns`, {
        from: current.status,
      });
    const order = await tx.order.findUniqueOrThrow({ where: { id: input.orderId }, include: { lines: true } });
    const earlier = await tx.returnLine.findMany({ where: { authorization: { orderId: input.orderId, status: { in: openOrReceived } } } });
    const lines = input.lines.map((l, i) => {
      const line = order.lines.find((x) => x.lineNumber === l.lineNumber);
      if (!line) throw invalidArgument(`input.lines[${i}].lineNumber`, `order ${input.orderId} has no line ${l.lineNumber}`);
      const authorized = earlier.filter((r) => r.orderLineId === line.id).reduce((s, r) => s + r.quantity, 0);
      const returnable = line.quantityShipped - authorized;
      if (l.quantity > returnable) {
        throw invalidArgument(
          `input.lines[${i}].quantity`,
          `${l.quantity} ${line.unit} of line ${line.lineNumber} (${line.sku}) is more than can be returned: ${line.quantityShipped} shipped, ${authorized} already authorized, ${returnable} left`,
        );
      }
      return { line, quantity: l.quantity };
    });
    const id = `RMA-${Date.now().toString(36).toUpperCase()}${randomBytes(2).toString("hex").toUpperCase()}`;
    const created = await tx.returnAuthorization.create({
      data: {
        id,
        number: id,
        orderId: input.orderId,
        reason,
        locationId: input.locationId,
        lines: {
          createMany: {
            data: lines.map(({ line, quantity }) => ({
              lineNumber: line.lineNumber,
              orderLineId: line.id,
              sku: line.sku,
              unit: line.unit,
              unitFactor: line.unitFactor,
              unitPrice: line.unitPrice,
              quantity,
            })),
          },
        },
      },
      include: { lines: { orderBy: { lineNumber: "asc" } } },
    });
    await appendEvents(tx, correlationId, [
      ReturnChanged.event({
        aggregateId: id,
        aggregateVersion: 1,
        payload: {
          returnId: id,
          returnNumber: id,
          orderId: order.id,
          customerId: order.customerId,
          currency: order.currency,
          locationId: input.locationId,
          change: "AUTHORIZED",
          status: "AUTHORIZED",
          receipt: 0,
          reason,
          lines: created.lines.map((l) => ({
            lineNumber: l.lineNumber,
            orderLineId: l.orderLineId,
            sku: l.sku,
            unit: l.unit,
            unitFactor: l.unitFactor,
            unitPrice: l.unitPrice.toString(),
            authorized: l.quantity,
            restocked: 0,
            damaged: 0,
            qualityHold: 0,
          })),
          returnLines: returnLinesOf(created.lines, order.lines),
        },
      }),
    ]);
    return created;
  }, txOptions);
}

export interface ReceiveReturnInput {
  returnId: string;
  lines: { lineNumber: number; restock?: number | null; damaged?: number | null; qualityHold?: number | null }[];
}

export async function receiveReturn(db: Db, input: ReceiveReturnInput, correlationId: string) {
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ orderId: string }[]>`SELECT "orderId" FROM "orders"."ReturnAuthorization" WHERE "id" = ${input.returnId} FOR UPDATE`;
    if (!row) throw new DomainError(ErrorCode.NOT_FOUND, `no return ${input.returnId}`, { argument: "input.returnId" });
    const rma = await tx.returnAuthorization.findUniqueOrThrow({ where: { id: input.returnId }, include: { lines: { orderBy: { lineNumber: "asc" } } } });
    if (rma.status === "RECEIVED" || rma.status === "CANCELLED")
      throw new DomainError(ErrorCode.INVALID_STATUS_TRANSITION, `return ${rma.number} is ${rma.status}: nothing more can be received`, { from: rma.status });
    const order = await tx.order.findUniqueOrThrow({ where: { id: rma.orderId }, include: { lines: true } });
    const received = input.lines.map((l, i) => {
      const line = rma.lines.find((x) => x.lineNumber === l.lineNumber);
      if (!line) throw invalidArgument(`input.lines[${i}].lineNumber`, `return ${rma.number} has no line ${l.lineNumber}`);
      const q = { restock: l.restock ?? 0, damaged: l.damaged ?? 0, qualityHold: l.qualityHold ?? 0 };
      for (const [k, v] of Object.entries(q))
        if (!Number.isInteger(v) || v < 0) throw invalidArgument(`input.lines[${i}].${k}`, `must be a whole number >= 0, got ${v}`);
      const total = q.restock + q.damaged + q.qualityHold;
      const open = line.quantity - line.restocked - line.damaged - line.qualityHold;
      if (total < 1) throw invalidArgument(`input.lines[${i}]`, "receives nothing (restock, damaged and qualityHold are all 0)");
      if (total > open)
        throw invalidArgument(
          `input.lines[${i}]`,
          `receives ${total} ${line.unit} of ${line.sku}, but only ${open} of the ${line.quantity} authorized are still expected`,
        );
      return { line, ...q, total };
    });
    for (const r of received) {
      await tx.returnLine.update({
        where: { returnId_lineNumber: { returnId: rma.id, lineNumber: r.line.lineNumber } },
        data: { restocked: { increment: r.restock }, damaged: { increment: r.damaged }, qualityHold: { increment: r.qualityHold } },
      });
      await tx.orderLine.update({ where: { id: r.line.orderLineId }, data: { quantityReturned: { increment: r.total } } });
      r.line.restocked += r.restock;
      r.line.damaged += r.damaged;
      r.line.qualityHold += r.qualityHold;
    }
    const complete = rma.lines.every((l) => l.restocked + l.damaged + l.qualityHold >= l.quantity);
    const status: ReturnStatus = complete ? "RECEIVED" : "PARTIALLY_RECEIVED";
    const receipts = await tx.eventLog.count({ where: { aggregateId: rma.id, type: ReturnChanged.name } });
    const updated = await tx.returnAuthorization.update({ where: { id: rma.id }, data: { status }, include: { lines: { orderBy: { lineNumber: "asc" } } } });
    await appendEvents(tx, correlationId, [
      ReturnChanged.event({
        aggregateId: rma.id,
        aggregateVersion: receipts + 1,
        payload: {
          returnId: rma.id,
          returnNumber: rma.number,
          orderId: rma.orderId,
          customerId: order.customerId,
          currency: order.currency,
          locationId: rma.locationId,
          change: "RECEIVED",
          status,
          receipt: receipts,
          reason: rma.reason,
          lines: received.map((r) => ({
            lineNumber: r.line.lineNumber,
            orderLineId: r.line.orderLineId,
            sku: r.line.sku,
            unit: r.line.unit,
            unitFactor: r.line.unitFactor,
            unitPrice: new Prisma.Decimal(r.line.unitPrice).toString(),
            authorized: r.line.quantity,
            restocked: r.restock,
            damaged: r.damaged,
            qualityHold: r.qualityHold,
          })),
          returnLines: returnLinesOf(rma.lines, order.lines),
        },
      }),
    ]);
    return updated;
  }, txOptions);
}

// The order lifecycle: one state machine for every way an order moves. Each transition is
// validated here, and transitionOrder records it (status, version, history entry with reason,
// source and correlation id) and appends OrderStatusChanged in the same transaction.
//
//   (capture) -> ACCEPTED | CREDIT_HOLD | PRICE_HOLD | REJECTED
//   CREDIT_HOLD, PRICE_HOLD -> ACCEPTED (hold released) | REJECTED | CANCELLED; PRICE_HOLD -> CREDIT_HOLD
//   ACCEPTED -> ALLOCATED | PARTIALLY_ALLOCATED | BACKORDERED (inventory's answer) | CANCELLED
//   BACKORDERED -> PARTIALLY_ALLOCATED | ALLOCATED (stock arrived) | CANCELLED
//   PARTIALLY_ALLOCATED -> ALLOCATED | RELEASED (ship what is there) | CANCELLED
//   ALLOCATED -> RELEASED (to the warehouse) | CANCELLED
//   RELEASED -> PARTIALLY_SHIPPED | SHIPPED | CANCELLED (recalled from the warehouse)
//   PARTIALLY_SHIPPED -> PARTIALLY_SHIPPED (another shipment) | SHIPPED | RELEASED (the rest released) | INVOICED
//   SHIPPED -> INVOICED -> CLOSED
//   CLOSED, CANCELLED, REJECTED: final.
import type { OrderStatus, Prisma } from "../../platform/db/generated/client.js";
import { DomainError, ErrorCode } from "../../platform/errors.js";
import { appendEvents, type Tx } from "../../platform/events/event-log.js";
import { ORDER_STATUS_CHANGED, type OrderStatusChangedPayload } from "./events.js";

/** The statuses an order may be created in (order capture's outcome). */
export const initialStatuses: readonly OrderStatus[] = ["ACCEPTED", "CREDIT_HOLD", "PRICE_HOLD", "REJECTED"];

const transitions: Record<OrderStatus, readonly OrderStatus[]> = {
  CREDIT_HOLD: ["ACCEPTED", "REJECTED", "CANCELLED"],
  PRICE_HOLD: ["ACCEPTED", "CREDIT_HOLD", "REJECTED", "CANCELLED"],
  ACCEPTED: ["ALLOCATED", "PARTIALLY_ALLOCATED", "BACKORDERED", "CANCELLED"],
  BACKORDERED: ["PARTIALLY_ALLOCATED", "ALLOCATED", "CANCELLED"],
  PARTIALLY_ALLOCATED: ["ALLOCATED", "RELEASED", "CANCELLED"],
  ALLOCATED: ["RELEASED", "CANCELLED"],
  RELEASED: ["PARTIALLY_SHIPPED", "SHIPPED", "CANCELLED"],
  PARTIALLY_SHIPPED: ["PARTIALLY_SHIPPED", "SHIPPED", "RELEASED", "INVOICED"],
  SHIPPED: ["INVOICED"],
  INVOICED: ["CLOSED"],
  CLOSED: [],
  CANCELLED: [],
  REJECTED: [],
};

/** Every status (the transition table has one entry for each, checked by its type). */
export const orderStatuses = Object.keys(transitions) as OrderStatus[];

export const canTransition = (from: OrderStatus, to: OrderStatus): boolean => transitions[from].includes(to);
export const nextStatuses = (from: OrderStatus): readonly OrderStatus[] => transitions[from];
export const isFinal = (status: OrderStatus): boolean => transitions[status].length === 0;

/** Statuses whose stock allocation inventory may still change (allocate more, or fill backorders). */
export const allocatableStatuses: readonly OrderStatus[] = ["ACCEPTED", "BACKORDERED", "PARTIALLY_ALLOCATED"];

/** Orders that still count against a customer's credit: accepted and not yet invoiced or ended. */
export const openCreditStatuses: readonly OrderStatus[] = [
  "ACCEPTED",
  "BACKORDERED",
  "PARTIALLY_ALLOCATED",
  "ALLOCATED",
  "RELEASED",
  "PARTIALLY_SHIPPED",
  "SHIPPED",
];

/** The status an allocation result implies: everything, something or nothing allocated. */
export function allocationStatus(lines: { ordered: number; allocated: number }[]): "ALLOCATED" | "PARTIALLY_ALLOCATED" | "BACKORDERED" {
  const allocated = lines.reduce((s, l) => s + l.allocated, 0);
  if (allocated === 0) return "BACKORDERED";
  return lines.every((l) => l.allocated >= l.ordered) ? "ALLOCATED" : "PARTIALLY_ALLOCATED";
}

export interface TransitionContext {
  /** Why, for a person reading the history: "credit limit exceeded by 1,250.00 USD". */
  reason?: string | null;
  /** Which system or process: api, edi-850, inventory, credit-check, wms... */
  source: string;
  correlationId: string;
  at?: Date;
}

interface LockedOrder {
  status: OrderStatus;
  customerId: string;
  version: number;
}

/** Locks the order row for the rest of the transaction; NOT_FOUND when there is none. */
export async function lockOrder(tx: Tx, orderId: string): Promise<LockedOrder> {
  const [row] = await tx.$queryRaw<LockedOrder[]>`
    SELECT "status"::text AS "status", "customerId", "version" FROM "orders"."Order" WHERE "id" = ${orderId} FOR UPDATE`;
  if (!row) throw new DomainError(ErrorCode.NOT_FOUND, `no order ${orderId}`, { argument: "id" });
  return row;
}

/**
 * Moves a locked order to `to`: validates the transition, bumps the version, writes the history
 * entry and appends OrderStatusChanged. `data` is written with the status (line quantities are the
 * caller's). Throws INVALID_STATUS_TRANSITION naming both statuses and what is allowed.
 */
export async function transitionOrder(
  tx: Tx,
  orderId: string,
  current: LockedOrder,
  to: OrderStatus,
  ctx: TransitionContext,
  data: Prisma.OrderUpdateInput = {},
) {
  if (!canTransition(current.status, to)) {
    const allowed = transitions[current.status];
    throw new DomainError(
      ErrorCode.INVALID_STATUS_TRANSITION,
      `order ${orderId} cannot go from ${current.status} to ${to} (${allowed.length ? `allowed: ${allowed.join(", ")}` : `${current.status} is final`})`,
      { from: current.status, to, allowed },
    );
  }
  const at = ctx.at ?? new Date();
  const order = await tx.order.update({ where: { id: orderId }, data: { ...data, status: to, version: { increment: 1 } } });
  await recordTransition(tx, { orderId, customerId: current.customerId, from: current.status, to, version: order.version }, { ...ctx, at });
  return order;
}

/** History entry and event for a status change (also used for an order's first status, from null). */
export async function recordTransition(
  tx: Tx,
  change: { orderId: string; customerId: string; from: OrderStatus | null; to: OrderStatus; version: number },
  ctx: TransitionContext & { at: Date },
) {
  const reason = ctx.reason ?? null;
  await tx.orderStatusChange.create({
    data: {
      orderId: change.orderId,
      fromStatus: change.from,
      toStatus: change.to,
      changedAt: ctx.at,
      source: ctx.source,
      reason,
      correlationId: ctx.correlationId,
    },
  });
  const payload: OrderStatusChangedPayload = {
    orderId: change.orderId,
    customerId: change.customerId,
    previousStatus: change.from,
    newStatus: change.to,
    source: ctx.source,
    reason,
    note: reason,
  };
  await appendEvents(tx, ctx.correlationId, [
    {
      type: ORDER_STATUS_CHANGED,
      aggregateType: "Order",
      aggregateId: change.orderId,
      aggregateVersion: change.version,
      occurredAt: ctx.at,
      payload: payload as unknown as Prisma.InputJsonObject,
    },
  ]);
}

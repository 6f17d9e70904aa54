// Order commands: state change, status history and event in one transaction.
import type { Db } from "../../platform/db/client.js";
import type { OrderStatus } from "../../platform/db/generated/client.js";
import { DomainError, ErrorCode } from "../../platform/errors.js";
import { appendEvents } from "../../platform/events/event-log.js";
import { canTransition } from "./domain.js";

export const ORDER_STATUS_CHANGED = "OrderStatusChanged";

export async function updateOrderStatus(db: Db, input: { id: string; status: OrderStatus; note?: string | null; source?: string | null }, correlationId: string) {
  return db.$transaction(async (tx) => {
    const [current] = await tx.$queryRaw<{ status: OrderStatus; customerId: string; version: number }[]>`
      SELECT "status"::text AS "status", "customerId", "version" FROM "orders"."Order" WHERE "id" = ${input.id} FOR UPDATE`;
    if (!current) throw new DomainError(ErrorCode.NOT_FOUND, `no order ${input.id}`, { argument: "id" });
    if (!canTransition(current.status, input.status)) {
      throw new DomainError(ErrorCode.INVALID_STATUS_TRANSITION, `order ${input.id} cannot go from ${current.status} to ${input.status}`, {
        from: current.status,
        to: input.status,
      });
    }
    const now = new Date();
    const source = input.source || "api";
    const order = await tx.order.update({ where: { id: input.id }, data: { status: input.status, version: { increment: 1 } } });
    await tx.orderStatusChange.create({ data: { orderId: input.id, fromStatus: current.status, toStatus: input.status, changedAt: now, source, note: input.note ?? null } });
    await appendEvents(tx, correlationId, [
      {
        type: ORDER_STATUS_CHANGED,
        aggregateType: "Order",
        aggregateId: input.id,
        aggregateVersion: order.version,
        occurredAt: now,
        payload: { orderId: input.id, customerId: current.customerId, previousStatus: current.status, newStatus: input.status, source, note: input.note ?? null },
      },
    ]);
    return order;
  });
}

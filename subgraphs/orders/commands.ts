// Order commands after capture: status changes through the lifecycle, cancellation, releasing a
// hold (with a fresh credit check unless overridden), prices and per-customer capture settings.
// Each command is one transaction: state, history and events commit together.
import { Prisma, type Order, type OrderStatus } from "../../platform/db/generated/client.js";
import type { Db } from "../../platform/db/client.js";
import { DomainError, ErrorCode, invalidArgument } from "../../platform/errors.js";
import { creditSnapshot, emitOrderAccepted, releaseCreditReservation, reserveAndCheckCredit, type CaptureRecord, type OrderCaptureDeps } from "./capture.js";
import { lockOrder, transitionOrder } from "./lifecycle.js";
import { lineAmount } from "./pricing.js";
import { releaseToWarehouses } from "./fulfillment.js";

export { ORDER_STATUS_CHANGED } from "./events.js";

const txOptions = { timeout: 30_000, maxWait: 30_000 };

/**
 * Moves an order to a status the lifecycle allows from where it is. Moving a held order to
 * ACCEPTED is a hold release without a credit check (releaseOrderHold with override), so that
 * inventory is told to allocate.
 */
export async function updateOrderStatus(
  db: Db,
  input: { id: string; status: OrderStatus; reason?: string | null; source?: string | null },
  correlationId: string,
): Promise<Order> {
  const source = input.source || "api";
  // Released through the release, so the warehouses get their shipping orders (when there is stock allocated to release).
  if (input.status === "RELEASED") {
    const released = await db.$transaction((tx) => releaseToWarehouses(tx, input.id, { source, reason: input.reason, correlationId }), txOptions);
    if (released) return released;
  }
  return db.$transaction(async (tx) => {
    const current = await lockOrder(tx, input.id);
    const order = await transitionOrder(tx, input.id, current, input.status, { reason: input.reason, source, correlationId });
    if (input.status === "ACCEPTED")
      await emitOrderAccepted(tx, order, await tx.orderLine.findMany({ where: { orderId: order.id } }), correlationId, new Date());
    return order;
  }, txOptions);
}

/** Cancels an order the lifecycle still allows to be cancelled; inventory releases its stock on the event. */
export function cancelOrder(db: Db, input: { id: string; reason?: string | null; source?: string | null }, correlationId: string): Promise<Order> {
  return updateOrderStatus(db, { id: input.id, status: "CANCELLED", reason: input.reason || "cancelled", source: input.source }, correlationId);
}

/**
 * Releases a CREDIT_HOLD or PRICE_HOLD. The credit check runs again (erp-finance may have been
 * down at capture, or the limit may have changed): approved -> ACCEPTED, unknown customer ->
 * REJECTED, otherwise the order stays (or goes) in CREDIT_HOLD with the new reason. override:
 * a credit manager's decision, ACCEPTED without asking.
 */
export async function releaseOrderHold(
  db: Db,
  deps: OrderCaptureDeps,
  input: { id: string; reason?: string | null; source?: string | null; override?: boolean | null },
  correlationId: string,
): Promise<Order> {
  const source = input.source || "api";
  const before = await db.order.findUnique({ where: { id: input.id }, include: { lines: true } });
  if (!before) throw new DomainError(ErrorCode.NOT_FOUND, `no order ${input.id}`, { argument: "id" });
  if (before.status !== "CREDIT_HOLD" && before.status !== "PRICE_HOLD") {
    throw new DomainError(ErrorCode.INVALID_STATUS_TRANSITION, `order ${input.id} is ${before.status}, not on hold: nothing to release`, {
      from: before.status,
      to: "ACCEPTED",
    });
  }
  const total = before.lines.reduce((s, l) => s.add(lineAmount(l.unitPrice, l.quantityOrdered)), new Prisma.Decimal(0));
  // Reserved like a new order's check, so a release and a new order of the customer cannot both spend the same credit.
  const orderKey = before.idempotencyKey ?? `order:${before.id}`;
  const credit = input.override
    ? null
    : await reserveAndCheckCredit(
        db,
        deps.credit,
        { orderKey, customerId: before.customerId, amount: total, currency: before.currency, excludeOrderId: before.id },
        correlationId,
      );
  return db.$transaction(async (tx) => {
    await releaseCreditReservation(tx, orderKey); // the order, accepted or not, stands for itself from here
    const current = await lockOrder(tx, input.id);
    if (current.status !== before.status)
      throw new DomainError(ErrorCode.INVALID_STATUS_TRANSITION, `order ${input.id} changed to ${current.status} meanwhile; look again`, {
        from: current.status,
      });
    const note = input.reason ? `: ${input.reason}` : "";
    const record = before.capture as unknown as CaptureRecord | null;
    const capture = (credit ? { ...record, credit: creditSnapshot(credit) } : record) as unknown as Prisma.InputJsonObject;
    const businessUnitId = credit?.kind === "decided" ? credit.businessUnitId : before.businessUnitId;
    let to: OrderStatus;
    let why: string;
    if (!credit) [to, why] = ["ACCEPTED", `${before.status === "CREDIT_HOLD" ? "credit" : "price"} hold released without a credit check (override)${note}`];
    else if (credit.kind === "decided" && credit.approved)
      [to, why] = ["ACCEPTED", `hold released, credit approved (available after this order ${credit.available})${note}`];
    else if (credit.kind === "unknown-customer") [to, why] = ["REJECTED", credit.reason];
    else [to, why] = ["CREDIT_HOLD", credit.kind === "decided" ? (credit.reason ?? "credit not approved") : credit.reason];
    if (to === current.status) {
      // Still not approved: the order keeps its hold, with the newest answer on record.
      return tx.order.update({ where: { id: input.id }, data: { capture, businessUnitId, version: { increment: 1 } } });
    }
    const order = await transitionOrder(tx, input.id, current, to, { reason: why, source, correlationId }, { capture, businessUnitId });
    if (to === "ACCEPTED") await emitOrderAccepted(tx, order, before.lines, correlationId, new Date());
    return order;
  }, txOptions);
}

export interface PriceInput {
  sku: string;
  /** null: the list price. */
  customerId?: string | null;
  unit: string;
  currency: string;
  unitPrice: string;
}

export async function upsertPrices(db: Db, prices: PriceInput[]) {
  if (prices.length > 10_000) throw invalidArgument("prices", `holds ${prices.length} entries; at most 10,000 per call`);
  const rows = prices.map((p, i) => {
    const at = `prices[${i}]`;
    if (!p.sku.trim()) throw invalidArgument(`${at}.sku`, "must not be empty");
    if (!/^[A-Z]{3}$/.test(p.currency)) throw invalidArgument(`${at}.currency`, `must be an ISO 4217 code, got ${JSON.stringify(p.currency)}`);
    if (!/^\d{1,10}(\.\d{1,4})?$/.test(p.unitPrice))
      throw invalidArgument(`${at}.unitPrice`, `must be a decimal >= 0 with at most 4 decimals, got ${JSON.stringify(p.unitPrice)}`);
    return {
      priceList: p.customerId?.trim() || "LIST",
      sku: p.sku.trim(),
      unit: p.unit.trim().toUpperCase(),
      currency: p.currency,
      unitPrice: new Prisma.Decimal(p.unitPrice),
    };
  });
  return db.$transaction(async (tx) => {
    for (const r of rows) {
      await tx.priceListEntry.upsert({
        where: { priceList_sku_unit_currency: { priceList: r.priceList, sku: r.sku, unit: r.unit, currency: r.currency } },
        create: r,
        update: { unitPrice: r.unitPrice },
      });
    }
    return rows.length;
  }, txOptions);
}

export async function updateCustomerOrderSettings(
  db: Db,
  customerId: string,
  input: { buyerPricePolicy?: "ACCEPT_WITH_WARNING" | "HOLD" | null; priceTolerancePercent?: string | null; shipFromLocationIds?: string[] | null },
) {
  if (input.priceTolerancePercent != null && !/^\d{1,3}(\.\d{1,3})?$/.test(input.priceTolerancePercent)) {
    throw invalidArgument("settings.priceTolerancePercent", `must be a percentage from 0 to 999.999, got ${JSON.stringify(input.priceTolerancePercent)}`);
  }
  const data = {
    ...(input.buyerPricePolicy && { buyerPricePolicy: input.buyerPricePolicy }),
    ...(input.priceTolerancePercent != null && { priceTolerancePercent: new Prisma.Decimal(input.priceTolerancePercent) }),
    ...(input.shipFromLocationIds && { shipFromLocationIds: input.shipFromLocationIds }),
  };
  return db.customerOrderSettings.upsert({ where: { customerId }, create: { customerId, ...data }, update: data });
}

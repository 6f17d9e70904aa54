// Order capture: one path for every channel. prepareOrder validates and maps the canonical
// command, prices it and asks erp-finance for a credit decision (outside any transaction: it
// waits on the network); recordOrder writes the decided order, its history and events in one
// transaction. placeOrder (B2B API) runs both; a channel adapter runs prepareOrder in its map step
// and recordOrder in its apply step (channel.ts), so a partner's 850 and an API call are the same.
import { createHash, randomBytes } from "node:crypto";
import { Prisma, type Order, type OrderChannel, type OrderStatus } from "../../platform/db/generated/client.js";
import type { Db } from "../../platform/db/client.js";
import { appendEvents, type Tx } from "../../platform/events/event-log.js";
import type { MappingCache } from "../../platform/mapping/index.js";
import { commandProblems, SOURCE_OF_CHANNEL, type OrderCommand } from "./command.js";
import type { CreditAnswer, CreditClient } from "./credit.js";
import { ORDER_ACCEPTED, type OrderAcceptedPayload } from "./events.js";
import { openCreditStatuses, recordTransition } from "./lifecycle.js";
import { orderMappingSession } from "./mapping.js";
import { LIST_PRICE_LIST, lineAmount, ourPrice, priceDiffers, type PriceSource } from "./pricing.js";

const D = Prisma.Decimal;

export interface OrderCaptureDeps {
  credit: CreditClient;
  /** Currency of an order whose command names none (ORDER_DEFAULT_CURRENCY, default USD). */
  defaultCurrency: string;
}

export type CaptureOutcome = "ACCEPTED" | "CREDIT_HOLD" | "PRICE_HOLD" | "REJECTED";

export type CaptureReasonCode =
  | "INVALID_COMMAND"
  | "UNMAPPED"
  | "IDEMPOTENCY_KEY_REUSED"
  | "UNKNOWN_CUSTOMER"
  | "CREDIT_NOT_APPROVED"
  | "CREDIT_CHECK_UNAVAILABLE"
  | "PRICE_DIFFERENCE"
  | "NO_PRICE"
  | "GS1_CHECK_DIGIT"
  | "MAPPING_WARNING";

export interface CaptureReason {
  code: CaptureReasonCode;
  message: string;
  lineNumber: number | null;
  /** Where a warning that is not about one line was found ("ship-to", "customer"); kept on the order, not in the API. */
  where?: string;
}

/** What capture decided, kept on the order (Order.capture) for whoever looks at it later. */
export interface CaptureRecord {
  outcome: CaptureOutcome;
  reasons: CaptureReason[];
  warnings: CaptureReason[];
  credit: { approved: boolean | null; reason: string | null; creditLimit: string | null; exposure: string | null; available: string | null; checkedAt: string };
}

interface NewLine {
  id: string;
  lineNumber: number;
  sku: string;
  gtin: string | null;
  customerPartNumber: string | null;
  unit: string;
  unitFactor: number;
  baseUnit: string;
  unitPrice: Prisma.Decimal;
  buyerUnitPrice: string | null;
  priceSource: PriceSource;
  quantityOrdered: number;
  requestedDate: string | null;
  deliverTo: string | null;
}

export interface ReadyOrder {
  kind: "ready";
  command: OrderCommand;
  idempotencyKey: string;
  requestHash: string;
  customerId: string;
  businessUnitId: string | null;
  currency: string;
  shipFrom: string[];
  lines: NewLine[];
  record: CaptureRecord;
}

export type PreparedOrder =
  /** A resend of a command already captured: its order, unchanged. */
  | { kind: "existing"; order: Order }
  /** Not recordable as it is (invalid, unmapped, key reused); nothing is stored. */
  | { kind: "rejected"; reasons: CaptureReason[]; warnings: CaptureReason[]; missingMappings: string | null }
  | ReadyOrder;

export const storedKey = (c: Pick<OrderCommand, "system" | "idempotencyKey">) => `${c.system}:${c.idempotencyKey}`;
const hashOf = (command: OrderCommand) => createHash("sha256").update(JSON.stringify(command)).digest("hex");
const reason = (code: CaptureReasonCode, message: string, lineNumber: number | null = null): CaptureReason => ({ code, message, lineNumber });

function newOrderId(): string {
  return `ORD-${Date.now().toString(36).toUpperCase()}${randomBytes(3).toString("hex").toUpperCase()}`;
}

export interface PrepareOptions {
  /** Lookups shared with the rest of the batch (ingestion). */
  cache?: MappingCache;
  /**
   * Stop after mapping: answer REJECTED with the missing mappings, or with none. A channel whose
   * own codes are already missing uses it to list every missing value without pricing the order
   * or asking for credit.
   */
  mapOnly?: boolean;
}

export async function prepareOrder(
  db: Db,
  deps: OrderCaptureDeps,
  input: unknown,
  correlationId: string,
  options: PrepareOptions = {},
): Promise<PreparedOrder> {
  const { cache } = options;
  const { command, problems } = commandProblems(input);
  if (!command)
    return { kind: "rejected", reasons: problems.map((p) => reason("INVALID_COMMAND", `${p.field}: ${p.message}`)), warnings: [], missingMappings: null };
  const idempotencyKey = storedKey(command);
  const requestHash = hashOf(command);
  const existing = await db.order.findUnique({ where: { idempotencyKey } });
  if (existing) {
    if (existing.requestHash === requestHash) return { kind: "existing", order: existing };
    return {
      kind: "rejected",
      reasons: [
        reason(
          "IDEMPOTENCY_KEY_REUSED",
          `idempotency key ${command.idempotencyKey} was already used for order ${existing.id} with different content: send a new key for a new order`,
        ),
      ],
      warnings: [],
      missingMappings: null,
    };
  }

  // ---- mapping: customer, products, units (every miss at once)
  const session = orderMappingSession(db, command.system, cache);
  const customerId = await session.customer(command.customer, "customer");
  const resolved = await Promise.all(
    command.lines.map(async (line, i) => {
      const lineNumber = line.lineNumber ?? i + 1;
      const where = `line ${lineNumber}`;
      const references = [
        ...(line.customerPartNumber && customerId ? [{ system: customerId, value: line.customerPartNumber }] : []),
        ...(line.references ?? []),
      ];
      // A buyer's part number cannot be looked up before its buyer is known: the customer's miss says why.
      if (!customerId && !line.sku && !line.gtin && !references.length) return { line, lineNumber, product: null, quantity: null };
      const product = await session.product({ sku: line.sku, gtin: line.gtin, references }, where);
      const quantity = product ? await session.quantity(product, line.quantity, line.unit, where, { packSize: line.packSize }) : null;
      return { line, lineNumber, product, quantity };
    }),
  );
  // GLNs the order names that no lookup above read (a ship-to; a buyer known by its partner id) get their check digits checked too.
  if (command.customer.gln) session.gln(command.customer.gln, "customer");
  if (command.shipTo?.gln) session.gln(command.shipTo.gln, "ship-to");
  const warnings = session.warningDetails
    .map((w): CaptureReason => {
      const line = /^line (\d+)$/.exec(w.where ?? "");
      const code = w.code === "GS1_CHECK_DIGIT" ? "GS1_CHECK_DIGIT" : "MAPPING_WARNING";
      return line ? reason(code, w.message, Number(line[1])) : { ...reason(code, w.message), ...(w.where && { where: w.where }) };
    })
    // Lines are mapped concurrently: in line order (order-level warnings first), whatever answered first.
    .sort((x, y) => (x.lineNumber ?? 0) - (y.lineNumber ?? 0));
  if (session.misses.length || !customerId || options.mapOnly) {
    return {
      kind: "rejected",
      // Lines are mapped concurrently: report in line order, whatever answered first.
      reasons: session.misses
        .map((m) => reason("UNMAPPED", m.text, m.where?.startsWith("line ") ? Number(m.where.slice(5)) : null))
        .sort((x, y) => (x.lineNumber ?? 0) - (y.lineNumber ?? 0)),
      warnings,
      missingMappings: session.missingText(),
    };
  }

  // ---- pricing
  const currency = command.currency ?? deps.defaultCurrency;
  const [settings, prices] = await Promise.all([
    db.customerOrderSettings.findUnique({ where: { customerId } }),
    db.priceListEntry.findMany({
      where: { sku: { in: [...new Set(resolved.map((r) => r.product!.sku))] }, priceList: { in: [LIST_PRICE_LIST, customerId] }, currency },
    }),
  ]);
  const policy = settings?.buyerPricePolicy ?? "ACCEPT_WITH_WARNING";
  const tolerance = settings?.priceTolerancePercent ?? new D(0);
  const reasons: CaptureReason[] = [];
  let priceHold = false;
  const lines: NewLine[] = resolved.map(({ line, lineNumber, product, quantity }) => {
    const p = product!;
    const q = quantity!;
    const ours = ourPrice(prices, customerId, { sku: p.sku, unit: q.unit, baseUnit: p.baseUnit, factor: q.factor });
    let unitPrice: Prisma.Decimal;
    let priceSource: PriceSource;
    if (ours) {
      unitPrice = ours.unitPrice;
      priceSource = ours.source;
      if (line.buyerUnitPrice != null && priceDiffers(ours.unitPrice, line.buyerUnitPrice, tolerance)) {
        const text = `buyer price ${line.buyerUnitPrice} ${currency} per ${q.unit} differs from ours, ${ours.unitPrice.toFixed(4)} (${ours.source === "LIST_PRICE" ? "list price" : "customer price list"})`;
        if (policy === "HOLD") {
          priceHold = true;
          reasons.push(reason("PRICE_DIFFERENCE", `${text}: held for review (customer policy HOLD)`, lineNumber));
        } else warnings.push(reason("PRICE_DIFFERENCE", `${text}: ours used`, lineNumber));
      }
    } else if (line.buyerUnitPrice != null) {
      unitPrice = new D(line.buyerUnitPrice);
      priceSource = "BUYER";
      const text = `no price on file for ${p.sku} per ${q.unit} in ${currency}; the buyer's ${line.buyerUnitPrice}`;
      if (policy === "HOLD") {
        priceHold = true;
        reasons.push(reason("NO_PRICE", `${text} needs review (customer policy HOLD)`, lineNumber));
      } else warnings.push(reason("NO_PRICE", `${text} was used`, lineNumber));
    } else {
      unitPrice = new D(0);
      priceSource = "LIST_PRICE";
      priceHold = true;
      reasons.push(
        reason("NO_PRICE", `no price on file for ${p.sku} per ${q.unit} in ${currency}, and the buyer sent none: price it, then release the hold`, lineNumber),
      );
    }
    return {
      id: "",
      lineNumber,
      sku: p.sku,
      gtin: p.gtin,
      customerPartNumber: line.customerPartNumber ?? null,
      unit: q.unit,
      unitFactor: q.factor,
      baseUnit: p.baseUnit,
      unitPrice,
      buyerUnitPrice: line.buyerUnitPrice ?? null,
      priceSource,
      quantityOrdered: line.quantity,
      requestedDate: line.requestedDate ?? null,
      deliverTo: line.deliverTo ?? null,
    };
  });
  const total = lines.reduce((s, l) => s.add(lineAmount(l.unitPrice, l.quantityOrdered)), new D(0));

  // ---- credit (with a reservation, so concurrent orders of this customer see each other)
  const credit = await reserveAndCheckCredit(db, deps.credit, { orderKey: idempotencyKey, customerId, amount: total, currency }, correlationId);
  let outcome: CaptureOutcome;
  if (credit.kind === "unknown-customer") {
    reasons.unshift(reason("UNKNOWN_CUSTOMER", credit.reason));
    outcome = "REJECTED";
  } else {
    if (credit.kind === "unavailable")
      reasons.push(reason("CREDIT_CHECK_UNAVAILABLE", `${credit.reason}; the order waits in CREDIT_HOLD until credit is confirmed`));
    else if (!credit.approved) reasons.push(reason("CREDIT_NOT_APPROVED", credit.reason ?? "credit not approved"));
    outcome = priceHold ? "PRICE_HOLD" : credit.kind === "decided" && credit.approved ? "ACCEPTED" : "CREDIT_HOLD";
  }
  return {
    kind: "ready",
    command,
    idempotencyKey,
    requestHash,
    customerId,
    businessUnitId: credit.kind === "decided" ? credit.businessUnitId : null,
    currency,
    shipFrom: command.shipFrom?.length ? command.shipFrom : (settings?.shipFromLocationIds ?? []),
    lines,
    record: { outcome, reasons, warnings, credit: creditSnapshot(credit) },
  };
}

export function creditSnapshot(credit: CreditAnswer): CaptureRecord["credit"] {
  const checkedAt = new Date().toISOString();
  if (credit.kind === "decided")
    return {
      approved: credit.approved,
      reason: credit.reason,
      creditLimit: credit.creditLimit,
      exposure: credit.exposure,
      available: credit.available,
      checkedAt,
    };
  return { approved: null, reason: credit.reason, creditLimit: null, exposure: null, available: null, checkedAt };
}

/** The customer's other open orders (accepted, not yet invoiced), valued at their prices. */
export async function openOrderAmount(db: Db | Tx, customerId: string, currency: string, excludeOrderId: string | null = null): Promise<Prisma.Decimal> {
  const [{ amount }] = await db.$queryRaw<{ amount: Prisma.Decimal | null }[]>`
    SELECT SUM(ROUND(GREATEST(l."quantityOrdered" - l."quantityInvoiced", 0) * l."unitPrice", 2)) AS "amount"
    FROM "orders"."OrderLine" l JOIN "orders"."Order" o ON o."id" = l."orderId"
    WHERE o."customerId" = ${customerId} AND o."currency" = ${currency} AND o."status"::text = ANY(${[...openCreditStatuses]})
      AND (${excludeOrderId}::text IS NULL OR o."id" <> ${excludeOrderId})`;
  return new D(amount ?? 0);
}

export async function checkCredit(
  db: Db,
  client: CreditClient,
  customerId: string,
  amount: Prisma.Decimal,
  currency: string,
  correlationId: string,
  excludeOrderId: string | null = null,
): Promise<CreditAnswer> {
  const open = await openOrderAmount(db, customerId, currency, excludeOrderId);
  return client.check({ customerId, amount: amount.toFixed(2), currency, openOrderAmount: open.toFixed(2) }, correlationId);
}

/** How long a credit reservation holds when its order is never recorded (a crash between check and record). */
export const CREDIT_RESERVATION_TTL_MS = 5 * 60_000;

/**
 * The credit check without the race between two orders of one customer: under a per-customer
 * lock, this order's amount is reserved and the open exposure read in one statement (open orders
 * plus the other orders' live reservations), then erp-finance is asked outside the lock. A second
 * order checked meanwhile sees the first one's reservation, so the two cannot both spend the same
 * credit. An order that is not approved gives its reservation back at once; an approved one keeps
 * it until recordOrder replaces it with the order itself (same transaction, so it is never
 * counted twice or not at all). See docs/decisions.md, "Credit reservations".
 */
export async function reserveAndCheckCredit(
  db: Db,
  client: CreditClient,
  r: { orderKey: string; customerId: string; amount: Prisma.Decimal; currency: string; excludeOrderId?: string | null },
  correlationId: string,
): Promise<CreditAnswer> {
  const open = await db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`credit:${r.customerId}`}, 7340004))`;
      await tx.$executeRaw`DELETE FROM "orders"."CreditReservation" WHERE "customerId" = ${r.customerId} AND "expiresAt" < now()`;
      const [{ amount }] = await tx.$queryRaw<{ amount: Prisma.Decimal | null }[]>`
      SELECT COALESCE((SELECT SUM(ROUND(GREATEST(l."quantityOrdered" - l."quantityInvoiced", 0) * l."unitPrice", 2))
                        FROM "orders"."OrderLine" l JOIN "orders"."Order" o ON o."id" = l."orderId"
                        WHERE o."customerId" = ${r.customerId} AND o."currency" = ${r.currency} AND o."status"::text = ANY(${[...openCreditStatuses]})
                          AND (${r.excludeOrderId ?? null}::text IS NULL OR o."id" <> ${r.excludeOrderId ?? null})), 0)
           + COALESCE((SELECT SUM("amount") FROM "orders"."CreditReservation"
                        WHERE "customerId" = ${r.customerId} AND "currency" = ${r.currency} AND "orderKey" <> ${r.orderKey}), 0) AS "amount"`;
      const expiresAt = new Date(Date.now() + CREDIT_RESERVATION_TTL_MS);
      await tx.$executeRaw`
      INSERT INTO "orders"."CreditReservation" ("orderKey", "customerId", "currency", "amount", "expiresAt")
      VALUES (${r.orderKey}, ${r.customerId}, ${r.currency}, ${r.amount.toFixed(2)}::numeric, ${expiresAt})
      ON CONFLICT ("orderKey") DO UPDATE SET "customerId" = EXCLUDED."customerId", "currency" = EXCLUDED."currency", "amount" = EXCLUDED."amount", "expiresAt" = EXCLUDED."expiresAt"`;
      return new D(amount ?? 0);
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
  const answer = await client.check(
    { customerId: r.customerId, amount: r.amount.toFixed(2), currency: r.currency, openOrderAmount: open.toFixed(2) },
    correlationId,
  );
  if (!(answer.kind === "decided" && answer.approved)) await releaseCreditReservation(db, r.orderKey);
  return answer;
}

/** Gives a reservation back (not approved, or replaced by the recorded order). */
export async function releaseCreditReservation(db: Db | Tx, orderKey: string): Promise<void> {
  await db.$executeRaw`DELETE FROM "orders"."CreditReservation" WHERE "orderKey" = ${orderKey}`;
}

const STATUS_OF: Record<CaptureOutcome, OrderStatus> = { ACCEPTED: "ACCEPTED", CREDIT_HOLD: "CREDIT_HOLD", PRICE_HOLD: "PRICE_HOLD", REJECTED: "REJECTED" };

export function statusReason(record: CaptureRecord): string {
  if (record.outcome === "ACCEPTED")
    return record.warnings.length ? `accepted with ${record.warnings.length} warning(s): ${record.warnings.map((w) => w.message).join("; ")}` : "accepted";
  return record.reasons.map((r) => (r.lineNumber ? `line ${r.lineNumber}: ${r.message}` : r.message)).join("; ");
}

/**
 * Writes a prepared order, its lines, external references, first history entry and events
 * (OrderStatusChanged; OrderAccepted when accepted) in the caller's transaction. A concurrent
 * capture of the same idempotency key is serialised by a lock on the key: the second finds the
 * first's order and returns it (created: false).
 */
export async function recordOrder(
  tx: Tx,
  ready: ReadyOrder,
  ctx: { correlationId: string; source?: string; messageId?: string | null; sourceUpdatedAt?: Date | null },
): Promise<{ order: Order; created: boolean }> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${ready.idempotencyKey}, 7340002))`;
  // From here on the order itself (or nothing, if not open) stands for the credit it reserved.
  await releaseCreditReservation(tx, ready.idempotencyKey);
  const existing = await tx.order.findUnique({ where: { idempotencyKey: ready.idempotencyKey } });
  if (existing) return { order: existing, created: false };
  const c = ready.command;
  const now = new Date();
  const id = newOrderId();
  const status = STATUS_OF[ready.record.outcome];
  const order = await tx.order.create({
    data: {
      id,
      orderNumber: `SO-${id.slice(4)}`,
      customerId: ready.customerId,
      customerPo: c.customerPo ?? null,
      channel: c.channel as OrderChannel,
      businessUnitId: ready.businessUnitId,
      status,
      currency: ready.currency,
      placedAt: now,
      requestedShipDate: c.requestedShipDate ? new Date(c.requestedShipDate) : null,
      requestedDeliveryDate: c.requestedDeliveryDate ? new Date(c.requestedDeliveryDate) : null,
      shipToName: c.shipTo?.name ?? null,
      shipToAddress: c.shipTo?.address ?? null,
      shipToLocationId: c.shipTo?.locationId ?? null,
      shipToGln: c.shipTo?.gln ?? null,
      idempotencyKey: ready.idempotencyKey,
      requestHash: ready.requestHash,
      shipFromPreference: ready.shipFrom,
      capture: ready.record as unknown as Prisma.InputJsonObject,
      partnerContext: (c.partnerContext ?? undefined) as Prisma.InputJsonObject | undefined,
      sourceMessageId: ctx.messageId ?? null,
      sourceUpdatedAt: ctx.sourceUpdatedAt ?? null,
    },
  });
  const lines = ready.lines.map((l) => ({
    id: `${id}-${l.lineNumber}`,
    orderId: id,
    lineNumber: l.lineNumber,
    sku: l.sku,
    gtin: l.gtin,
    customerPartNumber: l.customerPartNumber,
    unit: l.unit,
    unitFactor: l.unitFactor,
    baseUnit: l.baseUnit,
    unitPrice: l.unitPrice,
    buyerUnitPrice: l.buyerUnitPrice,
    priceSource: l.priceSource,
    quantityOrdered: l.quantityOrdered,
    requestedDate: l.requestedDate ? new Date(l.requestedDate) : null,
    deliverTo: l.deliverTo,
  }));
  await tx.orderLine.createMany({ data: lines });
  if (c.charges?.length) {
    await tx.orderCharge.createMany({
      data: c.charges.map((ch) => ({
        orderId: id,
        kind: ch.kind,
        code: ch.code ?? null,
        description: ch.description ?? null,
        amount: new D(ch.amount),
        lineNumber: ch.lineNumber ?? null,
      })),
    });
  }
  if (c.externalRefs?.length)
    await tx.orderExternalRef.createMany({ data: c.externalRefs.map((r) => ({ orderId: id, system: r.system, value: r.value })), skipDuplicates: true });
  const source = ctx.source ?? SOURCE_OF_CHANNEL[c.channel as OrderChannel];
  await recordTransition(
    tx,
    { orderId: id, customerId: ready.customerId, from: null, to: status, version: order.version },
    { reason: statusReason(ready.record), source, correlationId: ctx.correlationId, at: now },
  );
  if (status === "ACCEPTED") await emitOrderAccepted(tx, order, lines, ctx.correlationId, now);
  return { order, created: true };
}

/** OrderAccepted: inventory's cue to allocate the order's lines. */
export async function emitOrderAccepted(
  tx: Tx,
  order: Pick<Order, "id" | "customerId" | "shipFromPreference" | "version">,
  lines: { id: string; lineNumber: number; sku: string; unitFactor: number; quantityOrdered: number; requestedDate: Date | null }[],
  correlationId: string,
  at: Date,
) {
  const payload: OrderAcceptedPayload = {
    orderId: order.id,
    customerId: order.customerId,
    acceptedAt: at.toISOString(),
    shipFrom: order.shipFromPreference,
    lines: lines.map((l) => ({
      lineId: l.id,
      lineNumber: l.lineNumber,
      sku: l.sku,
      unitFactor: l.unitFactor,
      quantity: l.quantityOrdered * l.unitFactor,
      requestedDate: l.requestedDate ? l.requestedDate.toISOString().slice(0, 10) : null,
    })),
  };
  await appendEvents(tx, correlationId, [
    {
      type: ORDER_ACCEPTED,
      aggregateType: "Order",
      aggregateId: order.id,
      aggregateVersion: order.version,
      occurredAt: at,
      payload: payload as unknown as Prisma.InputJsonObject,
    },
  ]);
}

export interface PlaceOrderResult {
  outcome: CaptureOutcome;
  order: Order | null;
  /** True when the answer is the order an earlier request with the same key created. */
  replayed: boolean;
  reasons: CaptureReason[];
  warnings: CaptureReason[];
}

const resultOf = (order: Order, replayed: boolean): PlaceOrderResult => {
  const record = order.capture as unknown as CaptureRecord;
  return { outcome: record.outcome, order, replayed, reasons: record.reasons, warnings: record.warnings };
};

/** The B2B API's entry: prepare and record in one call. REJECTED answers record nothing. */
export async function placeOrder(db: Db, deps: OrderCaptureDeps, command: unknown, correlationId: string): Promise<PlaceOrderResult> {
  const prepared = await prepareOrder(db, deps, command, correlationId);
  if (prepared.kind === "existing") return resultOf(prepared.order, true);
  if (prepared.kind === "rejected") return { outcome: "REJECTED", order: null, replayed: false, reasons: prepared.reasons, warnings: prepared.warnings };
  const { order, created } = await db.$transaction((tx) => recordOrder(tx, prepared, { correlationId }), { timeout: 30_000, maxWait: 30_000 });
  if (!created && order.requestHash !== prepared.requestHash) {
    return {
      outcome: "REJECTED",
      order: null,
      replayed: false,
      reasons: [
        reason("IDEMPOTENCY_KEY_REUSED", `idempotency key ${prepared.command.idempotencyKey} was already used for order ${order.id} with different content`),
      ],
      warnings: [],
    };
  }
  return resultOf(order, !created);
}

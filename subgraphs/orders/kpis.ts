// The KPIs the orders domain contributes to KpiWindow, computed from its status history and order
// lines (never from counters), so any past window can be asked again and gives the same answer.
// The definitions here are the ones the SDL's descriptions state; keep them in step.
import { Prisma } from "../../platform/db/generated/client.js";
import type { Db } from "../../platform/db/client.js";
import { durationStats, ratio, type DurationStatsModel, type KpiWindowModel } from "../../platform/kpi/window.js";

/** Orders whose status history says they reached shipping (all or part of the goods left). */
const SHIPPED_STATUSES = ["PARTIALLY_SHIPPED", "SHIPPED", "INVOICED", "CLOSED"];
/** Statuses that make an order imperfect once it has passed through them. */
const IMPERFECT_STATUSES = ["CREDIT_HOLD", "PRICE_HOLD", "BACKORDERED", "PARTIALLY_ALLOCATED", "PARTIALLY_SHIPPED"];

const orderFilter = (w: KpiWindowModel) =>
  Prisma.sql`${w.businessUnitId ? Prisma.sql`AND o."businessUnitId" = ${w.businessUnitId}` : Prisma.empty}
    ${w.channel ? Prisma.sql`AND o."channel"::text = ${w.channel}` : Prisma.empty}`;

const stats = (expr: Prisma.Sql) => Prisma.sql`
  count(${expr}) AS n,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY ${expr}) AS p50,
  percentile_cont(0.95) WITHIN GROUP (ORDER BY ${expr}) AS p95,
  max(${expr}) AS max`;

/** Per order received in the window: when it was received (its first history entry), accepted and allocated. */
const receivedInWindow = (w: KpiWindowModel) => Prisma.sql`
  SELECT h."orderId",
    min(h."changedAt") AS received,
    min(h."changedAt") FILTER (WHERE h."toStatus" = 'ACCEPTED') AS accepted,
    min(h."changedAt") FILTER (WHERE h."toStatus" = 'ALLOCATED') AS allocated,
    bool_or(h."toStatus"::text = ANY(${SHIPPED_STATUSES})) AS shipped,
    bool_or(h."toStatus"::text = ANY(${IMPERFECT_STATUSES})) AS imperfect
  FROM "orders"."OrderStatusChange" h JOIN "orders"."Order" o ON o."id" = h."orderId"
  WHERE true ${orderFilter(w)}
  GROUP BY h."orderId"
  HAVING min(h."changedAt") >= ${w.from} AND min(h."changedAt") < ${w.to}`;

const seconds = (a: string, b: string) => Prisma.raw(`EXTRACT(EPOCH FROM (${b} - ${a}))::float8`);

export async function orderProcessingLatency(db: Db, w: KpiWindowModel) {
  const [row] = await db.$queryRaw<Record<string, unknown>[]>`
    WITH r AS (${receivedInWindow(w)})
    SELECT count(*) AS received,
      count(accepted) AS a_n, percentile_cont(0.5) WITHIN GROUP (ORDER BY ${seconds("received", "accepted")}) AS a_p50,
      percentile_cont(0.95) WITHIN GROUP (ORDER BY ${seconds("received", "accepted")}) AS a_p95, max(${seconds("received", "accepted")}) AS a_max,
      count(allocated) AS l_n, percentile_cont(0.5) WITHIN GROUP (ORDER BY ${seconds("received", "allocated")}) AS l_p50,
      percentile_cont(0.95) WITHIN GROUP (ORDER BY ${seconds("received", "allocated")}) AS l_p95, max(${seconds("received", "allocated")}) AS l_max
    FROM r`;
  return {
    ordersReceived: Number(row?.received ?? 0),
    toAccepted: durationStats({ n: row?.a_n, p50: row?.a_p50, p95: row?.a_p95, max: row?.a_max }),
    toAllocated: durationStats({ n: row?.l_n, p50: row?.l_p50, p95: row?.l_p95, max: row?.l_max }),
  };
}

/** Each release (a RELEASED history entry in the window) to the order's next shipping entry after it. */
export async function fulfillmentConfirmationTime(db: Db, w: KpiWindowModel): Promise<DurationStatsModel> {
  const [row] = await db.$queryRaw<{ n: bigint; p50: number | null; p95: number | null; max: number | null }[]>`
    WITH rel AS (
      SELECT h."id", h."orderId", h."changedAt" AS released,
        (SELECT min(s."changedAt") FROM "orders"."OrderStatusChange" s
          WHERE s."orderId" = h."orderId" AND s."toStatus" IN ('PARTIALLY_SHIPPED', 'SHIPPED') AND s."changedAt" >= h."changedAt" AND s."id" > h."id") AS shipped
      FROM "orders"."OrderStatusChange" h JOIN "orders"."Order" o ON o."id" = h."orderId"
      WHERE h."toStatus" = 'RELEASED' AND h."changedAt" >= ${w.from} AND h."changedAt" < ${w.to} ${orderFilter(w)}
    )
    SELECT ${stats(seconds("released", "shipped"))} FROM rel`;
  return durationStats(row);
}

/** Units shipped over units ordered (base units), over the orders received in the window that shipped. */
export async function fillRate(db: Db, w: KpiWindowModel) {
  const [row] = await db.$queryRaw<{ orders: bigint; ordered: bigint | null; shipped: bigint | null }[]>`
    WITH r AS (${receivedInWindow(w)})
    SELECT count(DISTINCT r."orderId") AS orders,
      sum(l."quantityOrdered" * l."unitFactor") AS ordered,
      sum(LEAST(l."quantityShipped", l."quantityOrdered") * l."unitFactor") AS shipped
    FROM r JOIN "orders"."OrderLine" l ON l."orderId" = r."orderId"
    WHERE r.shipped`;
  const ordered = Number(row?.ordered ?? 0);
  const shipped = Number(row?.shipped ?? 0);
  return { orders: Number(row?.orders ?? 0), unitsOrdered: ordered, unitsShipped: shipped, rate: ratio(shipped, ordered) };
}

/**
 * Of the orders received in the window that reached SHIPPED (or later), those that never passed
 * through a hold, a backorder, a partial allocation or a partial shipment, and shipped every line in full.
 */
export async function perfectOrderRate(db: Db, w: KpiWindowModel) {
  const [row] = await db.$queryRaw<{ orders: bigint; perfect: bigint }[]>`
    WITH r AS (${receivedInWindow(w)}),
    complete AS (
      SELECT r."orderId", r.imperfect,
        bool_and(l."quantityShipped" >= l."quantityOrdered") AS in_full
      FROM r JOIN "orders"."Order" o ON o."id" = r."orderId" JOIN "orders"."OrderLine" l ON l."orderId" = r."orderId"
      WHERE o."status"::text IN ('SHIPPED', 'INVOICED', 'CLOSED')
      GROUP BY r."orderId", r.imperfect
    )
    SELECT count(*) AS orders, count(*) FILTER (WHERE in_full AND NOT imperfect) AS perfect FROM complete`;
  const orders = Number(row?.orders ?? 0);
  const perfect = Number(row?.perfect ?? 0);
  return { orders, perfect, rate: ratio(perfect, orders) };
}

// The shipment KPIs shipments contributes to KpiWindow, from its shipments' own times.
import type { Db } from "../../platform/db/client.js";
import { durationStats, type KpiWindowModel } from "../../platform/kpi/window.js";

export async function shipmentKpis(db: Db, w: KpiWindowModel) {
  const [row] = await db.$queryRaw<{ shipped: bigint; n: bigint; p50: number | null; p95: number | null; max: number | null }[]>`
    WITH d AS (
      SELECT EXTRACT(EPOCH FROM ("deliveredAt" - "shippedAt"))::float8 AS s FROM "shipments"."Shipment"
      WHERE "deliveredAt" >= ${w.from} AND "deliveredAt" < ${w.to} AND "shippedAt" IS NOT NULL
    )
    SELECT (SELECT count(*) FROM "shipments"."Shipment" WHERE "shippedAt" >= ${w.from} AND "shippedAt" < ${w.to}) AS shipped,
      count(s) AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY s) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY s) AS p95, max(s) AS max
    FROM d`;
  return { shipmentsShipped: Number(row?.shipped ?? 0), deliveryTime: durationStats(row) };
}

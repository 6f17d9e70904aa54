// Inventory freshness, the KPI the inventory domain contributes to KpiWindow: how old each stock
// position's last source update is (its movement journal and absolute levels), per location.
import { Prisma } from "../../platform/db/generated/client.js";
import type { Db } from "../../platform/db/client.js";
import { invalidArgument } from "../../platform/errors.js";
import type { KpiWindowModel } from "../../platform/kpi/window.js";

export interface FreshnessStats {
  locationId: string | null;
  positions: number;
  p50AgeSeconds: number | null;
  p95AgeSeconds: number | null;
  staleCount: number;
}

const secs = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 1000) / 1000);

/**
 * Ages as of the window's end (or now, when the end is later): per position, the newest of its
 * stock movements and absolute level at or before that time, else its asOf when that is before it.
 * Positions with no update before it are not in the sample.
 */
export async function inventoryFreshness(db: Db, w: KpiWindowModel, staleAfterSeconds: number, locationId: string | null) {
  if (!Number.isInteger(staleAfterSeconds) || staleAfterSeconds < 1)
    throw invalidArgument("staleAfterSeconds", `must be a positive whole number of seconds, got ${staleAfterSeconds}`);
  const at = new Date(Math.min(w.to.getTime(), Date.now()));
  const rows = await db.$queryRaw<{ locationId: string | null; n: bigint; p50: number | null; p95: number | null; stale: bigint }[]>`
    WITH last AS (
      SELECT p."locationId",
        COALESCE(GREATEST(
          (SELECT max(m."occurredAt") FROM "inventory"."StockMovement" m WHERE m."sku" = p."sku" AND m."locationId" = p."locationId" AND m."occurredAt" <= ${at}),
          CASE WHEN p."levelAsOf" <= ${at} THEN p."levelAsOf" END
        ), CASE WHEN p."asOf" <= ${at} THEN p."asOf" END) AS updated
      FROM "inventory"."InventoryPosition" p
      WHERE ${locationId ? Prisma.sql`p."locationId" = ${locationId}` : Prisma.sql`true`}
    ), ages AS (
      SELECT "locationId", EXTRACT(EPOCH FROM (${at}::timestamptz - updated))::float8 AS age FROM last WHERE updated IS NOT NULL
    )
    SELECT "locationId", count(*) AS n,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY age) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY age) AS p95,
      count(*) FILTER (WHERE age > ${staleAfterSeconds}) AS stale
    FROM ages GROUP BY GROUPING SETS (("locationId"), ()) ORDER BY "locationId" NULLS FIRST`;
  const toStats = (r: (typeof rows)[number]): FreshnessStats => ({
    locationId: r.locationId,
    positions: Number(r.n),
    p50AgeSeconds: secs(r.p50),
    p95AgeSeconds: secs(r.p95),
    staleCount: Number(r.stale),
  });
  // The grand total row (locationId null) comes first; it is missing when there are no positions.
  const total = rows.find((r) => r.locationId === null);
  return {
    asOf: at,
    staleAfterSeconds,
    ...(total ? toStats(total) : { locationId: null, positions: 0, p50AgeSeconds: null, p95AgeSeconds: null, staleCount: 0 }),
    byLocation: rows.filter((r) => r.locationId !== null).map(toStats),
  };
}

// The exception KPIs operations contributes to KpiWindow, from the inbound message store and the
// parked events: what failed in the window, what is still open, and how long resolving took.
import type { Db } from "../../platform/db/client.js";
import { durationStats, type KpiWindowModel } from "../../platform/kpi/window.js";

export async function exceptionKpis(db: Db, w: KpiWindowModel) {
  const rows = await db.$queryRaw<{ kind: string; opened: bigint; open: bigint }[]>`
    SELECT 'INBOUND_MESSAGE' AS kind, count(*) AS opened, count(*) FILTER (WHERE "state" IN ('DEAD_LETTER', 'FAILED')) AS open
    FROM "platform"."InboundMessage"
    WHERE "receivedAt" >= ${w.from} AND "receivedAt" < ${w.to}
      AND ("state" IN ('DEAD_LETTER', 'FAILED') OR ("state" = 'PROCESSED' AND "attempts" > 1))
    UNION ALL
    SELECT 'PARKED_EVENT', count(*), count(*) FILTER (WHERE "resolvedAt" IS NULL)
    FROM "platform"."ParkedEvent" WHERE "parkedAt" >= ${w.from} AND "parkedAt" < ${w.to}`;
  const [times] = await db.$queryRaw<{ n: bigint; p50: number | null; p95: number | null; max: number | null }[]>`
    WITH t AS (
      SELECT EXTRACT(EPOCH FROM ("processedAt" - "receivedAt"))::float8 AS s FROM "platform"."InboundMessage"
      WHERE "receivedAt" >= ${w.from} AND "receivedAt" < ${w.to} AND "state" = 'PROCESSED' AND "attempts" > 1 AND "processedAt" IS NOT NULL
      UNION ALL
      SELECT EXTRACT(EPOCH FROM ("resolvedAt" - "parkedAt"))::float8 FROM "platform"."ParkedEvent"
      WHERE "parkedAt" >= ${w.from} AND "parkedAt" < ${w.to} AND "resolvedAt" IS NOT NULL
    )
    SELECT count(s) AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY s) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY s) AS p95, max(s) AS max FROM t`;
  const byKind = rows.map((r) => ({ kind: r.kind, opened: Number(r.opened), open: Number(r.open) }));
  const opened = byKind.reduce((s, k) => s + k.opened, 0);
  const open = byKind.reduce((s, k) => s + k.open, 0);
  return { opened, open, resolved: opened - open, resolutionTime: durationStats(times), byKind };
}

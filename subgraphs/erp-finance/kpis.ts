// Invoice posting accuracy, the KPI erp-finance contributes to KpiWindow, from the invoices'
// posting state. When ERP postings (finance.ErpPosting, issue 10) land, the sample stays the same
// and "posted first time" becomes: POSTED with no corrections.
import { Prisma } from "../../platform/db/generated/client.js";
import type { Db } from "../../platform/db/client.js";
import { ratio, type KpiWindowModel } from "../../platform/kpi/window.js";

export async function invoicePostingAccuracy(db: Db, w: KpiWindowModel) {
  const [row] = await db.$queryRaw<{ invoices: bigint; posted: bigint; failed: bigint; pending: bigint }[]>`
    SELECT count(*) AS invoices,
      count(*) FILTER (WHERE "postingStatus" = 'POSTED') AS posted,
      count(*) FILTER (WHERE "postingStatus" = 'FAILED') AS failed,
      count(*) FILTER (WHERE "postingStatus" = 'PENDING') AS pending
    FROM "finance"."Invoice"
    WHERE "status" <> 'VOID' AND "invoiceDate"::timestamp AT TIME ZONE 'UTC' >= ${w.from} AND "invoiceDate"::timestamp AT TIME ZONE 'UTC' < ${w.to}
      ${w.businessUnitId ? Prisma.sql`AND "businessUnitId" = ${w.businessUnitId}` : Prisma.empty}`;
  const posted = Number(row?.posted ?? 0);
  const failed = Number(row?.failed ?? 0);
  return { invoices: Number(row?.invoices ?? 0), posted, failed, pending: Number(row?.pending ?? 0), rate: ratio(posted, posted + failed) };
}

// Shipment queries with validated filters.
import { buildConnection, cursorWhere, pageWindow, readDirection, type ConnectionModel, type PageArgs } from "../../platform/graphql/connection.js";
import { invalidArgument } from "../../platform/errors.js";
import type { Db } from "../../platform/db/client.js";
import type { Prisma, Shipment, ShipmentStatus } from "../../platform/db/generated/client.js";

export interface ShipmentFilter {
  orderId?: string | null;
  trackingNumber?: string | null;
  sscc?: string | null;
  status?: ShipmentStatus[] | null;
  carrierScac?: string | null;
}

export function shipmentWhere(filter: ShipmentFilter | null | undefined): Prisma.ShipmentWhereInput {
  const f = filter ?? {};
  const where: Prisma.ShipmentWhereInput = {};
  if (f.orderId) where.orderId = f.orderId;
  if (f.trackingNumber) where.OR = [{ trackingNumber: f.trackingNumber }, { packages: { some: { trackingNumber: f.trackingNumber } } }];
  if (f.sscc) {
    if (!/^\d{18}$/.test(f.sscc)) throw invalidArgument("filter.sscc", `must be 18 digits, got ${JSON.stringify(f.sscc)}`);
    where.packages = { some: { sscc: f.sscc } };
  }
  if (f.status?.length) where.status = { in: f.status };
  if (f.carrierScac) where.carrierScac = f.carrierScac;
  return where;
}

export async function listShipments(db: Db, filter: ShipmentFilter | null | undefined, page: PageArgs = {}): Promise<ConnectionModel<Shipment>> {
  const window = pageWindow(page, 1);
  const dir = readDirection("desc", window);
  const where = shipmentWhere(filter);
  const rows = await db.shipment.findMany({
    where: { AND: [where, cursorWhere(window, null, "desc") as Prisma.ShipmentWhereInput] },
    orderBy: { id: dir },
    take: window.limit + 1,
  });
  return buildConnection(
    rows,
    window,
    (s) => [s.id],
    () => db.shipment.count({ where }),
  );
}

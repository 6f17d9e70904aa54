// Order queries. Filters are validated here so resolvers stay thin and errors carry stable codes.
import { rowWhere, type Identity } from "../../platform/auth/identity.js";
import { DomainError, ErrorCode } from "../../platform/errors.js";
import {
  buildConnection,
  cursorWhere,
  pageWindow,
  readDirection,
  type ConnectionModel,
  type PageArgs,
  type SortKey,
} from "../../platform/graphql/connection.js";
import type { Db } from "../../platform/db/client.js";
import type { Order, OrderChannel, OrderStatus, Prisma } from "../../platform/db/generated/client.js";

export interface OrderFilter {
  customerId?: string | null;
  customerPo?: string | null;
  externalRef?: string | null;
  status?: OrderStatus[] | null;
  channel?: OrderChannel[] | null;
  businessUnitId?: string | null;
  placedFrom?: Date | null;
  placedTo?: Date | null;
}

export function orderWhere(filter: OrderFilter | null | undefined): Prisma.OrderWhereInput {
  const f = filter ?? {};
  if (f.placedFrom && f.placedTo && f.placedFrom >= f.placedTo) {
    throw new DomainError(
      ErrorCode.INVALID_DATE_RANGE,
      `filter.placedFrom (${f.placedFrom.toISOString()}) must be before filter.placedTo (${f.placedTo.toISOString()})`,
      {
        argument: "filter",
      },
    );
  }
  const where: Prisma.OrderWhereInput = {};
  if (f.customerId) where.customerId = f.customerId;
  if (f.customerPo) where.customerPo = f.customerPo;
  if (f.externalRef) where.externalRefs = { some: { value: f.externalRef } };
  if (f.status?.length) where.status = { in: f.status };
  if (f.channel?.length) where.channel = { in: f.channel };
  if (f.businessUnitId) where.businessUnitId = f.businessUnitId;
  if (f.placedFrom || f.placedTo) where.placedAt = { ...(f.placedFrom && { gte: f.placedFrom }), ...(f.placedTo && { lt: f.placedTo }) };
  return where;
}

export const orderSortKey = (o: Order): SortKey => [o.placedAt.toISOString(), o.id];

export async function listOrders(
  db: Db,
  filter: OrderFilter | null | undefined,
  page: PageArgs = {},
  identity?: Identity | null,
): Promise<ConnectionModel<Order>> {
  const window = pageWindow(page, 2);
  const dir = readDirection("desc", window);
  // A customer's or business unit's token lists only its own orders, whatever the filter says.
  const where: Prisma.OrderWhereInput = { AND: [orderWhere(filter), rowWhere(identity)] };
  const cursor = cursorWhere(window, "placedAt", "desc") as Prisma.OrderWhereInput;
  const rows = await db.order.findMany({
    where: { AND: [where, cursor] },
    orderBy: [{ placedAt: dir }, { id: dir }],
    take: window.limit + 1,
  });
  return buildConnection(rows, window, orderSortKey, () => db.order.count({ where }));
}

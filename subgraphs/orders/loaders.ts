// Per-request DataLoaders: a list of N orders costs one query per child list, not N.
import DataLoader from "dataloader";
import { Prisma, type Order, type OrderStatus } from "../../platform/db/generated/client.js";
import { loaderOfMany, loaderOfOne } from "../../platform/graphql/batch.js";
import { buildConnection, decodeCursor, pageSize, type ConnectionModel } from "../../platform/graphql/connection.js";
import type { Db } from "../../platform/db/client.js";
import { orderSortKey } from "./service.js";
import { documentsForOrders, type OutboundDocumentView } from "../../platform/documents/index.js";

export interface CustomerOrdersKey {
  customerId: string;
  status: OrderStatus[] | null;
  first: number;
  after: string | null;
}

export function createOrderLoaders(db: Db) {
  return {
    orderById: loaderOfOne(
      (ids: string[]) => db.order.findMany({ where: { id: { in: ids } } }),
      (o) => o.id,
    ),
    linesByOrderId: loaderOfMany(
      (ids: string[]) => db.orderLine.findMany({ where: { orderId: { in: ids } }, orderBy: [{ orderId: "asc" }, { lineNumber: "asc" }] }),
      (l) => l.orderId,
    ),
    externalRefsByOrderId: loaderOfMany(
      (ids: string[]) => db.orderExternalRef.findMany({ where: { orderId: { in: ids } }, orderBy: { system: "asc" } }),
      (r) => r.orderId,
    ),
    statusHistoryByOrderId: loaderOfMany(
      (ids: string[]) => db.orderStatusChange.findMany({ where: { orderId: { in: ids } }, orderBy: [{ changedAt: "asc" }, { id: "asc" }] }),
      (c) => c.orderId,
    ),
    chargesByOrderId: loaderOfMany(
      (ids: string[]) => db.orderCharge.findMany({ where: { orderId: { in: ids } }, orderBy: [{ orderId: "asc" }, { id: "asc" }] }),
      (c) => c.orderId,
    ),
    /** Keyed by order; the order's source message finds the 997 of its group. */
    documentsByOrder: new DataLoader<Pick<Order, "id" | "sourceMessageId">, OutboundDocumentView[], string>(
      async (orders) => {
        const byOrder = await documentsForOrders(db, [...orders]);
        return orders.map((o) => byOrder.get(o.id) ?? []);
      },
      { cacheKeyFn: (o) => o.id },
    ),
    openDemandBySku: new DataLoader<string, number>(async (skus) => {
      const rows = await db.$queryRaw<{ sku: string; open: bigint | number }[]>`
        SELECT l."sku", SUM(GREATEST(l."quantityOrdered" - l."quantityShipped", 0) * l."unitFactor") AS "open"
        FROM "orders"."OrderLine" l JOIN "orders"."Order" o ON o."id" = l."orderId"
        WHERE l."sku" = ANY(${[...skus]}) AND o."status" NOT IN ('CANCELLED', 'REJECTED', 'SHIPPED', 'INVOICED', 'CLOSED')
        GROUP BY l."sku"`;
      const bySku = new Map(rows.map((r) => [r.sku, Number(r.open)]));
      return skus.map((s) => bySku.get(s) ?? 0);
    }),
    ordersByCustomer: createCustomerOrdersLoader(db),
  };
}

export type OrderLoaders = ReturnType<typeof createOrderLoaders>;

/**
 * Customer.orders is a paginated child list. Keys with the same page arguments are fetched in one
 * window-function query (the first N+1 orders per customer), their counts in one GROUP BY.
 */
function createCustomerOrdersLoader(db: Db) {
  return new DataLoader<CustomerOrdersKey, ConnectionModel<Order>, string>(
    async (keys) => {
      const groups = new Map<string, CustomerOrdersKey[]>();
      for (const k of keys) {
        const g = JSON.stringify([k.status, k.first, k.after]);
        groups.set(g, [...(groups.get(g) ?? []), k]);
      }
      const results = new Map<string, ConnectionModel<Order>>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          const { status, first, after } = group[0];
          const limit = pageSize(first);
          const cursor = decodeCursor(after, 2);
          const customerIds = group.map((k) => k.customerId);
          const statusSql = status?.length ? Prisma.sql`AND o."status"::text = ANY(${status})` : Prisma.empty;
          const cursorSql = cursor ? Prisma.sql`AND (o."placedAt", o."id") < (${new Date(cursor[0])}::timestamptz, ${cursor[1]})` : Prisma.empty;
          const rows = await db.$queryRaw<(Order & { rn: bigint })[]>`
            SELECT * FROM (
              SELECT o.*, ROW_NUMBER() OVER (PARTITION BY o."customerId" ORDER BY o."placedAt" DESC, o."id" DESC) AS rn
              FROM "orders"."Order" o
              WHERE o."customerId" = ANY(${customerIds}) ${statusSql} ${cursorSql}
            ) ranked WHERE rn <= ${limit + 1} ORDER BY "customerId", rn`;
          let counts: Promise<Map<string, number>> | null = null;
          const countAll = () =>
            (counts ??= db.order
              .groupBy({
                by: ["customerId"],
                where: { customerId: { in: customerIds }, ...(status?.length && { status: { in: status } }) },
                _count: { _all: true },
              })
              .then((r) => new Map(r.map((x) => [x.customerId, x._count._all])))) as Promise<Map<string, number>>;
          for (const key of group) {
            const mine = rows.filter((r) => r.customerId === key.customerId).map(({ rn: _rn, ...order }) => order as Order);
            results.set(
              customerOrdersCacheKey(key),
              buildConnection(mine, { limit, cursor, backward: false }, orderSortKey, async () => (await countAll()).get(key.customerId) ?? 0),
            );
          }
        }),
      );
      return keys.map((k) => results.get(customerOrdersCacheKey(k))!);
    },
    { cacheKeyFn: customerOrdersCacheKey },
  );
}

function customerOrdersCacheKey(k: CustomerOrdersKey): string {
  return JSON.stringify([k.customerId, k.status, k.first, k.after]);
}

// Thin resolvers: arguments in, service or loader call out.
import type { Resolvers } from "./generated/resolvers-types.js";
import { listOrders } from "./service.js";
import { lineAmount, orderTotal } from "./domain.js";
import { pageSize } from "../../platform/graphql/connection.js";
import { updateOrderStatus } from "./commands.js";

export const resolvers: Resolvers = {
  Query: {
    order: (_, { id }, { loaders }) => loaders.orderById.load(id),
    orders: (_, { filter, first, after }, { db }) => listOrders(db, filter, first, after),
  },
  Mutation: {
    updateOrderStatus: (_, args, { db, correlationId }) => updateOrderStatus(db, args, correlationId),
  },
  Order: {
    __resolveReference: (ref, { loaders }) => loaders.orderById.load(ref.id),
    customer: (o) => ({ id: o.customerId }),
    businessUnit: (o) => ({ id: o.businessUnitId }),
    shipTo: (o) => (o.shipToName || o.shipToAddress || o.shipToLocationId ? o : null),
    lines: (o, _, { loaders }) => loaders.linesByOrderId.load(o.id),
    totalAmount: async (o, _, { loaders }) => orderTotal(await loaders.linesByOrderId.load(o.id)).toFixed(2),
    externalRefs: (o, _, { loaders }) => loaders.externalRefsByOrderId.load(o.id),
    statusHistory: (o, _, { loaders }) => loaders.statusHistoryByOrderId.load(o.id),
  },
  ShipTo: {
    name: (o) => o.shipToName,
    address: (o) => o.shipToAddress,
    locationId: (o) => o.shipToLocationId,
  },
  OrderLine: {
    product: (l) => ({ sku: l.sku }),
    extendedAmount: (l) => lineAmount(l).toFixed(2),
    unitPrice: (l) => l.unitPrice.toString(),
    inBaseUnit: (l) => l,
  },
  LineQuantities: {
    unit: (l) => l.baseUnit,
    factor: (l) => l.unitFactor,
    ordered: (l) => l.quantityOrdered * l.unitFactor,
    allocated: (l) => l.quantityAllocated * l.unitFactor,
    shipped: (l) => l.quantityShipped * l.unitFactor,
    invoiced: (l) => l.quantityInvoiced * l.unitFactor,
  },
  OrderStatusChange: {
    from: (c) => c.fromStatus,
    to: (c) => c.toStatus,
    at: (c) => c.changedAt,
  },
  Customer: {
    __resolveReference: (ref) => ({ id: ref.id }),
    orders: (c, { status, first, after }, { loaders }) =>
      loaders.ordersByCustomer.load({ customerId: c.id, status: status ?? null, first: pageSize(first), after: after ?? null }),
  },
  Product: {
    __resolveReference: (ref) => ({ sku: ref.sku }),
    openDemand: (p, _, { loaders }) => loaders.openDemandBySku.load(p.sku),
  },
};

// Thin resolvers: arguments in, service or loader call out.
import { orderTraceSteps } from "./trace.js";
import { rowScope, visibleRow } from "../../platform/auth/identity.js";
import { assertMayActFor, emptyConnection } from "./row-access.js";
import type { Resolvers } from "./generated/resolvers-types.js";
import { listOrders } from "./service.js";
import { lineAmount, orderTotal } from "./domain.js";
import { keyList, pageSize } from "../../platform/graphql/connection.js";
import { releaseOrder } from "./fulfillment.js";
import { authorizeReturn, receiveReturn } from "./returns.js";
import { cancelOrder, releaseOrderHold, updateCustomerOrderSettings, updateOrderStatus, upsertPrices } from "./commands.js";
import { placeOrder } from "./capture.js";
import { placeOrderCommand } from "./place-order-input.js";
import { Prisma } from "../../platform/db/generated/client.js";
import { kpiWindow } from "../../platform/kpi/window.js";
import { fillRate, fulfillmentConfirmationTime, orderProcessingLatency, perfectOrderRate } from "./kpis.js";

const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : null);

export const resolvers: Resolvers = {
  Trace: {
    __resolveReference: (ref) => ({ correlationId: ref.correlationId }),
    orderSteps: (t, _, { db }) => orderTraceSteps(db, t.correlationId),
  },
  Query: {
    order: async (_, { id }, { loaders, identity }) => visibleRow(identity, await loaders.orderById.load(id)),
    ordersById: async (_, { ids }, { loaders, identity }) =>
      (await Promise.all(keyList("ids", ids).map((id) => loaders.orderById.load(id)))).map((o) => visibleRow(identity, o)),
    orders: (_, { filter, ...page }, { db, identity }) => listOrders(db, filter, page, identity),
    // A return is visible with its order: a customer's token sees the returns of its own orders.
    returnAuthorization: async (_, { id }, { db, loaders, identity }) => {
      const ra = await db.returnAuthorization.findUnique({ where: { id } });
      return ra && visibleRow(identity, await loaders.orderById.load(ra.orderId)) ? ra : null;
    },
    returnAuthorizationsById: async (_, { ids }, { db, loaders, identity }) => {
      const list = keyList("ids", ids);
      const rows = await db.returnAuthorization.findMany({ where: { id: { in: [...list] } } });
      const visible = await Promise.all(rows.map(async (r) => (visibleRow(identity, await loaders.orderById.load(r.orderId)) ? r : null)));
      return list.map((id) => visible.find((r) => r?.id === id) ?? null);
    },
  },
  Mutation: {
    placeOrder: (_, { input }, { db, capture, correlationId, identity }) => {
      assertMayActFor(identity, { customerId: input.customerId });
      return placeOrder(db, capture, placeOrderCommand(input), correlationId);
    },
    cancelOrder: async (_, args, { db, correlationId, identity, loaders }) => {
      assertMayActFor(identity, await loaders.orderById.load(args.id));
      return cancelOrder(db, args, correlationId);
    },
    releaseOrderHold: (_, args, { db, capture, correlationId }) => releaseOrderHold(db, capture, args, correlationId),
    authorizeReturn: async (_, { input }, { db, correlationId, identity, loaders }) => {
      assertMayActFor(identity, await loaders.orderById.load(input.orderId));
      return authorizeReturn(db, input, correlationId);
    },
    receiveReturn: (_, { input }, { db, correlationId }) => receiveReturn(db, input, correlationId),
    releaseOrder: (_, { id, reason, source }, { db, correlationId }) => releaseOrder(db, { id, reason, source }, correlationId),
    updateOrderStatus: (_, { id, status, reason, note, source }, { db, correlationId }) =>
      updateOrderStatus(db, { id, status, reason: reason ?? note, source }, correlationId),
    upsertPrices: (_, { prices }, { db }) => upsertPrices(db, prices),
    updateCustomerOrderSettings: (_, { customerId, settings }, { db }) => updateCustomerOrderSettings(db, customerId, settings),
  },
  KpiWindow: {
    __resolveReference: (ref) => kpiWindow(ref),
    ordersReceived: async (w, _, { db }) => (await orderProcessingLatency(db, w)).ordersReceived,
    orderProcessingLatency: (w, _, { db }) => orderProcessingLatency(db, w),
    fulfillmentConfirmationTime: (w, _, { db }) => fulfillmentConfirmationTime(db, w),
    fillRate: (w, _, { db }) => fillRate(db, w),
    perfectOrderRate: (w, _, { db }) => perfectOrderRate(db, w),
  },
  Order: {
    __resolveReference: async (ref, { loaders, identity }) => visibleRow(identity, await loaders.orderById.load(ref.id)),
    customer: (o) => ({ id: o.customerId }),
    businessUnit: (o) => (o.businessUnitId ? { id: o.businessUnitId } : null),
    shipTo: (o) => (o.shipToName || o.shipToAddress || o.shipToLocationId || o.shipToGln ? o : null),
    lines: (o, _, { loaders }) => loaders.linesByOrderId.load(o.id),
    totalAmount: async (o, _, { loaders }) => orderTotal(await loaders.linesByOrderId.load(o.id)).toFixed(2),
    externalRefs: (o, _, { loaders }) => loaders.externalRefsByOrderId.load(o.id),
    statusHistory: (o, _, { loaders }) => loaders.statusHistoryByOrderId.load(o.id),
    documents: (o, _, { loaders }) => loaders.documentsByOrder.load(o),
    charges: (o, _, { loaders }) => loaders.chargesByOrderId.load(o.id),
    capture: (o) => (o.capture as never) ?? null,
    returns: (o, _, { db }) => db.returnAuthorization.findMany({ where: { orderId: o.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
  },
  ReturnAuthorization: {
    // Visible with its order, as returnAuthorization(id) is.
    __resolveReference: async (ref, { db, loaders, identity }) => {
      const ra = await db.returnAuthorization.findUnique({ where: { id: ref.id } });
      return ra && visibleRow(identity, await loaders.orderById.load(ra.orderId)) ? ra : null;
    },
    order: (r, _, { loaders }) => loaders.orderById.load(r.orderId).then((o) => o!),
    location: (r) => ({ id: r.locationId }),
    lines: (r, _, { db }) => db.returnLine.findMany({ where: { returnId: r.id }, orderBy: { lineNumber: "asc" } }),
  },
  OrderCharge: {
    amount: (c) => (c.amount.decimalPlaces() <= 2 ? c.amount.toFixed(2) : c.amount.toString()),
  },
  ShipTo: {
    name: (o) => o.shipToName,
    address: (o) => o.shipToAddress,
    locationId: (o) => o.shipToLocationId,
    gln: (o) => o.shipToGln,
  },
  OrderLine: {
    product: (l) => ({ sku: l.sku }),
    extendedAmount: (l) => lineAmount(l).toFixed(2),
    unitPrice: (l) => l.unitPrice.toString(),
    buyerUnitPrice: (l) => l.buyerUnitPrice?.toString() ?? null,
    requestedDate: (l) => day(l.requestedDate),
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
    note: (c) => c.reason,
  },
  CustomerOrderSettings: {
    priceTolerancePercent: (s) => s.priceTolerancePercent.toString(),
  },
  Customer: {
    __resolveReference: (ref) => ({ id: ref.id }),
    orderSettings: async (c, _, { db }) =>
      (await db.customerOrderSettings.findUnique({ where: { customerId: c.id } })) ?? {
        customerId: c.id,
        buyerPricePolicy: "ACCEPT_WITH_WARNING" as const,
        priceTolerancePercent: new Prisma.Decimal(0),
        shipFromLocationIds: [],
        updatedAt: new Date(0),
      },
    orders: (c, { status, first, after }, { loaders, identity }) =>
      rowScope(identity)?.customerId && rowScope(identity)?.customerId !== c.id
        ? emptyConnection()
        : loaders.ordersByCustomer.load({ customerId: c.id, status: status ?? null, first: pageSize(first), after: after ?? null }),
  },
  Product: {
    __resolveReference: (ref) => ({ sku: ref.sku }),
    openDemand: (p, _, { loaders }) => loaders.openDemandBySku.load(p.sku),
  },
};

// Thin resolvers: arguments in, service or loader call out.
import { shipmentTraceSteps } from "./trace.js";
import type { SubgraphContext } from "./context.js";
import { contributionResolvers } from "../../platform/exceptions/remote.js";
import { shipmentExceptions } from "./exceptions.js";
import { keyList } from "../../platform/graphql/connection.js";
import type { Resolvers } from "./generated/resolvers-types.js";
import { listShipments } from "./service.js";
import { kpiWindow } from "../../platform/kpi/window.js";
import { shipmentKpis } from "./kpis.js";
import { recordShipmentMilestone } from "./commands.js";
import { configureWarehouse } from "./release.js";
import { retryDelivery } from "../../platform/documents/delivery.js";
import { rowScope, type Identity } from "../../platform/auth/identity.js";
import { DomainError, ErrorCode } from "../../platform/errors.js";

function refuseRowScoped(identity: Identity | null | undefined) {
  if (rowScope(identity))
    throw new DomainError(ErrorCode.FORBIDDEN, "a customer's or business unit's token reads shipments through its orders (Order.shipments)");
}

// This domain's part of operations' exception queue (internal fields, platform/exceptions/remote.ts).
const exceptionContribution = contributionResolvers("Shipment", (ctx: SubgraphContext) => shipmentExceptions(ctx));

export const resolvers: Resolvers = {
  Trace: {
    __resolveReference: (ref) => ({ correlationId: ref.correlationId }),
    shipmentSteps: (t, _, { db }) => shipmentTraceSteps(db, t.correlationId),
  },
  KpiWindow: {
    __resolveReference: (ref) => kpiWindow(ref),
    shipmentsShipped: async (w, _, { db }) => (await shipmentKpis(db, w)).shipmentsShipped,
    deliveryTime: async (w, _, { db }) => (await shipmentKpis(db, w)).deliveryTime,
  },
  Query: {
    ...exceptionContribution.Query,
    // Shipments carry no customer of their own: a customer's or unit's token reads them through
    // its orders (Order.shipments), whose visibility the orders subgraph decides.
    shipment: (_, { id }, { loaders, identity }) => (refuseRowScoped(identity), loaders.shipmentById.load(id)),
    shipmentsById: (_, { ids }, { loaders, identity }) => (
      refuseRowScoped(identity),
      Promise.all(keyList("ids", ids).map((id) => loaders.shipmentById.load(id)))
    ),
    shipments: (_, { filter, ...page }, { db, identity }) => (refuseRowScoped(identity), listShipments(db, filter, page)),
    warehouseOrder: (_, { id, number }, { db, loaders }) =>
      id ? loaders.warehouseOrderById.load(id) : number ? db.warehouseOrder.findUnique({ where: { number } }) : null,
    warehouseEndpoints: (_, __, { db }) => db.warehouseEndpoint.findMany({ orderBy: { locationId: "asc" } }),
  },
  Mutation: {
    ...exceptionContribution.Mutation,
    recordShipmentMilestone: (_, { input }, { db, correlationId }) => recordShipmentMilestone(db, input, correlationId),
    configureWarehouse: (_, { input }, { db }) => configureWarehouse(db, input),
    retryDocumentDelivery: (_, { id }, { db }) => retryDelivery(db, id),
  },
  WarehouseEndpoint: {
    location: (e) => ({ id: e.locationId }),
  },
  WarehouseOrder: {
    __resolveReference: (ref, { loaders }) => loaders.warehouseOrderById.load(ref.id),
    order: (w) => ({ id: w.orderId }),
    location: (w) => ({ id: w.locationId }),
    lines: (w, _, { loaders }) => loaders.warehouseOrderLines.load(w.id),
    deliveries: (w, _, { loaders }) => (w.documentId ? loaders.deliveriesByDocumentId.load(w.documentId) : []),
    shipments: (w, _, { loaders }) => loaders.shipmentsByWarehouseOrderId.load(w.id),
  },
  Shipment: {
    __resolveReference: (ref, { loaders }) => loaders.shipmentById.load(ref.id),
    order: (s) => ({ id: s.orderId }),
    shipFrom: (s) => ({ id: s.shipFromLocationId }),
    carrier: (s) => s,
    packages: (s, _, { loaders }) => loaders.packagesByShipmentId.load(s.id),
    lines: (s, _, { loaders }) => loaders.linesByShipmentId.load(s.id),
    milestones: (s, _, { loaders }) => loaders.milestonesByShipmentId.load(s.id),
    externalRefs: (s) => s.externalRefs as { system: string; value: string }[],
    warehouseOrder: (s, _, { loaders }) => (s.warehouseOrderId ? loaders.warehouseOrderById.load(s.warehouseOrderId) : null),
    overShipped: (s) => s.overShipped as { lineNumber: number; sku: string; released: number; shipped: number }[],
  },
  Carrier: {
    scac: (s) => s.carrierScac,
    name: (s) => s.carrierName,
  },
  Package: {
    weightKg: (p) => p.weightKg.toString(),
    lines: (p, _, { loaders }) => loaders.linesByPackageId.load(p.id),
  },
  ShipmentLine: {
    product: (l) => ({ sku: l.sku }),
  },
  Order: {
    __resolveReference: (ref) => ({ id: ref.id }),
    shipments: (o, _, { loaders }) => loaders.shipmentsByOrderId.load(o.id),
    warehouseOrders: (o, _, { loaders }) => loaders.warehouseOrdersByOrderId.load(o.id),
  },
};

// Thin resolvers: arguments in, service or loader call out.
import { inventoryTraceSteps } from "./trace.js";
import { keyList } from "../../platform/graphql/connection.js";
import type { Resolvers } from "./generated/resolvers-types.js";
import { listPositions, listProducts } from "./service.js";
import { available, descendantsOf, positionId } from "./domain.js";
import { reconcile } from "./reconciliation.js";
import { unfreezePosition } from "./unfreeze.js";
import { upsertProducts } from "./products.js";
import { availableToPromise, recordExpectedReceipts } from "./atp.js";
import { Gs1FormatError, normalizeGtin } from "../../platform/mapping/index.js";
import { invalidArgument } from "../../platform/errors.js";
import { kpiWindow } from "../../platform/kpi/window.js";
import { inventoryFreshness } from "./kpis.js";

const day = (d: Date) => d.toISOString().slice(0, 10);

export const resolvers: Resolvers = {
  Trace: {
    __resolveReference: (ref) => ({ correlationId: ref.correlationId }),
    inventorySteps: (t, _, { db }) => inventoryTraceSteps(db, t.correlationId),
  },
  Query: {
    product: (_, { sku }, { loaders }) => loaders.productBySku.load(sku),
    productByGtin: (_, { gtin }, { db }) => {
      try {
        return db.product.findUnique({ where: { gtin: normalizeGtin(gtin).value } });
      } catch (err) {
        if (err instanceof Gs1FormatError) throw invalidArgument("gtin", `must be 8, 12, 13 or 14 digits, got ${JSON.stringify(gtin)}`);
        throw err;
      }
    },
    availableToPromise: (_, args, { db }) => availableToPromise(db, args),
    products: (_, { filter, ...page }, { db }) => listProducts(db, filter, page),
    location: (_, { id }, { loaders }) => loaders.locationById.load(id),
    locations: async (_, { kind, parentId }, { loaders }) =>
      (await loaders.allLocations()).filter((l) => (!kind || l.kind === kind) && (parentId == null || l.parentId === parentId)),
    inventoryPosition: (_, key, { loaders }) => loaders.position.load(key),
    inventoryPositionsByKey: (_, { keys }, { loaders }) => Promise.all(keyList("keys", keys).map((k) => loaders.position.load(k))),
    inventoryPositions: (_, { filter, first, after }, { db, loaders }) => listPositions(db, loaders.allLocations, filter, first, after),
  },
  Mutation: {
    reconcileInventory: (_, { snapshot, apply }, { db, correlationId, options }) => reconcile(db, snapshot, apply ?? false, correlationId, options),
    unfreezeInventoryPosition: (_, { sku, locationId, reason }, { db, correlationId, options }) =>
      unfreezePosition(db, { sku, locationId, reason }, { correlationId, maxClockSkewMs: options.maxClockSkewMs, now: options.now?.() }),
    upsertProducts: (_, { products }, { db, correlationId }) => upsertProducts(db, products, correlationId),
    recordExpectedReceipts: (_, { receipts }, { db }) => recordExpectedReceipts(db, receipts),
  },
  Product: {
    __resolveReference: (ref, { loaders }) => loaders.productBySku.load(ref.sku),
    conversions: (p, _, { loaders }) => loaders.conversionsBySku.load(p.sku),
    externalRefs: (p, _, { loaders }) => loaders.productRefs.load(p.sku),
    positions: async (p, { locationId }, { loaders }) => {
      const positions = await loaders.positionsBySku.load(p.sku);
      if (!locationId) return positions;
      const within = descendantsOf(locationId, await loaders.allLocations());
      return positions.filter((pos) => within.has(pos.locationId));
    },
    availableQuantity: async (p, _, { loaders }) => (await loaders.positionsBySku.load(p.sku)).reduce((sum, pos) => sum + available(pos), 0),
  },
  KpiWindow: {
    __resolveReference: (ref) => kpiWindow(ref),
    inventoryFreshness: (w, { staleAfterSeconds, locationId }, { db }) => inventoryFreshness(db, w, staleAfterSeconds ?? 86_400, locationId ?? null),
  },
  LocationFreshness: {
    location: (f, _, { loaders }) => loaders.locationById.load(f.locationId!) as never,
  },
  Location: {
    __resolveReference: (ref, { loaders }) => loaders.locationById.load(ref.id),
    parent: (l, _, { loaders }) => (l.parentId ? loaders.locationById.load(l.parentId) : null),
    children: async (l, _, { loaders }) => (await loaders.allLocations()).filter((c) => c.parentId === l.id),
    ancestors: async (l, _, { loaders }) => {
      const chain = [];
      for (let id = l.parentId; id;) {
        const parent = await loaders.locationById.load(id);
        if (!parent) break;
        chain.unshift(parent);
        id = parent.parentId;
      }
      return chain;
    },
    externalRefs: (l, _, { loaders }) => loaders.locationRefs.load(l.id),
    positions: (l, _, { loaders }) => loaders.positionsByLocation.load(l.id),
  },
  InventoryPosition: {
    __resolveReference: (ref, { loaders }) => loaders.position.load({ sku: ref.sku, locationId: ref.locationId }),
    id: (p) => positionId(p.sku, p.locationId),
    product: async (p, _, { loaders }) => (await loaders.productBySku.load(p.sku))!,
    location: async (p, _, { loaders }) => (await loaders.locationById.load(p.locationId))!,
    available: (p) => available(p),
  },
  ExpectedReceipt: {
    expectedDate: (r) => day(r.expectedDate),
  },
  ATPPromise: {
    location: async (p, _, { loaders }) => (await loaders.locationById.load(p.locationId))!,
  },
};

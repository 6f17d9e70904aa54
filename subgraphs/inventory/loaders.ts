// Per-request DataLoaders for products, locations and positions.
import DataLoader from "dataloader";
import type { Location } from "../../platform/db/generated/client.js";
import { loaderOfMany, loaderOfOne } from "../../platform/graphql/batch.js";
import type { Db } from "../../platform/db/client.js";
import { referencesTo } from "../../platform/mapping/index.js";

export interface PositionKey {
  sku: string;
  locationId: string;
}

export function createInventoryLoaders(db: Db) {
  // The location tree is small (regions, sites, warehouses, zones): one read serves every
  // hierarchy question in the request.
  let tree: Promise<Location[]> | null = null;
  const allLocations = () => (tree ??= db.location.findMany({ orderBy: { code: "asc" } }));
  return {
    allLocations,
    productBySku: loaderOfOne(
      (skus: string[]) => db.product.findMany({ where: { sku: { in: skus } } }),
      (p) => p.sku,
    ),
    conversionsBySku: loaderOfMany(
      (skus: string[]) => db.unitConversion.findMany({ where: { sku: { in: skus } }, orderBy: [{ sku: "asc" }, { factor: "asc" }] }),
      (c) => c.sku,
    ),
    positionsBySku: loaderOfMany(
      (skus: string[]) => db.inventoryPosition.findMany({ where: { sku: { in: skus } }, orderBy: [{ sku: "asc" }, { locationId: "asc" }] }),
      (p) => p.sku,
    ),
    positionsByLocation: loaderOfMany(
      (ids: string[]) => db.inventoryPosition.findMany({ where: { locationId: { in: ids } }, orderBy: [{ locationId: "asc" }, { sku: "asc" }] }),
      (p) => p.locationId,
    ),
    position: loaderOfOne(
      (keys: PositionKey[]) => db.inventoryPosition.findMany({ where: { OR: keys.map((k) => ({ sku: k.sku, locationId: k.locationId })) } }),
      (p) => `${p.sku}\u0000${p.locationId}`,
      (k: PositionKey) => `${k.sku}\u0000${k.locationId}`,
    ),
    /** Identifiers in source systems: the cross-references that point at the product or location. */
    productRefs: loaderOfMany(
      (skus: string[]) => referencesTo(db, "PRODUCT", skus).then((rows) => rows.map((r) => ({ key: r.canonicalId, system: r.system, value: r.externalValue }))),
      (r) => r.key,
    ),
    locationRefs: loaderOfMany(
      (ids: string[]) => referencesTo(db, "LOCATION", ids).then((rows) => rows.map((r) => ({ key: r.canonicalId, system: r.system, value: r.externalValue }))),
      (r) => r.key,
    ),
    locationById: new DataLoader<string, Location | null>(async (ids) => {
      const all = await allLocations();
      const byId = new Map(all.map((l) => [l.id, l]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}

export type InventoryLoaders = ReturnType<typeof createInventoryLoaders>;

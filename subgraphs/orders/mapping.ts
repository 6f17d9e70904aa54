// Orders' side of mapping: the product port over its own catalog read model (orders.CatalogItem,
// kept from inventory's ProductChanged events). Locations are known to orders only through
// cross-references; inventory checks the ids it is given.
import type { Db } from "../../platform/db/client.js";
import { MappingCache, MappingSession, type MappingPorts, type ProductFacts } from "../../platform/mapping/index.js";

const facts = (rows: { sku: string; gtin: string | null; baseUnit: string; conversions: unknown }[]): ProductFacts[] =>
  rows.map((r) => ({ sku: r.sku, gtin: r.gtin, baseUnit: r.baseUnit, conversions: r.conversions as ProductFacts["conversions"] }));

export function ordersMappingPorts(db: Db): MappingPorts {
  return {
    products: {
      bySku: async (skus) => facts(await db.catalogItem.findMany({ where: { sku: { in: skus } } })),
      byGtin: async (gtins) => facts(await db.catalogItem.findMany({ where: { gtin: { in: gtins } } })),
    },
  };
}

export const orderMappingSession = (db: Db, system: string, cache?: MappingCache) =>
  new MappingSession(cache ?? new MappingCache(db, ordersMappingPorts(db)), system);

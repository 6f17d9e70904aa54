// erp-finance's side of mapping: the product port over its own read model of the item master
// (finance.CatalogItem, kept from inventory's ProductChanged events by erp-finance.catalog), so
// supplier invoices resolve skus, GTINs and units without reading inventory's tables.
import type { Db } from "../../platform/db/client.js";
import type { MappingPorts, ProductFacts } from "../../platform/mapping/index.js";

const facts = (rows: { sku: string; gtin: string | null; baseUnit: string; conversions: unknown }[]): ProductFacts[] =>
  rows.map((r) => ({ sku: r.sku, gtin: r.gtin, baseUnit: r.baseUnit, conversions: r.conversions as ProductFacts["conversions"] }));

export function financeMappingPorts(db: Db): MappingPorts {
  return {
    products: {
      bySku: async (skus) => facts(await db.financeCatalogItem.findMany({ where: { sku: { in: skus } } })),
      byGtin: async (gtins) => facts(await db.financeCatalogItem.findMany({ where: { gtin: { in: gtins } } })),
    },
  };
}

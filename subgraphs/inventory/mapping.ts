// Inventory's side of mapping: the ports over its own item master and locations, and the mapper
// its source adapters use. The rows (cross-references, unit codes, time zones) and the rules
// live in platform/mapping; nothing here reads another domain's tables.
//
// Lookups never throw on a missing mapping: they record it and return a stand-in, and the
// adapter's map step (wrapped by checkMappings) fails once with every missing value listed.
import { Prisma } from "../../platform/db/generated/client.js";
import type { Db } from "../../platform/db/client.js";
import { mappingSessionFor, type MappingPorts, type MappingSession, type ProductFacts } from "../../platform/mapping/index.js";

export interface ItemRef {
  sku?: string | null;
  gtin?: string | null;
  /** An item id in a source system: { system: "SHOPIFY", value: "808950810" }. */
  external?: { system: string; value: string } | null;
}

export type ResolvedItem = ProductFacts;

export interface LocationRef {
  code?: string | null;
  gln?: string | null;
  external?: { system: string; value: string } | null;
}

/**
 * Products with their unit conversions in one statement (Prisma's findMany with the relation sends
 * two, and costs more CPU to build): the item lookup runs for every ingested message.
 */
function productsWhere(db: Db, where: Prisma.Sql): Promise<ProductFacts[]> {
  return db.$queryRaw<ProductFacts[]>`
    SELECT p."sku", p."gtin", p."baseUnit",
      COALESCE((SELECT json_agg(json_build_object('unit', c."unit", 'factor', c."factor") ORDER BY c."unit")
        FROM "inventory"."UnitConversion" c WHERE c."sku" = p."sku"), '[]'::json) AS "conversions"
    FROM "inventory"."Product" p WHERE ${where}`;
}

export function inventoryMappingPorts(db: Db): MappingPorts {
  return {
    products: {
      bySku: (skus) => productsWhere(db, Prisma.sql`p."sku" = ANY(${skus}::text[])`),
      byGtin: (gtins) => productsWhere(db, Prisma.sql`p."gtin" = ANY(${gtins}::text[])`),
    },
    locations: {
      find: (values) =>
        db.location.findMany({
          where: { OR: [{ id: { in: values } }, { code: { in: values } }, { gln: { in: values } }] },
          select: { id: true, code: true, gln: true },
        }),
    },
  };
}

const unresolved = new WeakSet<object>();

/** The mapper of the message whose map step received `scope`; `system` is the source (WMS, SHOPIFY, X12). */
export function mapperFor(db: Db, scope: object, system: string): InventoryMapper {
  return new InventoryMapper(mappingSessionFor(db, scope, system, "inventory", () => inventoryMappingPorts(db)));
}

export class InventoryMapper {
  constructor(readonly session: MappingSession) {}

  async item(ref: ItemRef, where: string): Promise<ResolvedItem> {
    const found = await this.session.product({ sku: ref.sku, gtin: ref.gtin, references: ref.external ? [ref.external] : [] }, where);
    if (found) return found;
    const standIn = { sku: `(unmapped ${where})`, gtin: null, baseUnit: "", conversions: [] };
    unresolved.add(standIn);
    return standIn;
  }

  /**
   * Location id from its code, GLN, id, or a source system's location id (a LOCATION
   * cross-reference). Given both an external id and a code, the cross-reference wins: a partner's
   * code that happens to equal one of ours must not be taken for ours when the partner's code is mapped.
   */
  async location(ref: LocationRef, where: string): Promise<string> {
    if (ref.external) {
      const mapped = await this.session.reference("LOCATION", ref.external.system, ref.external.value);
      if (mapped) return mapped;
    }
    const found = await this.session.location({ code: ref.code, gln: ref.gln, references: ref.external ? [ref.external] : [] }, where);
    return found ?? `(unmapped ${where})`;
  }

  /** The quantity in base units; the unit code is mapped under the source's system first. */
  async toBase(item: ResolvedItem, quantity: number, unit: string | null | undefined, where: string): Promise<number> {
    if (unresolved.has(item)) return quantity;
    return (await this.session.quantity(item, quantity, unit, where))?.base ?? quantity;
  }

  /** A date-time in the source's notation (CCYYMMDD, HHMM[SS], time-zone code) as an instant. */
  async instant(date: string, time: string | null | undefined, zone: string | null | undefined, where: string): Promise<Date> {
    return (await this.session.instant(this.session.system, date, time, zone, where)) ?? new Date(0);
  }

  /** What a date qualifier means for this source (X12 405 -> AS_OF), or null when the list does not have it. */
  dateRole(qualifier: string): Promise<string | null> {
    return this.session.optionalCode("DATE_QUALIFIER", this.session.system, qualifier);
  }
}

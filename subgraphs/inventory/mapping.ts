// Cross-references from source identifiers to canonical ones: items by sku, GTIN or a source
// system's item id; locations by code, GLN or a source system's location id; units to base units.
// Mapping is data (Product.externalRefs, Location.externalRefs, UnitConversion), not code.
import type { Db } from "../../platform/db/client.js";
import { mappingError } from "../../platform/ingest/errors.js";
import { toBaseQuantity } from "./domain.js";

export interface ItemRef {
  sku?: string | null;
  gtin?: string | null;
  /** An item id in a source system: { system: "SHOPIFY_ITEM", value: "808950810" }. */
  external?: { system: string; value: string } | null;
}

export interface ResolvedItem {
  sku: string;
  baseUnit: string;
  conversions: { unit: string; factor: number }[];
}

const mappers = new WeakMap<object, InventoryMapper>();

/** The mapper for one batch: lookups are cached for the batch's lifetime only. */
export function mapperFor(db: Db, scope: object): InventoryMapper {
  let mapper = mappers.get(scope);
  if (!mapper) mappers.set(scope, (mapper = new InventoryMapper(db)));
  return mapper;
}

export class InventoryMapper {
  private items = new Map<string, Promise<ResolvedItem | null>>();
  private locations = new Map<string, Promise<string | null>>();

  constructor(private readonly db: Db) {}

  async item(ref: ItemRef, where: string): Promise<ResolvedItem> {
    const key = JSON.stringify(ref);
    if (!this.items.has(key)) this.items.set(key, this.lookupItem(ref));
    const found = await this.items.get(key)!;
    if (!found) throw mappingError(`unknown item ${describeItem(ref)}: add the product or its cross-reference`, where);
    return found;
  }

  private async lookupItem(ref: ItemRef): Promise<ResolvedItem | null> {
    const select = { sku: true, baseUnit: true, conversions: { select: { unit: true, factor: true } } } as const;
    if (ref.sku) return this.db.product.findUnique({ where: { sku: ref.sku }, select });
    if (ref.gtin) return this.db.product.findFirst({ where: { gtin: normalizeGtin(ref.gtin) }, select });
    if (ref.external) {
      return this.db.product.findFirst({ where: { externalRefs: { array_contains: [{ system: ref.external.system, value: ref.external.value }] } }, select });
    }
    return null;
  }

  /**
   * Location id from its code, GLN, id, or a source system's location id (a LOCATION
   * cross-reference in Location.externalRefs). Given both an external id and a code, the
   * cross-reference wins: a partner's code that happens to equal one of ours must not be taken
   * for ours when the partner's code is mapped.
   */
  async location(ref: LocationRef, where: string): Promise<string> {
    const key = JSON.stringify(ref);
    if (!this.locations.has(key)) this.locations.set(key, this.lookupLocation(ref));
    const found = await this.locations.get(key)!;
    if (!found) throw mappingError(`unknown location ${describeLocation(ref)}: add the location or its cross-reference`, where);
    return found;
  }

  private async lookupLocation(ref: LocationRef): Promise<string | null> {
    const select = { id: true } as const;
    let row: { id: string } | null = null;
    if (ref.external) row = await this.db.location.findFirst({ where: { externalRefs: { array_contains: [{ system: ref.external.system, value: ref.external.value }] } }, select });
    if (!row && ref.code) row = await this.db.location.findFirst({ where: { OR: [{ code: ref.code }, { id: ref.code }] }, select });
    else if (!row && ref.gln) row = await this.db.location.findFirst({ where: { gln: ref.gln }, select });
    return row?.id ?? null;
  }

  toBase(item: ResolvedItem, quantity: number, unit: string | null | undefined, where: string): number {
    try {
      return toBaseQuantity(quantity, unit ?? item.baseUnit, item.baseUnit, item.conversions);
    } catch (err) {
      throw mappingError(`${(err as Error).message} for ${item.sku}`, where);
    }
  }
}

/** GTIN-8/12/13 are stored as GTIN-14 (left-padded with zeros). */
export const normalizeGtin = (gtin: string) => gtin.padStart(14, "0");

const describeItem = (ref: ItemRef) =>
  ref.sku ? `sku "${ref.sku}"` : ref.gtin ? `GTIN "${ref.gtin}"` : ref.external ? `${ref.external.system} item "${ref.external.value}"` : "(no identifier)";

export interface LocationRef {
  code?: string | null;
  gln?: string | null;
  external?: { system: string; value: string } | null;
}

const describeLocation = (ref: LocationRef) =>
  ref.code ? `code "${ref.code}"` : ref.gln ? `GLN "${ref.gln}"` : ref.external ? `${ref.external.system} location "${ref.external.value}"` : "(no identifier)";

// Resolves a document's external identifiers, units and codes to canonical ones. Lookups are
// batched (DataLoader) and cached for the session; a lookup that finds nothing does not throw:
// it is recorded, so one pass over a document names every missing mapping at once
// ("no mapping for PRODUCT 00012345678905 from GS1"), and the caller decides what that means
// (a dead letter for a channel document, a REJECTED answer for placeOrder).
import DataLoader from "dataloader";
import type { CrossReferenceKind } from "../db/generated/client.js";
import type { Db } from "../db/client.js";
import { mappingError } from "../ingest/errors.js";
import { findCrossReferences, GS1, keyOf, normalizeExternalValue, type CrossReferenceKey } from "./cross-references.js";
import { Gs1FormatError, normalizeGln, normalizeGtin } from "./gs1.js";
import type { LocationFacts, MappingPorts, ProductFacts } from "./ports.js";
import { instantInZone } from "./time.js";

export interface Miss {
  kind: CrossReferenceKind;
  system: string;
  value: string;
  /** Where in the document (JSON path, segment, line). */
  where?: string;
  /** The sentence to show: "no mapping for <kind> <value> from <system>" unless stated otherwise. */
  text: string;
}

export interface ExternalId {
  system: string;
  value: string;
}

export interface ProductRef {
  sku?: string | null;
  gtin?: string | null;
  /** Source item ids ({ system: "SHOPIFY", value }) and buyer part numbers ({ system: <customer id>, value }). */
  references?: ExternalId[] | null;
}

export interface LocationRef {
  /** Location id or code as the source knows it (mapped under the session's system first). */
  code?: string | null;
  gln?: string | null;
  references?: ExternalId[] | null;
}

export interface CustomerRef {
  id?: string | null;
  gln?: string | null;
  references?: ExternalId[] | null;
}

export interface Quantity {
  unit: string;
  /** Base units per `unit`. */
  factor: number;
  /** The quantity in base units. */
  base: number;
}

/** Lookups shared by the sessions of one batch of messages (a mapping fix is seen by the next batch). */
export class MappingCache {
  readonly references: DataLoader<CrossReferenceKey, string | null, string>;
  readonly productsBySku: DataLoader<string, ProductFacts | null>;
  readonly productsByGtin: DataLoader<string, ProductFacts | null>;
  readonly locations: DataLoader<string, LocationFacts | null>;

  constructor(db: Db, ports: MappingPorts) {
    this.references = new DataLoader(
      async (keys) => {
        const found = await findCrossReferences(db, [...keys]);
        return keys.map((k) => found.get(keyOf(k)) ?? null);
      },
      { cacheKeyFn: keyOf },
    );
    const products = ports.products;
    // Rows indexed before matching: a snapshot of 50,000 lines is one batch, and matching each key
    // by a scan of the rows was quadratic (8 s of a 50,000-line 846's mapping).
    this.productsBySku = new DataLoader(async (skus) => {
      const rows = indexBy(products ? await products.bySku([...skus]) : [], (r) => r.sku);
      return skus.map((s) => rows.get(s) ?? null);
    });
    this.productsByGtin = new DataLoader(async (gtins) => {
      const rows = indexBy(products ? await products.byGtin([...gtins]) : [], (r) => r.gtin);
      return gtins.map((g) => rows.get(g) ?? null);
    });
    const locations = ports.locations;
    this.locations = new DataLoader(async (values) => {
      const rows = locations ? await locations.find([...values]) : [];
      // An id wins over a code, a code over a GLN, as the lookup's order of preference.
      const [byId, byCode, byGln] = [indexBy(rows, (r) => r.id), indexBy(rows, (r) => r.code), indexBy(rows, (r) => r.gln)];
      return values.map((v) => byId.get(v) ?? byCode.get(v) ?? byGln.get(v) ?? null);
    });
  }
}

/** The first row per key (as Array.find would pick it). */
function indexBy<T>(rows: T[], key: (row: T) => string | null | undefined): Map<string, T> {
  const index = new Map<string, T>();
  for (const row of rows) {
    const k = key(row);
    if (k != null && !index.has(k)) index.set(k, row);
  }
  return index;
}

const missText = (kind: string, value: string, system: string) => `no mapping for ${kind} ${value} from ${system}`;

/** A doubtful value that still mapped, with where it was in the document. */
export interface MappingWarning {
  /** GS1_CHECK_DIGIT (a GTIN, GLN or SSCC whose check digit is wrong), or MAPPING (anything else, e.g. a pack size that disagrees). */
  code: "GS1_CHECK_DIGIT" | "MAPPING";
  message: string;
  where?: string;
}

export class MappingSession {
  readonly misses: Miss[] = [];
  private readonly missKeys = new Set<string>();
  /** The warnings as text ("<message> (at <where>)"). */
  readonly warnings: string[] = [];
  /** The same warnings, with their code and where apart, for callers that record them separately. */
  readonly warningDetails: MappingWarning[] = [];

  constructor(
    readonly cache: MappingCache,
    /** The source system this document comes from: the namespace of its own codes (X12, WMS, SHOPIFY...). */
    readonly system: string,
  ) {}

  private miss(kind: CrossReferenceKind, system: string, value: string, where?: string, text = missText(kind, value, system)) {
    // A set, not a scan of the misses: a document of 50,000 unknown items must not take quadratic time.
    const key = `${text}\u0000${where ?? ""}`;
    if (this.missKeys.has(key)) return;
    this.missKeys.add(key);
    this.misses.push({ kind, system, value, where, text });
  }

  /**
   * Puts the misses in document order (by `position` of where each was needed; stable, so misses
   * at one place keep theirs), however an adapter batched its lookups: the same document always
   * reads the same error.
   */
  sortMisses(position: (where: string | undefined) => number): void {
    this.misses.sort((a, b) => position(a.where) - position(b.where));
  }

  private warn(message: string, where?: string, code: MappingWarning["code"] = "MAPPING") {
    this.warnings.push(where ? `${message} (at ${where})` : message);
    this.warningDetails.push({ code, message, ...(where && { where }) });
  }

  /**
   * A GLN a document names outside a lookup (a ship-to, a buyer whose partner id already mapped):
   * the normalised value, with a GS1_CHECK_DIGIT warning when its check digit is wrong. A value
   * that is not a GLN at all is returned as given, trimmed, with a MAPPING warning.
   */
  gln(value: string, where?: string): string {
    try {
      const n = normalizeGln(value);
      for (const w of n.warnings) this.warn(w, where, "GS1_CHECK_DIGIT");
      return n.value;
    } catch (err) {
      if (!(err instanceof Gs1FormatError)) throw err;
      this.warn(err.message, where);
      return value.trim();
    }
  }

  /** canonicalId of an external value, or null (not recorded as a miss: the caller may try another way). */
  async reference(kind: CrossReferenceKind, system: string, value: string): Promise<string | null> {
    let externalValue: string;
    try {
      externalValue = normalizeExternalValue(kind, system, value).value;
    } catch {
      return null;
    }
    return this.cache.references.load({ kind, system, externalValue });
  }

  /** A code from a code list (UNIT, STATUS, TIME_ZONE, DATE_QUALIFIER); a miss when absent. */
  async code(kind: "UNIT" | "STATUS" | "TIME_ZONE" | "DATE_QUALIFIER", system: string, value: string, where?: string): Promise<string | null> {
    const found = await this.reference(kind, system, value);
    if (found === null) this.miss(kind, system, value.trim(), where);
    return found;
  }

  /** The code's canonical value when the list has it, else null, without recording a miss. */
  async optionalCode(kind: "UNIT" | "STATUS" | "TIME_ZONE" | "DATE_QUALIFIER", system: string, value: string): Promise<string | null> {
    return this.reference(kind, system, value);
  }

  /**
   * The product a line names. Tried in order, first hit wins: the sku (ours, or the source's own
   * code mapped under the session's system), the GTIN (the item master's, else a GS1
   * cross-reference), then each reference. Nothing found: one miss per identifier tried.
   */
  async product(ref: ProductRef, where?: string): Promise<ProductFacts | null> {
    const tried: [string, string][] = [];
    const bySku = async (sku: string, via?: string): Promise<ProductFacts | null> => {
      const facts = await this.cache.productsBySku.load(sku);
      if (!facts && via) this.miss("PRODUCT", via, sku, where, `cross-reference ${via} points at product ${sku}, which is not in the item master`);
      return facts;
    };
    if (ref.sku?.trim()) {
      const sku = ref.sku.trim();
      const mapped = await this.reference("PRODUCT", this.system, sku);
      if (mapped) return bySku(mapped, `PRODUCT ${sku} from ${this.system}`);
      const own = await bySku(sku);
      if (own) return own;
      tried.push([sku, this.system]);
    }
    if (ref.gtin?.trim()) {
      let gtin: string | null = null;
      try {
        const n = normalizeGtin(ref.gtin);
        gtin = n.value;
        for (const w of n.warnings) this.warn(w, where, "GS1_CHECK_DIGIT");
      } catch (err) {
        if (!(err instanceof Gs1FormatError)) throw err;
        this.miss("PRODUCT", GS1, ref.gtin.trim(), where, `${err.message}`);
      }
      if (gtin) {
        const own = await this.cache.productsByGtin.load(gtin);
        if (own) return own;
        const mapped = await this.reference("PRODUCT", GS1, gtin);
        if (mapped) return bySku(mapped, `PRODUCT ${gtin} from ${GS1}`);
        tried.push([gtin, GS1]);
      }
    }
    for (const r of ref.references ?? []) {
      if (!r.value?.trim()) continue;
      const mapped = await this.reference("PRODUCT", r.system, r.value);
      if (mapped) return bySku(mapped, `PRODUCT ${r.value.trim()} from ${r.system}`);
      tried.push([r.value.trim(), r.system]);
    }
    const badGtin = !!ref.gtin?.trim() && !tried.some(([, system]) => system === GS1);
    if (!tried.length && !badGtin) this.miss("PRODUCT", this.system, "(none)", where, "names no product (no sku, GTIN or part number)");
    for (const [value, system] of tried) this.miss("PRODUCT", system, value, where);
    return null;
  }

  /** A location id: by a cross-reference under the session's system, by our own id/code, by GLN, by references. */
  async location(ref: LocationRef, where?: string): Promise<string | null> {
    const tried: [string, string][] = [];
    if (ref.code?.trim()) {
      const code = ref.code.trim();
      const mapped = await this.reference("LOCATION", this.system, code);
      if (mapped) return mapped;
      const own = await this.cache.locations.load(code);
      if (own) return own.id;
      tried.push([code, this.system]);
    }
    if (ref.gln?.trim()) {
      let gln: string | null = null;
      try {
        const n = normalizeGln(ref.gln);
        gln = n.value;
        for (const w of n.warnings) this.warn(w, where, "GS1_CHECK_DIGIT");
      } catch (err) {
        if (!(err instanceof Gs1FormatError)) throw err;
        this.miss("LOCATION", GS1, ref.gln.trim(), where, err.message);
      }
      if (gln) {
        const mapped = await this.reference("LOCATION", GS1, gln);
        if (mapped) return mapped;
        const own = await this.cache.locations.load(gln);
        if (own) return own.id;
        tried.push([gln, GS1]);
      }
    }
    for (const r of ref.references ?? []) {
      const mapped = await this.reference("LOCATION", r.system, r.value);
      if (mapped) return mapped;
      tried.push([r.value.trim(), r.system]);
    }
    for (const [value, system] of tried) this.miss("LOCATION", system, value, where);
    return null;
  }

  /** A customer id: given as ours, or by a partner id / GLN cross-reference. Existence is erp-finance's to judge. */
  async customer(ref: CustomerRef, where?: string): Promise<string | null> {
    return this.party("CUSTOMER", ref, where);
  }

  /** A supplier id: given as ours, or by a partner id (X12 "<ISA05>:<ISA06>") / GLN SUPPLIER cross-reference. */
  async supplier(ref: CustomerRef, where?: string): Promise<string | null> {
    return this.party("SUPPLIER", ref, where);
  }

  private async party(kind: "CUSTOMER" | "SUPPLIER", ref: CustomerRef, where?: string): Promise<string | null> {
    if (ref.id?.trim()) return ref.id.trim();
    const tried: [string, string][] = [];
    for (const r of ref.references ?? []) {
      const mapped = await this.reference(kind, r.system, r.value);
      if (mapped) return mapped;
      tried.push([normalizeOrTrim(kind, r.system, r.value), r.system]);
    }
    if (ref.gln?.trim()) {
      const mapped = await this.reference(kind, GS1, ref.gln);
      if (mapped) return mapped;
      tried.push([ref.gln.trim(), GS1]);
    }
    if (!tried.length) this.miss(kind, this.system, "(none)", where, `no ${kind.toLowerCase()} named (no id, partner id or GLN)`);
    for (const [value, system] of tried) this.miss(kind, system, value, where);
    return null;
  }

  /**
   * A quantity in base units. The unit code is mapped under `system` (UNIT cross-references);
   * without a row, a code the product already knows (its base unit or a conversion) is taken as
   * it is. The factor is the product's conversion, else the pack size the document states (X12
   * PO4, a CTP quantity); a pack size that disagrees with the product's conversion is a warning
   * and the product's conversion is used.
   */
  async quantity(
    product: ProductFacts,
    quantity: number,
    unitCode: string | null | undefined,
    where?: string,
    options: { system?: string; packSize?: number | null } = {},
  ): Promise<Quantity | null> {
    const system = options.system ?? this.system;
    const code = unitCode?.trim() || product.baseUnit;
    const known = (u: string) => u === product.baseUnit || product.conversions.some((c) => c.unit === u);
    const mapped = await this.reference("UNIT", system, code);
    const unit = mapped ?? (known(code.toUpperCase()) ? code.toUpperCase() : null);
    if (!unit) {
      if (options.packSize && options.packSize > 0) return { unit: code.toUpperCase(), factor: options.packSize, base: quantity * options.packSize };
      this.miss("UNIT", system, code, where);
      return null;
    }
    const conversion = unit === product.baseUnit ? 1 : product.conversions.find((c) => c.unit === unit)?.factor;
    if (conversion !== undefined) {
      if (options.packSize && options.packSize !== conversion)
        this.warn(`pack size ${options.packSize} given for ${unit} of ${product.sku}, but the item master says ${conversion}: ${conversion} used`, where);
      return { unit, factor: conversion, base: quantity * conversion };
    }
    if (options.packSize && options.packSize > 0) return { unit, factor: options.packSize, base: quantity * options.packSize };
    const units = [product.baseUnit, ...product.conversions.map((c) => c.unit)].join(", ");
    this.miss("UNIT", product.sku, unit, where, `no conversion from ${unit} to ${product.baseUnit} for product ${product.sku} (known: ${units})`);
    return null;
  }

  /**
   * An instant from a source's date (CCYYMMDD) and time (HHMM[SS]) and its time-zone code, mapped
   * through TIME_ZONE cross-references under `system`; no code: UTC.
   */
  async instant(system: string, date: string, time: string | null | undefined, zoneCode: string | null | undefined, where?: string): Promise<Date | null> {
    const t = (time || "0000").padEnd(6, "0");
    const wall = new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}Z`);
    if (!zoneCode?.trim()) return wall;
    const zone = await this.code("TIME_ZONE", system, zoneCode, where);
    return zone ? instantInZone(wall, zone) : null;
  }

  /** The misses as one sentence, each once, with where it was needed. */
  missingText(): string {
    const byText = new Map<string, string[]>();
    for (const m of this.misses) byText.set(m.text, [...(byText.get(m.text) ?? []), ...(m.where ? [m.where] : [])]);
    return [...byText].map(([text, wheres]) => (wheres.length ? `${text} (at ${wheres.join(", ")})` : text)).join("; ");
  }

  /** Throws a MAP ingest error listing every miss, when there is any. */
  assertComplete(): void {
    if (this.misses.length) throw mappingError(this.missingText());
  }
}

function normalizeOrTrim(kind: CrossReferenceKind, system: string, value: string): string {
  try {
    return normalizeExternalValue(kind, system, value).value;
  } catch {
    return value.trim();
  }
}

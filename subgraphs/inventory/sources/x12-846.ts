// X12 846 Inventory Inquiry/Advice: a stock snapshot. Each LIN names an item (by GTIN/UPC/EAN or
// SKU), each QTY a level: 17 on hand, 33 available. Where: the N1 location (N1*WH, ST, SF or RL
// with N103 9 = GLN or 92 = location code), or, per location, SDQ segments (SDQ01 unit, SDQ02
// qualifier, then location/quantity pairs) that break the preceding QTY down by location (with
// no QTY before them in the LIN loop, they are on hand). An SDQ location is a GLN with qualifier
// UL, otherwise a location code, looked up first in the LOCATION cross-references under system
// X12 (platform/mapping cross-references) and then among our own codes. QTY totals that disagree with their
// SDQ breakdown are warnings. The snapshot time comes from the DTM whose qualifier is AS_OF in the
// DATE_QUALIFIER rows (X12 405 as seeded), else BIA04/BIA05; UTC unless DTM04 names a zone, mapped
// by TIME_ZONE rows. Unit codes are mapped by UNIT rows (then the product's own units). So codes
// are data: an unknown one is a MAP dead letter fixed by adding a row, then a replay. Every named
// position is set to the level if the snapshot is newer than what the position reflects; the
// differences are drift.
import { mappingError, validationError } from "../../../platform/ingest/errors.js";
import { isRealCalendarDate } from "../../../platform/graphql/scalars.js";
import type { IngestHandler, StepContext } from "../../../platform/ingest/handlers.js";
import { parseTransactionSet } from "../../../platform/ingest/x12-envelope.js";
import { STOCK_LIMIT } from "../domain.js";
import { mapperFor, type InventoryMapper, type ItemRef, type LocationRef } from "../mapping.js";
import { applyStockChangeBatches, applyStockChanges, stateOf, type ChangeOutcome, type StockChange } from "../stock-sync.js";

interface Segment {
  tag: string;
  values: string[];
  /** 1-based position in the transaction set, for messages. */
  n: number;
}

/** Cross-reference system under which partners' X12 location codes are kept on Location.externalRefs. */
export const X12_LOCATION_SYSTEM = "X12";

type Qualifier = "17" | "33";

interface Quantity {
  qualifier: Qualifier;
  quantity: number;
  unit: string;
  where: string;
  /** null: the document's N1 location. */
  location: (LocationRef & { where: string }) | null;
}

/** A date-time as the document writes it; resolved to an instant in map (TIME_ZONE rows). */
export interface X12DateTime {
  date: string;
  time: string | null;
  zone: string | null;
  where: string;
}

export interface Parsed846 {
  controlNumber: string;
  reference: string;
  /** Every header DTM with its qualifier (the AS_OF one is chosen in map), and BIA04/05 as the fallback. */
  dates: (X12DateTime & { qualifier: string })[];
  biaTime: X12DateTime;
  lines: { item: ItemRef; quantities: Quantity[]; where: string }[];
}

/** A date and time in X12 notation, checked for form and existence; its zone code is resolved in map. */
function x12Time(date: string | undefined, time: string | undefined, zone: string | undefined, where: string): X12DateTime {
  if (!/^\d{8}$/.test(date ?? "")) throw validationError(`date "${date ?? ""}" is not CCYYMMDD`, where);
  const t = (time || "0000").padEnd(6, "0");
  if (!/^\d{6}$/.test(t)) throw validationError(`time "${time}" is not HHMM[SS]`, where);
  const day = `${date!.slice(0, 4)}-${date!.slice(4, 6)}-${date!.slice(6, 8)}`;
  const d = new Date(`${day}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}Z`);
  if (Number.isNaN(d.getTime()) || !isRealCalendarDate(day) || d.toISOString().slice(11, 19) !== `${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}`) {
    throw validationError(`date-time ${date} ${time ?? ""} does not exist`, where);
  }
  return { date: date!, time: time || null, zone: zone?.trim() || null, where };
}

function itemOf(values: string[]): ItemRef {
  // LIN02/03, 04/05…: qualifier and id pairs
  const ids = new Map<string, string>();
  for (let i = 1; i + 1 < values.length; i += 2) if (values[i] && values[i + 1]) ids.set(values[i], values[i + 1]);
  const gtin = ids.get("UK") ?? ids.get("EN") ?? ids.get("UP");
  if (gtin) return { gtin };
  const sku = ids.get("SK") ?? ids.get("VN") ?? ids.get("BP");
  return sku ? { sku } : {};
}

function quantityOf(text: string | undefined, where: string): number {
  // Number("") is 0: an empty quantity must not read as "none in stock".
  const q = /^\d{1,10}$/.test(text ?? "") ? Number(text) : NaN;
  if (!Number.isInteger(q) || q < 0 || q > STOCK_LIMIT)
    throw validationError(`quantity "${text}" must be a whole number from 0 to ${STOCK_LIMIT.toLocaleString("en")}`, where);
  return q;
}

/** The unit code as sent (default EA); mapped in map by UNIT rows. */
function unitOf(code: string | undefined): string {
  return code?.trim() || "EA";
}

/** The document's N1 location, if it names one. */
function n1Location(segments: Segment[]): (LocationRef & { where: string; qualifier: string }) | null {
  const n1 = segments.find((s) => s.tag === "N1" && ["WH", "ST", "SF", "RL"].includes(s.values[0]));
  if (!n1) return null;
  const where = `segment ${n1.n} (N1)`;
  if (n1.values[2] === "9" && n1.values[3]) return { gln: n1.values[3], where, qualifier: "UL" };
  if (n1.values[2] === "92" && n1.values[3]) return { code: n1.values[3], where, qualifier: "92" };
  throw validationError(`N1 location needs N103 9 (GLN) or 92 (code) and N104, got ${n1.values.join("*")}`, where);
}

function sdqLocation(qualifier: string, value: string, where: string): LocationRef & { where: string } {
  return qualifier === "UL" ? { gln: value, where } : { code: value, external: { system: X12_LOCATION_SYSTEM, value }, where };
}

function validate846(segments: Segment[], ctx: StepContext): Parsed846 {
  const bia = segments.find((s) => s.tag === "BIA");
  if (!bia) throw validationError("846 has no BIA segment");
  const firstLin = segments.findIndex((s) => s.tag === "LIN");
  const dates = segments
    .filter((s, i) => s.tag === "DTM" && (firstLin < 0 || i < firstLin))
    .map((s) => ({ qualifier: s.values[0] ?? "", ...x12Time(s.values[1], s.values[2], s.values[3], `segment ${s.n} (DTM)`) }));
  const biaTime = x12Time(bia.values[3], bia.values[4], undefined, `segment ${bia.n} (BIA)`);
  const n1 = n1Location(segments);
  let sdqQualifier = n1?.qualifier ?? "92";

  const lines: Parsed846["lines"] = [];
  /** The last QTY of the current LIN loop, which following SDQ segments break down by location. */
  let lastQty: { qualifier: string; quantity: number; where: string; sdqSum: number; sdqUnit: string | null; hasSdq: boolean } | null = null;
  const closeQty = () => {
    if (lastQty?.hasSdq && lastQty.sdqSum !== lastQty.quantity && (lastQty.qualifier === "17" || lastQty.qualifier === "33")) {
      ctx.warn({
        code: "X12_QUANTITY_MISMATCH",
        message: `QTY*${lastQty.qualifier} says ${lastQty.quantity}, its SDQ quantities sum to ${lastQty.sdqSum}`,
        where: lastQty.where,
      });
    }
  };
  for (const s of segments) {
    const where = `segment ${s.n} (${s.tag})`;
    if (s.tag === "LIN") {
      closeQty();
      lastQty = null;
      const item = itemOf(s.values);
      if (!item.gtin && !item.sku) throw validationError("LIN names no item: expected UK, EN, UP, SK, VN or BP", where);
      lines.push({ item, quantities: [], where });
    } else if (s.tag === "QTY" && lines.length) {
      closeQty();
      lastQty = { qualifier: s.values[0], quantity: 0, where, sdqSum: 0, sdqUnit: null, hasSdq: false };
      if (s.values[0] !== "17" && s.values[0] !== "33") continue;
      lastQty.quantity = quantityOf(s.values[1], where);
      lines.at(-1)!.quantities.push({ qualifier: s.values[0], quantity: lastQty.quantity, unit: unitOf(s.values[2]), where, location: null });
    } else if (s.tag === "SDQ" && lines.length) {
      const qualifier = (lastQty?.qualifier ?? "17") as Qualifier;
      if (qualifier !== "17" && qualifier !== "33") continue; // a breakdown of a quantity we do not read
      const line = lines.at(-1)!;
      // The QTY's own figure is for the N1 location only when no SDQ breaks it down.
      if (lastQty && !lastQty.hasSdq) line.quantities = line.quantities.filter((q) => q.where !== lastQty!.where);
      if (lastQty) lastQty.hasSdq = true;
      const unit = unitOf(s.values[0]);
      if (s.values[1]) sdqQualifier = s.values[1];
      const pairs = s.values.slice(2);
      if (pairs.length < 2) throw validationError("SDQ needs at least one location and quantity (SDQ03, SDQ04)", where);
      for (let i = 0; i + 1 < pairs.length; i += 2) {
        if (!pairs[i] && !pairs[i + 1]) continue;
        if (!pairs[i]) throw validationError(`SDQ${String(i + 3).padStart(2, "0")} (location) is empty`, where);
        const quantity = quantityOf(pairs[i + 1], where);
        if (lastQty) lastQty.sdqSum += quantity;
        line.quantities.push({ qualifier, quantity, unit, where, location: sdqLocation(sdqQualifier, pairs[i], where) });
      }
    }
  }
  closeQty();
  if (!lines.length) throw validationError("846 has no LIN items");
  const empty = lines.find((l) => !l.quantities.length);
  if (empty) throw validationError("item has no QTY*17 (on hand), QTY*33 (available) or SDQ quantities", empty.where);
  const unplaced = lines.flatMap((l) => l.quantities).find((q) => !q.location);
  if (unplaced && !n1)
    throw validationError(
      "846 names no location for this quantity: expected N1*WH (or ST/SF) with N103 9 (GLN) or 92 (location code), or SDQ per-location quantities",
      unplaced.where,
    );
  for (const l of lines) for (const q of l.quantities) q.location ??= n1;
  return { controlNumber: segments[0].values[1], reference: bia.values[2] ?? "", dates, biaTime, lines };
}

export const x12InventoryAdviceHandler: IngestHandler<Segment[], Parsed846, StockChange[]> = {
  source: "x12",
  kind: "846",
  mapsConcurrently: true, // map only looks up (adapters never write)
  parse(raw) {
    const set = parseTransactionSet(raw, "846");
    return [{ tag: "ST", values: set.header, n: 1 }, ...set.segments];
  },
  validate: validate846,
  async map(doc, db, scope, ctx) {
    const mapper = mapperFor(db, scope, "X12");
    try {
      return await changesOf846(doc, mapper, ctx);
    } finally {
      mapper.session.sortMisses(segmentNumber);
    }
  },
  async apply(changes, tx, ctx) {
    return outcomeOf(await applyStockChanges(tx, changes, ctx));
  },
  async applyMany(items, tx) {
    return (
      await applyStockChangeBatches(
        tx,
        items.map((i) => ({ changes: i.command, ctx: i.context })),
      )
    ).map(outcomeOf);
  },
};

/** The 846's levels as stock changes (missing mappings are recorded on the mapper's session). */
async function changesOf846(doc: Parsed846, mapper: InventoryMapper, ctx: StepContext): Promise<StockChange[]> {
  // The snapshot time: the DTM whose qualifier means AS_OF (DATE_QUALIFIER rows), else BIA04/05.
  let asOf: X12DateTime = doc.biaTime;
  for (const d of doc.dates) {
    if ((await mapper.dateRole(d.qualifier)) === "AS_OF") {
      asOf = d;
      break;
    }
  }
  const at = ctx.sourceTime(await mapper.instant(asOf.date, asOf.time, asOf.zone, asOf.where), asOf.where);
  // Every lookup at once: the mapping session batches them (a snapshot of 50,000 lines is a few
  // queries, not 50,000 round trips). A missing mapping is recorded, not thrown (checkMappings);
  // the misses are put back in segment order at the end.
  const locations = await Promise.all(doc.lines.map((line) => Promise.all(line.quantities.map((q) => mapper.location(q.location!, q.location!.where)))));
  const items = await Promise.all(doc.lines.map((line) => mapper.item(line.item, line.where)));
  const resolved = doc.lines.map((_, l) => ({ item: items[l], locations: locations[l] }));
  const changes: StockChange[] = [];
  const seen = new Set<string>();
  for (const [l, line] of doc.lines.entries()) {
    const { item } = resolved[l];
    // Per location: on hand wins when both are given (it is the physical count; available is derived).
    const byLocation = new Map<string, Quantity[]>();
    for (const [k, q] of line.quantities.entries()) {
      const locationId = resolved[l].locations[k];
      byLocation.set(locationId, [...(byLocation.get(locationId) ?? []), q]);
    }
    for (const [locationId, quantities] of byLocation) {
      const key = `${item.sku}@${locationId}`;
      if (seen.has(key)) throw mappingError(`item ${item.sku} appears twice for ${locationId} in one snapshot`, line.where);
      seen.add(key);
      const onHand = quantities.filter((x) => x.qualifier === "17");
      const chosen = onHand.length ? onHand : quantities.filter((x) => x.qualifier === "33");
      if (chosen.length > 1)
        throw mappingError(`item ${item.sku} has ${chosen.length} QTY*${chosen[0].qualifier} quantities for ${locationId}`, chosen[1].where);
      const q = chosen[0];
      changes.push({
        type: "level",
        bucket: q.qualifier === "17" ? "onHand" : "available",
        sku: item.sku,
        locationId,
        quantity: await mapper.toBase(item, q.quantity, q.unit, q.where),
        occurredAt: at,
        sourceEventId: `x12-846:${doc.reference || doc.controlNumber}:${at.toISOString()}`,
      });
    }
  }
  return changes;
}

/** "segment 8 (QTY)" -> 8 (a place without a segment number goes last). */
const segmentNumber = (where: string | undefined) => Number(/^segment (\d+)/.exec(where ?? "")?.[1] ?? Number.MAX_SAFE_INTEGER);

function outcomeOf(outcomes: ChangeOutcome[]) {
  const drift = outcomes.filter((o) => o.outcome === "applied" && o.drift).map((o) => ({ sku: o.sku, locationId: o.locationId, drift: o.drift }));
  return { state: stateOf(outcomes), result: { changes: outcomes, drift } as never };
}

// X12 846 Inventory Inquiry/Advice: a stock snapshot for one location. Each LIN names an item
// (by GTIN/UPC/EAN or SKU), each QTY a level: 17 on hand, 33 available. The snapshot time comes
// from DTM*405 or BIA04/BIA05 (UTC unless DTM04, the time code, names a zone). Every named position is set to
// the level if the snapshot is newer than what the position reflects; the differences are drift.
import { X12Parser } from "node-x12";
import { mappingError, parseError, validationError } from "../../../platform/ingest/errors.js";
import { isRealCalendarDate } from "../../../platform/graphql/scalars.js";
import type { IngestHandler } from "../../../platform/ingest/handlers.js";
import { mapperFor, type ItemRef } from "../mapping.js";
import { applyStockChanges, stateOf, type StockChange } from "../stock-sync.js";

interface Segment {
  tag: string;
  values: string[];
  /** 1-based position in the transaction set, for messages. */
  n: number;
}

export interface Parsed846 {
  controlNumber: string;
  reference: string;
  location: { code?: string; gln?: string; where: string };
  at: Date;
  lines: { item: ItemRef; quantities: { qualifier: "17" | "33"; quantity: number; unit: string; where: string }[]; where: string }[];
}

/** X12 unit of measure codes to ours. */
const UNITS: Record<string, string> = { EA: "EA", UN: "EA", PC: "EA", CA: "CS", CS: "CS", PL: "PL", PF: "PL" };
const ZONES: Record<string, number> = { UT: 0, GM: 0, ET: -5, ED: -4, CT: -6, CD: -5, MT: -7, MD: -6, PT: -8, PD: -7 };

function segmentsOf(raw: Buffer): Segment[] {
  let interchange: any;
  try {
    interchange = new X12Parser(true).parse(raw.toString("utf8"));
  } catch (err) {
    throw parseError(`X12 does not parse: ${(err as Error).message}`);
  }
  const set = interchange.functionalGroups?.[0]?.transactions?.[0];
  if (!set) throw parseError("no transaction set in the interchange");
  const st = set.header.elements.map((e: { value: string }) => e.value);
  if (st[0] !== "846") throw parseError(`expected transaction set 846, got ${st[0]}`, "ST01");
  return [
    { tag: "ST", values: st, n: 1 },
    ...set.segments.map((s: { tag: string; elements: { value: string }[] }, i: number) => ({ tag: s.tag, values: s.elements.map((e) => e.value), n: i + 2 })),
  ];
}

function x12Time(date: string, time: string | undefined, zone: string | undefined, where: string): Date {
  if (!/^\d{8}$/.test(date)) throw validationError(`date "${date}" is not CCYYMMDD`, where);
  const t = (time ?? "0000").padEnd(6, "0");
  if (!/^\d{6}$/.test(t)) throw validationError(`time "${time}" is not HHMM[SS]`, where);
  const offset = zone ? ZONES[zone] : 0;
  if (offset === undefined) throw validationError(`unknown time code "${zone}"`, where);
  const day = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`;
  const d = new Date(`${day}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}Z`);
  if (Number.isNaN(d.getTime()) || !isRealCalendarDate(day)) throw validationError(`date-time ${date} ${time ?? ""} does not exist`, where);
  return new Date(d.getTime() - offset * 3_600_000);
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

export const x12InventoryAdviceHandler: IngestHandler<Segment[], Parsed846, StockChange[]> = {
  source: "x12",
  kind: "846",
  parse: segmentsOf,
  validate(segments) {
    const bia = segments.find((s) => s.tag === "BIA");
    if (!bia) throw validationError("846 has no BIA segment");
    const dtm = segments.find((s) => s.tag === "DTM" && s.values[0] === "405");
    const at = dtm ? x12Time(dtm.values[1], dtm.values[2], dtm.values[3], `segment ${dtm.n} (DTM)`) : x12Time(bia.values[3], bia.values[4], undefined, `segment ${bia.n} (BIA)`);
    const n1 = segments.find((s) => s.tag === "N1" && ["WH", "ST", "SF", "RL"].includes(s.values[0]));
    if (!n1) throw validationError("846 names no location: expected N1*WH (or ST/SF) with N103 9 (GLN) or 92 (location code)");
    const location =
      n1.values[2] === "9" ? { gln: n1.values[3], where: `segment ${n1.n} (N1)` } : n1.values[2] === "92" ? { code: n1.values[3], where: `segment ${n1.n} (N1)` } : null;
    if (!location?.gln && !location?.code) throw validationError(`N1 location needs N103 9 (GLN) or 92 (code) and N104, got ${n1.values.join("*")}`, `segment ${n1.n} (N1)`);
    const lines: Parsed846["lines"] = [];
    for (const s of segments) {
      if (s.tag === "LIN") {
        const item = itemOf(s.values);
        if (!item.gtin && !item.sku) throw validationError("LIN names no item: expected UK, EN, UP, SK, VN or BP", `segment ${s.n} (LIN)`);
        lines.push({ item, quantities: [], where: `segment ${s.n} (LIN)` });
      } else if (s.tag === "QTY" && lines.length && (s.values[0] === "17" || s.values[0] === "33")) {
        // Number("") is 0: an empty quantity must not read as "none in stock".
        const q = /^\d{1,10}$/.test(s.values[1] ?? "") ? Number(s.values[1]) : NaN;
        if (!Number.isInteger(q) || q < 0 || q > 1_000_000_000) throw validationError(`quantity "${s.values[1]}" must be a whole number from 0 to 1,000,000,000`, `segment ${s.n} (QTY)`);
        const unit = UNITS[s.values[2] ?? "EA"];
        if (!unit) throw validationError(`unknown unit of measure "${s.values[2]}"`, `segment ${s.n} (QTY)`);
        lines.at(-1)!.quantities.push({ qualifier: s.values[0], quantity: q, unit, where: `segment ${s.n} (QTY)` });
      }
    }
    if (!lines.length) throw validationError("846 has no LIN items");
    const empty = lines.find((l) => !l.quantities.length);
    if (empty) throw validationError("item has no QTY*17 (on hand) or QTY*33 (available)", empty.where);
    return { controlNumber: segments[0].values[1], reference: bia.values[2] ?? "", location, at, lines };
  },
  async map(doc, db, scope) {
    const mapper = mapperFor(db, scope);
    const locationId = await mapper.location(doc.location, doc.location.where);
    const changes: StockChange[] = [];
    const seen = new Set<string>();
    for (const line of doc.lines) {
      const item = await mapper.item(line.item, line.where);
      if (seen.has(item.sku)) throw mappingError(`item ${item.sku} appears twice in one snapshot`, line.where);
      seen.add(item.sku);
      // On hand wins when both are given: it is the physical count, available is derived.
      const q = line.quantities.find((x) => x.qualifier === "17") ?? line.quantities[0];
      changes.push({
        type: "level",
        bucket: q.qualifier === "17" ? "onHand" : "available",
        sku: item.sku,
        locationId,
        quantity: mapper.toBase(item, q.quantity, q.unit, q.where),
        occurredAt: doc.at,
        sourceEventId: `x12-846:${doc.reference || doc.controlNumber}:${doc.at.toISOString()}`,
      });
    }
    return changes;
  },
  async apply(changes, tx, ctx) {
    const outcomes = await applyStockChanges(tx, changes, ctx);
    const drift = outcomes.filter((o) => o.outcome === "applied" && o.drift).map((o) => ({ sku: o.sku, locationId: o.locationId, drift: o.drift }));
    return { state: stateOf(outcomes), result: { changes: outcomes, drift } as never };
  },
};

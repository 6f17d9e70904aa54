// X12 856 ship notice, any hierarchy (S-O-I, S-O-P-I, S-O-T-P-I, or packs directly under the
// shipment): parsed with node-x12 (parseTransactionSet) into a neutral advance ship notice. Each
// item belongs to its nearest order (O) and pack (P) above it, so one shipment can cover several
// orders and a pack several items. Who sent it decides what it means (app/ingest-handlers.ts):
// from one of our warehouses (a 3PL configured with configureWarehouse) it confirms shipments of
// our orders (toConfirmations, one per HL O); from a supplier it advises an inbound shipment
// (inventory/sources/supplier-asn.ts).
//   BSN    BSN02 shipment id, BSN03/BSN04 date and time
//   TD5    TD503 SCAC (TD502 = 2), TD505 routing       TD1  packaging and weight (kept)
//   REF    BM bill of lading, CN carrier tracking (PRO), at shipment level; at order level our
//          warehouse order number under any qualifier; LT lot at item level
//   DTM    011 shipped, 017 estimated delivery, 067 current schedule delivery
//   N1     ST ship-to (destination), SF/SH ship-from, with N104 ids
//   PRF    PRF01 the purchase order number (order level)
//   MAN    GM: the pack's SSCC-18 (bad check digit = warning); CP and others: kept as marks
//   LIN    item ids in pairs (any qualifier: VN, VP, UP, UK, EN, BP, SK, IN...); LT: a lot
//   SN1    SN102 units shipped, SN103 unit, SN105 quantity ordered
import { parseError, validationError } from "../../../platform/ingest/errors.js";
import type { StepContext } from "../../../platform/ingest/handlers.js";
import { interchangeHeaderOf, parseTransactionSet, type ParsedSet } from "../../../platform/ingest/x12-envelope.js";
import type { ConfirmedItem, ShipmentConfirmation } from "../confirmation.js";
import { instantOf } from "./x12-945.js";

export interface AsnItem extends ConfirmedItem {
  description: string | null;
}

export interface AsnOrder {
  purchaseOrder: string | null;
  refs: [string, string][];
  items: AsnItem[];
  where: string;
}

export interface AdvanceShipNotice {
  /** ISA05:ISA06 of the sender. */
  sender: string;
  shipmentId: string;
  shippedAt: Date;
  estimatedDelivery: string | null;
  scac: string | null;
  routing: string | null;
  billOfLading: string | null;
  tracking: string | null;
  parties: { role: string; name: string | null; idQualifier: string | null; id: string | null; where: string }[];
  packs: { sscc: string; where: string }[];
  orders: AsnOrder[];
  where: string;
}

const t = (v: string | undefined) => (v ?? "").trim();

export function parse856(raw: Buffer): { set: ParsedSet; sender: string } {
  const set = parseTransactionSet(raw, "856");
  try {
    const h = interchangeHeaderOf(raw);
    return { set, sender: `${h.isa[5].trim()}:${h.isa[6].trim()}` };
  } catch (err) {
    throw parseError(`the 856's envelope cannot be read: ${(err as Error).message}`);
  }
}

export function validate856({ set, sender }: { set: ParsedSet; sender: string }, ctx: StepContext): AdvanceShipNotice {
  const segs = set.segments;
  const at = (s: { tag: string; n: number }) => `segment ${s.n} (${s.tag})`;
  const v = (s: { values: string[] }, i: number) => t(s.values[i - 1]);
  const bsn = segs.find((s) => s.tag === "BSN");
  if (!bsn) throw validationError("the 856 has no BSN segment (shipment id, date)");
  const shipmentId = v(bsn, 2);
  if (!shipmentId) throw validationError("BSN02 (shipment identification) is empty", at(bsn));
  if (!/^\d{8}$/.test(v(bsn, 3))) throw validationError(`BSN03 "${v(bsn, 3)}" is not a date CCYYMMDD`, at(bsn));
  let shipped = instantOf(v(bsn, 3), v(bsn, 4));
  const asn: AdvanceShipNotice = {
    sender,
    shipmentId,
    shippedAt: shipped,
    estimatedDelivery: null,
    scac: null,
    routing: null,
    billOfLading: null,
    tracking: null,
    parties: [],
    packs: [],
    orders: [],
    where: at(bsn),
  };

  // HL id -> its level and the order / pack it sits in.
  const levels = new Map<string, { code: string; order: AsnOrder | null; sscc: string | null }>();
  type Level = { code: string; order: AsnOrder | null; sscc: string | null };
  let level = null as Level | null;
  let item: AsnItem | null = null;
  for (const s of segs) {
    const where = at(s);
    switch (s.tag) {
      case "HL": {
        const id = v(s, 1);
        const parent = v(s, 2) ? levels.get(v(s, 2)) : null;
        if (v(s, 2) && !parent) throw validationError(`HL ${id} names parent ${v(s, 2)}, which does not come before it`, where);
        if (levels.has(id)) throw validationError(`HL ${id} appears twice`, where);
        const code = v(s, 3);
        level = { code, order: parent?.order ?? null, sscc: parent?.sscc ?? null };
        if (code === "O") {
          level.order = { purchaseOrder: null, refs: [], items: [], where };
          asn.orders.push(level.order);
        }
        levels.set(id, level);
        item = null;
        break;
      }
      case "TD5":
        if (v(s, 2) === "2" && v(s, 3)) asn.scac = v(s, 3);
        if (v(s, 5)) asn.routing = v(s, 5);
        break;
      case "REF":
        if (item && v(s, 1) === "LT") item.lots.push(v(s, 2));
        else if (level?.code === "O" && level.order) level.order.refs.push([v(s, 1), v(s, 2)]);
        else if (v(s, 1) === "BM") asn.billOfLading = v(s, 2);
        else if (v(s, 1) === "CN") asn.tracking = v(s, 2);
        break;
      case "DTM":
        if (v(s, 1) === "011" && /^\d{8}$/.test(v(s, 2))) shipped = instantOf(v(s, 2), v(s, 3));
        if ((v(s, 1) === "017" || v(s, 1) === "067") && /^\d{8}$/.test(v(s, 2)))
          asn.estimatedDelivery = `${v(s, 2).slice(0, 4)}-${v(s, 2).slice(4, 6)}-${v(s, 2).slice(6, 8)}`;
        break;
      case "N1":
        asn.parties.push({ role: v(s, 1), name: v(s, 2) || null, idQualifier: v(s, 3) || null, id: v(s, 4) || null, where });
        break;
      case "PRF":
        if (level?.order) level.order.purchaseOrder = v(s, 1) || null;
        break;
      case "MAN":
        if (v(s, 1) === "GM" && level) {
          const sscc = v(s, 2);
          level.sscc = sscc;
          if (!asn.packs.some((p) => p.sscc === sscc)) asn.packs.push({ sscc, where });
        }
        break;
      case "LIN": {
        if (!level?.order) {
          // An S-P-I or S-I notice without an order level: one implicit order.
          if (!asn.orders.length) asn.orders.push({ purchaseOrder: null, refs: [], items: [], where });
          if (level) level.order = asn.orders[0];
        }
        const ids: [string, string][] = [];
        const lots: string[] = [];
        for (let i = 2; i + 1 <= s.values.length; i += 2) {
          if (!v(s, i) || !v(s, i + 1)) continue;
          if (v(s, i) === "LT") lots.push(v(s, i + 1));
          else ids.push([v(s, i), v(s, i + 1)]);
        }
        if (!ids.length) throw validationError("LIN names no product (no qualifier/id pair)", where);
        const current = level as Level | null;
        item = { ids, quantity: 0, unit: null, lots, sscc: current?.sscc ?? null, description: null, where };
        (current?.order ?? asn.orders[0]).items.push(item);
        break;
      }
      case "SN1": {
        if (!item) throw validationError("SN1 outside an item (no LIN before it)", where);
        if (!/^\d+(\.0+)?$/.test(v(s, 2))) throw validationError(`SN102 "${v(s, 2)}" must be a whole quantity`, where);
        item.quantity = Number(v(s, 2));
        item.unit = v(s, 3) || null;
        if (v(s, 5)) item.quantityOrdered = Number(v(s, 5)) || null;
        break;
      }
      case "PID":
        if (item && v(s, 5)) item.description = v(s, 5);
        break;
    }
  }
  asn.shippedAt = ctx.sourceTime(shipped, at(bsn));
  const items = asn.orders.flatMap((o) => o.items);
  if (!items.length) throw validationError("the 856 has no item (LIN/SN1): nothing shipped is advised");
  const unquantified = items.find((i) => i.quantity <= 0);
  if (unquantified) throw validationError("item has no SN1 quantity shipped", unquantified.where);
  for (const p of asn.packs) if (!/^\d{18}$/.test(p.sscc)) throw validationError(`MAN GM "${p.sscc}" is not an SSCC-18 (18 digits)`, p.where);
  return asn;
}

/** From our warehouse: one shipment confirmation per order in the notice. */
export function toConfirmations(asn: AdvanceShipNotice): ShipmentConfirmation[] {
  return asn.orders.map((o) => {
    // Our warehouse order number may come under any REF qualifier; the PO is the fallback.
    const ref = o.refs.find(([, value]) => /^WO/.test(value))?.[1] ?? null;
    return {
      source: "x12-856",
      sourceKey: `x12-856:${asn.sender}:${asn.shipmentId}:${ref ?? o.purchaseOrder ?? "-"}`,
      warehouseOrderNumber: ref,
      customerPo: o.purchaseOrder,
      consignment: asn.shipmentId,
      shippedAt: asn.shippedAt,
      carrier: { scac: asn.scac ?? "UNKN", name: asn.scac ?? "unknown carrier", serviceLevel: asn.routing ?? "STANDARD" },
      trackingNumber: asn.tracking,
      final: true,
      items: o.items,
      packages: asn.packs.filter((p) => o.items.some((i) => i.sscc === p.sscc)),
      where: o.where,
    };
  });
}

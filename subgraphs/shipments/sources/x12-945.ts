// X12 945 warehouse shipping advice from a third-party warehouse, answering our 940. Parsed with
// node-x12 (parseTransactionSet); becomes one shipment confirmation (confirmation.ts).
//   W06   W0601 reporting code (F final / P partial: P keeps the rest open, anything else is final),
//         W0602 depositor order number = our warehouse order number (940 W0502), W0603 ship date,
//         W0604 shipment id (the consignment), W0606 purchase order number (fallback match)
//   N9    BM bill of lading, CN / 2I carrier tracking (PRO) number; in a line loop LI order line, LT lot
//   G62   11 shipped date (G6202) and time (G6204)      W27  carrier: W2702 SCAC, W2705 routing
//   LX    line loop; MAN GM: the SSCC-18 of the package the line is in (bad check digit = warning)
//   W12   W1201 status, W1202 quantity ordered, W1203 shipped, W1205 unit, W1206 UPC, then
//         W1207/W1208 and W1216/W1217 qualifier/id pairs (any qualifier matches the line), W1209 lot
//   W03   W0301 total units, W0302 weight (W0303 LB/KG): checked against the lines, a mismatch is a warning
import { parseError, validationError } from "../../../platform/ingest/errors.js";
import type { IngestHandler, StepContext } from "../../../platform/ingest/handlers.js";
import { interchangeHeaderOf, parseTransactionSet, type ParsedSet } from "../../../platform/ingest/x12-envelope.js";
import { applyConfirmations, type ConfirmedItem, type ShipmentConfirmation } from "../confirmation.js";

const t = (v: string | undefined) => (v ?? "").trim();
const whole = (v: string, where: string, what: string) => {
  if (!/^\d+(\.0+)?$/.test(v)) throw validationError(`${what} "${v}" must be a whole quantity`, where);
  return Number(v);
};
const ccyymmdd = (v: string, where: string, what: string) => {
  if (!/^\d{8}$/.test(v)) throw validationError(`${what} "${v}" is not a date CCYYMMDD`, where);
  return v;
};
export const instantOf = (date: string, time?: string) => {
  const hm = (time || "0000").padEnd(4, "0");
  return new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${hm.slice(0, 2)}:${hm.slice(2, 4)}:00Z`);
};

export interface Advice945 {
  sender: string;
  confirmation: ShipmentConfirmation;
}

function validate({ set, sender }: { set: ParsedSet; sender: string }, ctx: StepContext): Advice945 {
  const segs = set.segments;
  const at = (s: { tag: string; n: number }) => `segment ${s.n} (${s.tag})`;
  const w06 = segs.find((s) => s.tag === "W06");
  if (!w06) throw validationError("the 945 has no W06 segment (reporting code, depositor order number, date)");
  const v = (s: { values: string[] }, i: number) => t(s.values[i - 1]);
  const orderNumber = v(w06, 2);
  const po = v(w06, 6);
  if (!orderNumber && !po)
    throw validationError("W0602 (depositor order number) and W0606 (purchase order number) are both empty: the shipment cannot be matched", at(w06));
  let date = v(w06, 3) ? ccyymmdd(v(w06, 3), at(w06), "W0603") : "";
  let time = "";
  let scac = "";
  let routing = "";
  let bol: string | null = null;
  let tracking: string | null = null;
  const items: ConfirmedItem[] = [];
  const packages: ShipmentConfirmation["packages"] = [];
  let sscc: string | null = null;
  let item: ConfirmedItem | null = null;
  let w03: { units: number; where: string } | null = null;
  let inLines = false;
  for (const s of segs) {
    const where = at(s);
    switch (s.tag) {
      case "G62":
        if (v(s, 1) === "11") {
          date = ccyymmdd(v(s, 2), where, "G6202");
          time = v(s, 4);
        }
        break;
      case "W27":
        scac = v(s, 2);
        routing = v(s, 5);
        break;
      case "N9":
        if (item && v(s, 1) === "LT") item.lots.push(v(s, 2));
        else if (item && v(s, 1) === "LI") item.lineNumber = Number(v(s, 2)) || null;
        else if (!inLines && v(s, 1) === "BM") bol = v(s, 2);
        else if (!inLines && (v(s, 1) === "CN" || v(s, 1) === "2I")) tracking = v(s, 2);
        break;
      case "LX":
        inLines = true;
        sscc = null;
        item = null;
        break;
      case "MAN":
        if (v(s, 1) === "GM") {
          sscc = v(s, 2);
          if (!packages.some((p) => p.sscc === sscc)) packages.push({ sscc, where });
        }
        break;
      case "W12": {
        const ids: [string, string][] = [];
        if (v(s, 6)) ids.push(["UP", v(s, 6)]);
        for (const [q, i] of [
          [7, 8],
          [16, 17],
        ])
          if (v(s, q) && v(s, i)) ids.push([v(s, q), v(s, i)]);
        if (!ids.length) throw validationError("W12 names no product (no W1206 UPC and no W1207/W1208 pair)", where);
        item = {
          ids,
          quantity: whole(v(s, 3) || "0", where, "W1203 (units shipped)"),
          quantityOrdered: v(s, 2) ? whole(v(s, 2), where, "W1202 (quantity ordered)") : null,
          unit: v(s, 5) || null,
          lots: v(s, 9) ? [v(s, 9)] : [],
          sscc,
          where,
        };
        items.push(item);
        break;
      }
      case "W03":
        w03 = { units: Number(v(s, 1)), where };
        break;
    }
  }
  if (!items.length) throw validationError("the 945 has no W12 line (nothing shipped is reported)");
  if (!date) throw validationError("no ship date: neither W0603 nor G62 11");
  const shipped = items.reduce((sum, i) => sum + i.quantity, 0);
  if (w03 && w03.units !== shipped)
    ctx.warn({ code: "CONTROL_TOTAL", message: `W0301 says ${w03.units} units, the W12 lines ship ${shipped}`, where: w03.where });
  const shippedAt = ctx.sourceTime(instantOf(date, time), at(w06));
  return {
    sender,
    confirmation: {
      source: "x12-945",
      sourceKey: `x12-945:${sender}:${v(w06, 4) || bol || orderNumber || po}:${orderNumber || po}`,
      warehouseOrderNumber: orderNumber || null,
      customerPo: po || null,
      consignment: v(w06, 4) || bol,
      shippedAt,
      carrier: { scac: scac || "UNKN", name: scac || "unknown carrier", serviceLevel: routing || "STANDARD" },
      trackingNumber: tracking,
      final: v(w06, 1) !== "P",
      items,
      packages,
      where: at(w06),
    },
  };
}

export const x12WarehouseShippingAdviceHandler: IngestHandler<{ set: ParsedSet; sender: string }, Advice945, ShipmentConfirmation[]> = {
  source: "x12",
  kind: "945",
  parse(raw) {
    const set = parseTransactionSet(raw, "945");
    try {
      const h = interchangeHeaderOf(raw);
      return { set, sender: `${h.isa[5].trim()}:${h.isa[6].trim()}` };
    } catch (err) {
      throw parseError(`the 945's envelope cannot be read: ${(err as Error).message}`);
    }
  },
  validate,
  async map(advice) {
    return [advice.confirmation];
  },
  apply: applyConfirmations,
};

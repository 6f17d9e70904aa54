// X12 850 purchase order -> the canonical order command (subgraphs/orders/command.ts), captured
// by orderChannelHandler like any placeOrder. Parsed with node-x12 (parseTransactionSet); codes
// (purpose, date qualifiers, units) resolved through the mapping rows, never in-code tables.
//
//   BEG    purpose (BEG01, STATUS rows under X12:BEG01: 00 ORIGINAL captures, 01 CANCELLATION
//          cancels the order captured under the same PO), PO number (BEG03) and date (BEG05)
//   CUR    currency (CUR02)                 REF   kept for the acknowledgement
//   DTM    requested dates by qualifier (DATE_QUALIFIER rows: 002 delivery, 010 ship, ...), also per line
//   N1     ST ship-to (name, N3/N4 address, GLN when N103 = UL), BY/BT buyer (GLN), DUNS or codes kept
//   PO1    line: PO101 line id, quantity, unit (UNIT rows), price per unit, and any product id pairs:
//          UP/UA/EN/UK -> GTIN, VN/VP -> our item number, IN/BP/CB -> the buyer's part number,
//          SK/MG/MF/PI/PN -> a PRODUCT cross-reference under system "X12:<qualifier>"; others echoed only
//   PO4    pack: base units per ordered unit when the ordered unit is not an each
//   CTP    a price when PO104 gives none        PID   description
//   SAC    allowances (A) and charges (C), header or line, recorded on the order
//   CTT    line count and quantity hash total, AMT total amount: checked; a mismatch is a warning
// The trading partner is the CUSTOMER cross-reference under system X12, "<ISA05>:<ISA06>".
import { parseError, validationError } from "../../../platform/ingest/errors.js";
import type { StepContext } from "../../../platform/ingest/handlers.js";
import { interchangeHeaderOf, parseTransactionSet, type ParsedSet, type X12Header } from "../../../platform/ingest/x12-envelope.js";
import type { ChannelAction, ChannelContext, OrderChannelSpec } from "../channel.js";
import type { OrderCharge, OrderCommandLine } from "../command.js";

export interface X12Party {
  qualifier: string;
  id: string;
}

export interface Po850Line {
  lineNumber: number;
  /** PO101 as sent (echoed in the 855). */
  assignedId: string;
  quantity: number;
  unit: string;
  price: string | null;
  /** PO105: basis of the unit price (PE per each, ...). */
  priceBasis: string | null;
  ids: [string, string][];
  description: string | null;
  /** PO401: inner units per ordered unit. */
  pack: number | null;
  dates: Po850Date[];
  where: string;
}

export interface Po850Date {
  qualifier: string;
  date: string;
  where: string;
}

export interface Po850Party {
  role: string;
  name: string | null;
  idQualifier: string | null;
  id: string | null;
  address: string | null;
}

export interface Po850 {
  partner: X12Party;
  us: X12Party;
  group: { functionalId: string; applicationSender: string; applicationReceiver: string; version: string };
  isa11: string;
  isa12: string;
  usage: string;
  purpose: string;
  orderType: string;
  poNumber: string;
  release: string | null;
  poDate: string;
  currency: string | null;
  refs: [string, string][];
  dates: Po850Date[];
  parties: Po850Party[];
  lines: Po850Line[];
  charges: (OrderCharge & { where: string })[];
}

export const X12_SYSTEM = "X12";
const GTIN_QUALIFIERS = new Set(["UP", "UA", "EN", "UK", "UI"]);
const OUR_ITEM_QUALIFIERS = new Set(["VN", "VP", "VA"]);
const BUYER_ITEM_QUALIFIERS = ["IN", "BP", "CB"];
/** Other qualifiers that name the item itself (SKU, manufacturer or purchaser part numbers): PRODUCT rows under "X12:<qualifier>". Others (promotion, process codes) are not item ids and are only echoed back. */
const OTHER_ITEM_QUALIFIERS = new Set(["SK", "MG", "MF", "PI", "PN"]);
const EACH_UNITS = new Set(["EA"]);

const trimmed = (v: string | undefined) => (v ?? "").trim();
const ccyymmdd = (v: string, where: string, what: string) => {
  if (!/^\d{8}$/.test(v)) throw validationError(`${what} "${v}" is not a date CCYYMMDD`, where);
  const iso = `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}`;
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) throw validationError(`${what} "${v}" is not a real calendar date`, where);
  return iso;
};
const decimalOf = (v: string, where: string, what: string) => {
  if (!/^-?\d*\.?\d+$/.test(v)) throw validationError(`${what} "${v}" is not a number`, where);
  return v.replace(/^(-?)\./, "$10.");
};
/** X12 N2: an amount with two implied decimals ("1500" is 15.00). */
const impliedTwo = (v: string, where: string, what: string) => {
  if (!/^-?\d+$/.test(v)) throw validationError(`${what} "${v}" is not a whole number of cents (X12 N2)`, where);
  const neg = v.startsWith("-");
  const digits = (neg ? v.slice(1) : v).padStart(3, "0");
  return `${neg ? "-" : ""}${digits.slice(0, -2).replace(/^0+(?=\d)/, "")}.${digits.slice(-2)}`;
};
const cents = (v: string) => Math.round(Number(v) * 100);

function parse(raw: Buffer): { set: ParsedSet; header: X12Header } {
  const set = parseTransactionSet(raw, "850");
  let header: X12Header;
  try {
    header = interchangeHeaderOf(raw);
  } catch (err) {
    throw parseError(`the 850's envelope cannot be read: ${(err as Error).message}`);
  }
  return { set, header };
}

function validate({ set, header }: { set: ParsedSet; header: X12Header }, ctx: StepContext): Po850 {
  const segs = set.segments;
  const where = (s: { tag: string; n: number }) => `segment ${s.n} (${s.tag})`;
  const beg = segs.find((s) => s.tag === "BEG");
  if (!beg) throw validationError("the 850 has no BEG segment (purpose, PO number, date)");
  const begAt = where(beg);
  const purpose = trimmed(beg.values[0]);
  const poNumber = trimmed(beg.values[2]);
  if (!purpose) throw validationError("BEG01 (transaction set purpose) is empty", begAt);
  if (!poNumber) throw validationError("BEG03 (purchase order number) is empty", begAt);
  if (poNumber.length > 22) throw validationError(`BEG03 "${poNumber}" is longer than the 22 characters a PO number may have`, begAt);
  const poDate = ccyymmdd(trimmed(beg.values[4]), begAt, "BEG05 (purchase order date)");

  const refs: [string, string][] = [];
  const dates: Po850Date[] = [];
  const parties: Po850Party[] = [];
  const lines: Po850Line[] = [];
  const charges: Po850["charges"] = [];
  let currency: string | null = null;
  let ctt: { count: string; hash: string; at: string } | null = null;
  const amts: { qualifier: string; amount: string; at: string }[] = [];
  let party: Po850Party | null = null;
  let line: Po850Line | null = null;
  const address: string[] = [];
  const closeParty = () => {
    if (party) party.address = address.filter(Boolean).join(", ") || null;
    address.length = 0;
    party = null;
  };

  for (const s of segs) {
    const at = where(s);
    const v = (i: number) => trimmed(s.values[i - 1]);
    switch (s.tag) {
      case "CUR":
        if (!/^[A-Z]{3}$/.test(v(2))) throw validationError(`CUR02 "${v(2)}" is not an ISO 4217 currency code`, at);
        currency = v(2);
        break;
      case "REF":
        if (!line) refs.push([v(1), v(2) || v(3)]);
        break;
      case "DTM": {
        const date = { qualifier: v(1), date: ccyymmdd(v(2), at, "DTM02"), where: at };
        (line ? line.dates : dates).push(date);
        break;
      }
      case "N1":
        closeParty();
        party = { role: v(1), name: v(2) || null, idQualifier: v(3) || null, id: v(4) || null, address: null };
        parties.push(party);
        break;
      case "N2":
      case "N3":
        if (party) address.push([v(1), v(2)].filter(Boolean).join(" "));
        break;
      case "N4":
        if (party) address.push([v(1), [v(2), v(3)].filter(Boolean).join(" "), v(4)].filter(Boolean).join(", "));
        break;
      case "PO1": {
        closeParty();
        const quantity = v(2);
        if (!/^\d+(\.0+)?$/.test(quantity) || Number(quantity) < 1) throw validationError(`PO102 "${quantity}" must be a whole quantity of at least 1`, at);
        if (!v(3)) throw validationError("PO103 (unit of measure) is empty", at);
        const ids: [string, string][] = [];
        for (let i = 6; i + 1 <= s.values.length; i += 2) if (v(i) && v(i + 1)) ids.push([v(i), v(i + 1)]);
        if (!ids.length) throw validationError("PO1 names no product (no PO106/PO107 identifier pair)", at);
        line = {
          lineNumber: 0,
          assignedId: v(1),
          quantity: Number(quantity),
          unit: v(3),
          price: v(4) ? decimalOf(v(4), at, "PO104 (unit price)") : null,
          priceBasis: v(5) || null,
          ids,
          description: null,
          pack: null,
          dates: [],
          where: at,
        };
        lines.push(line);
        break;
      }
      case "PID":
        if (line && !line.description) line.description = v(5) || null;
        break;
      case "PO4":
        if (line && v(1)) {
          if (!/^\d+$/.test(v(1)) || Number(v(1)) < 1) throw validationError(`PO401 (pack) "${v(1)}" must be a whole number of at least 1`, at);
          line.pack = Number(v(1));
        }
        break;
      case "CTP":
        // A price in CTP (CTP03, per CTP04 units when given) stands in for a PO104 that has none.
        if (line && !line.price && v(3)) {
          const per = v(4) ? Number(v(4)) : 1;
          const price = Number(decimalOf(v(3), at, "CTP03 (unit price)"));
          line.price = (per > 0 ? price / per : price).toFixed(4).replace(/\.?0+$/, "");
        }
        break;
      case "SAC": {
        const kind = v(1) === "A" ? "ALLOWANCE" : v(1) === "C" ? "CHARGE" : null;
        if (!kind) {
          if (v(1) === "N") break; // "no allowance or charge": informational
          throw validationError(`SAC01 "${v(1)}" is not A (allowance), C (charge) or N`, at);
        }
        if (!v(5)) {
          ctx.warn({ code: "X12_CHARGE_WITHOUT_AMOUNT", message: `SAC ${v(2)} gives no amount (SAC05): not recorded`, where: at });
          break;
        }
        const amount = impliedTwo(v(5), at, "SAC05 (amount)").replace(/^-/, "");
        // A line's SAC is numbered after all lines are known (negative position until then).
        charges.push({ kind, code: v(2) || null, description: v(15) || null, amount, lineNumber: line ? -lines.length : null, where: at });
        break;
      }
      case "CTT":
        closeParty();
        ctt = { count: v(1), hash: v(2), at };
        line = null;
        break;
      case "AMT":
        if (!line || ctt) amts.push({ qualifier: v(1), amount: decimalOf(v(2), at, "AMT02"), at });
        break;
      default:
        break;
    }
  }
  closeParty();
  if (!lines.length) throw validationError("the 850 has no PO1 line");
  if (lines.length > 500) throw validationError(`the 850 has ${lines.length} PO1 lines; at most 500 are taken in one order`);

  // Line numbers: PO101 when every line has a distinct whole number there, else the position.
  const numbered =
    lines.every((l) => /^\d{1,5}$/.test(l.assignedId) && Number(l.assignedId) >= 1) && new Set(lines.map((l) => Number(l.assignedId))).size === lines.length;
  lines.forEach((l, i) => (l.lineNumber = numbered ? Number(l.assignedId) : i + 1));
  for (const c of charges) if (c.lineNumber && c.lineNumber < 0) c.lineNumber = lines[-c.lineNumber - 1].lineNumber;

  // Control totals: a disagreement is worth a look, not a refusal.
  if (ctt) {
    if (ctt.count && Number(ctt.count) !== lines.length)
      ctx.warn({ code: "X12_TOTALS_MISMATCH", message: `CTT01 says ${ctt.count} line items, the 850 has ${lines.length}`, where: ctt.at });
    const hash = lines.reduce((s, l) => s + l.quantity, 0);
    if (ctt.hash && Number(ctt.hash) !== hash)
      ctx.warn({ code: "X12_TOTALS_MISMATCH", message: `CTT02 hash total ${ctt.hash} differs from the sum of PO102 quantities, ${hash}`, where: ctt.at });
  }
  const linesTotal = lines.reduce((s, l) => s + (l.price ? Math.round(Number(l.price) * l.quantity * 100) : 0), 0);
  const chargesTotal = charges.reduce((s, c) => s + (c.kind === "CHARGE" ? cents(c.amount) : -cents(c.amount)), 0);
  for (const a of amts) {
    const expected = a.qualifier === "1" ? linesTotal : a.qualifier === "TT" ? linesTotal + chargesTotal : null;
    if (expected !== null && cents(a.amount) !== expected) {
      ctx.warn({
        code: "X12_TOTALS_MISMATCH",
        message: `AMT*${a.qualifier} says ${a.amount}, the ${a.qualifier === "1" ? "lines" : "lines, allowances and charges"} add up to ${(expected / 100).toFixed(2)}`,
        where: a.at,
      });
    }
  }

  const isa = header.isa;
  const gs = header.gs;
  return {
    partner: { qualifier: trimmed(isa[5]), id: trimmed(isa[6]) },
    us: { qualifier: trimmed(isa[7]), id: trimmed(isa[8]) },
    group: { functionalId: trimmed(gs[1]), applicationSender: trimmed(gs[2]), applicationReceiver: trimmed(gs[3]), version: trimmed(gs[8]) },
    isa11: trimmed(isa[11]),
    isa12: trimmed(isa[12]),
    usage: trimmed(isa[15]),
    purpose,
    orderType: trimmed(beg.values[1]),
    poNumber,
    release: trimmed(beg.values[3]) || null,
    poDate,
    currency,
    refs,
    dates,
    parties,
    lines,
    charges,
  };
}

export const partnerId = (p: X12Party) => `${p.qualifier}:${p.id}`;

/** Requested dates by role (DATE_QUALIFIER rows); a qualifier without a row is ignored with a warning. */
async function datesByRole(dates: Po850Date[], ctx: ChannelContext): Promise<Map<string, string>> {
  const roles = new Map<string, string>();
  for (const d of dates) {
    const role = await ctx.codes.optionalCode("DATE_QUALIFIER", X12_SYSTEM, d.qualifier);
    if (!role)
      ctx.warn({
        code: "X12_DATE_NOT_MAPPED",
        message: `DTM qualifier ${d.qualifier} has no DATE_QUALIFIER row under X12: its date ${d.date} was not used`,
        where: d.where,
      });
    else if (!roles.has(role)) roles.set(role, d.date);
  }
  return roles;
}
const shipDate = (r: Map<string, string>) => r.get("REQUESTED_SHIP") ?? r.get("SHIP_NO_LATER") ?? r.get("SHIP_NOT_BEFORE") ?? null;
const deliveryDate = (r: Map<string, string>) => r.get("REQUESTED_DELIVERY") ?? r.get("DELIVER_NO_LATER") ?? r.get("DELIVER_NOT_BEFORE") ?? null;

async function toCommand(po: Po850, ctx: ChannelContext): Promise<ChannelAction> {
  const partner = partnerId(po.partner);
  const key = `${partner}:${po.poNumber}`;
  const purpose = await ctx.codes.code("STATUS", "X12:BEG01", po.purpose, "BEG01");
  if (purpose === "CANCELLATION") {
    return {
      action: "cancel",
      system: X12_SYSTEM,
      idempotencyKey: key,
      reason: `cancelled by the buyer's 850 (BEG01 ${po.purpose}) for PO ${po.poNumber}`,
      describe: `850 cancellation of PO ${po.poNumber}`,
    };
  }
  if (purpose && !["ORIGINAL", "CONFIRMATION", "DUPLICATE"].includes(purpose)) {
    throw validationError(
      `BEG01 ${po.purpose} (${purpose}) is not taken by an 850 here: only new orders (00), confirmations (06) and cancellations (01); send changes as a cancellation and a new PO`,
      "BEG01",
    );
  }
  const roles = await datesByRole(po.dates, ctx);
  const lines: OrderCommandLine[] = [];
  for (const l of po.lines) {
    const gtin = l.ids.find(([q]) => GTIN_QUALIFIERS.has(q))?.[1] ?? null;
    const ours = l.ids.find(([q]) => OUR_ITEM_QUALIFIERS.has(q))?.[1] ?? null;
    const buyers = BUYER_ITEM_QUALIFIERS.map((q) => l.ids.find(([x]) => x === q)?.[1]).find(Boolean) ?? null;
    const others = l.ids.filter(([q]) => OTHER_ITEM_QUALIFIERS.has(q)).map(([q, value]) => ({ system: `X12:${q}`, value }));
    // PO4's pack is a conversion of the ordered unit only when that unit is a pack, not an each.
    const unit = await ctx.codes.optionalCode("UNIT", X12_SYSTEM, l.unit);
    const packSize = l.pack && !EACH_UNITS.has(unit ?? l.unit) ? l.pack : null;
    const lineRoles = await datesByRole(l.dates, ctx);
    let price = l.price;
    // A price per each (PE) on a line ordered in packs is per pack size eaches.
    if (price && l.priceBasis === "PE" && packSize) price = (Number(price) * packSize).toFixed(4).replace(/\.?0+$/, "");
    lines.push({
      lineNumber: l.lineNumber,
      sku: ours,
      gtin,
      customerPartNumber: buyers,
      references: others.length ? others.slice(0, 10) : null,
      quantity: l.quantity,
      unit: l.unit,
      packSize,
      buyerUnitPrice: price && /^\d{1,10}(\.\d{1,4})?$/.test(price) ? price : null,
      requestedDate: deliveryDate(lineRoles) ?? shipDate(lineRoles),
    });
  }
  const party = (role: string) => po.parties.find((p) => p.role === role);
  const shipTo = party("ST");
  const buyer = party("BY") ?? party("BT");
  const gln = (p: Po850Party | undefined) => (p?.idQualifier === "UL" && p.id ? p.id : null);
  return {
    action: "place",
    command: {
      channel: "EDI",
      system: X12_SYSTEM,
      idempotencyKey: key,
      customer: { references: [{ system: X12_SYSTEM, value: partner }], gln: gln(buyer) },
      customerPo: po.poNumber,
      externalRefs: [{ system: "X12_850", value: key }],
      currency: po.currency,
      requestedShipDate: shipDate(roles),
      requestedDeliveryDate: deliveryDate(roles),
      shipTo: shipTo ? { name: shipTo.name, address: shipTo.address, gln: gln(shipTo) } : null,
      lines,
      charges: po.charges.length ? po.charges.map(({ where: _w, ...c }) => c) : undefined,
      partnerContext: {
        standard: X12_SYSTEM,
        partner: po.partner,
        us: po.us,
        group: po.group,
        isa11: po.isa11,
        isa12: po.isa12,
        usage: po.usage,
        poNumber: po.poNumber,
        poDate: po.poDate,
        release: po.release,
        parties: po.parties,
        lines: po.lines.map((l) => ({
          lineNumber: l.lineNumber,
          assignedId: l.assignedId,
          quantity: l.quantity,
          unit: l.unit,
          price: l.price,
          priceBasis: l.priceBasis,
          ids: l.ids,
        })),
      },
    },
  };
}

export const x12PurchaseOrderSpec: OrderChannelSpec<{ set: ParsedSet; header: X12Header }, Po850> = {
  source: "x12",
  kind: "850",
  parse,
  validate,
  toCommand,
};

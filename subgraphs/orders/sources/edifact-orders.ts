// UN/EDIFACT ORDERS D.96A -> the canonical order command, captured by orderChannelHandler like
// any placeOrder. Read with the edifact package (its Parser honours the UNA service characters,
// release characters and the syntax level's character set), and checked against the D.96A segment
// table with its Tracker. Codes (message function, date qualifiers, units) through mapping rows.
//
//   BGM    document number (1004, the PO number) and message function (1225, STATUS rows under
//          EDIFACT:1225: 9 original captures, 1 cancellation cancels the order of that number)
//   DTM    137 document date; requested dates by DATE_QUALIFIER rows (2 delivery, 10 ship...),
//          formats 102 (CCYYMMDD), 203 (CCYYMMDDHHMM), 204 (…SS), 101 (YYMMDD), also per line
//   NAD    BY buyer, SU supplier, DP delivery party, IV invoicee, ST ship-to; party id with agency
//          9 is a GLN (GS1); name and address kept; DP (else ST) is the order's ship-to
//   CUX    the order currency             TAX   rates kept with the order (not computed here)
//   LIN    line number, item number with its type (SRV/EN/UP GTIN, SA ours, IN/BP the buyer's)
//   PIA    more item numbers of the same types      QTY+21  ordered quantity and unit (UNIT rows)
//   PRI    price (AAA net, else AAB gross) per its unit basis (5284 units of 6411)
//   LOC+7 with QTY+11  split delivery: one order line per delivery place with its quantity
//   ALC with MOA       allowances and charges, order or line      CNT+2  line count, checked
// The trading partner is the CUSTOMER cross-reference under system EDIFACT with the UNB sender id;
// a buyer GLN (NAD+BY with agency 9) maps under GS1 when the sender id does not.
import { Parser, Tracker, Validator } from "edifact";
import { parseError, validationError } from "../../../platform/ingest/errors.js";
import type { StepContext } from "../../../platform/ingest/handlers.js";
import { elementsOf, serviceCharsOf, splitEdifactInterchange } from "../../../platform/ingest/edifact-envelope.js";
import { withoutBom } from "../../../platform/ingest/json-body.js";
import type { ChannelAction, ChannelContext, OrderChannelSpec } from "../channel.js";
import type { OrderCharge, OrderCommandLine } from "../command.js";
import { ORDERS_D96A } from "./edifact-orders-d96a.js";

export const EDIFACT_SYSTEM = "EDIFACT";

interface Segment {
  tag: string;
  /** elements[i] = components of element i+1 */
  elements: string[][];
  /** 1-based position in the message (UNH is 1). */
  n: number;
}

interface ParsedOrders {
  sender: string;
  recipient: string;
  segments: Segment[];
}

export interface OrdersParty {
  role: string;
  id: string | null;
  agency: string | null;
  name: string | null;
  address: string | null;
}

export interface OrdersLine {
  lineNumber: number;
  lin: string;
  gtin: string | null;
  ours: string | null;
  buyers: string | null;
  quantity: number;
  unit: string | null;
  price: string | null;
  priceUnit: string | null;
  priceBasis: number;
  dates: { qualifier: string; date: string; where: string }[];
  deliverTo: string | null;
  where: string;
}

export interface OrdersD96A {
  sender: string;
  recipient: string;
  documentNumber: string;
  documentType: string;
  function: string;
  dates: { qualifier: string; date: string; where: string }[];
  parties: OrdersParty[];
  currency: string | null;
  taxes: { type: string; rate: string | null; category: string | null }[];
  lines: OrdersLine[];
  charges: OrderCharge[];
}

const c = (seg: Segment, e: number, k = 1) => (seg.elements[e - 1]?.[k - 1] ?? "").trim();
const at = (seg: Segment) => `segment ${seg.n} (${seg.tag})`;

/** Parses one message's bytes (its envelope included) with the edifact package. */
function parse(raw: Buffer): ParsedOrders {
  const bytes = withoutBom(raw);
  const latin = bytes.toString("latin1");
  const { chars } = serviceCharsOf(latin.trimStart());
  // The syntax level says how the bytes are encoded: UNOY (ISO 10646) is UTF-8, UNOA-UNOC fit Latin-1.
  const unbAt = latin.indexOf("UNB");
  const level = latin.slice(unbAt + 4, unbAt + 8);
  const text = (level === "UNOY" || level === "UNOW" ? bytes.toString("utf8") : latin).trimStart();
  const segments: Segment[] = [];
  const parser = new Parser(new Validator());
  let current: Segment | null = null;
  let isSyntax = false;
  parser.onopensegment = (tag: string) => {
    isSyntax = tag === "UNB";
    current = { tag, elements: [], n: 0 };
    segments.push(current);
  };
  parser.onelement = () => current!.elements.push([]);
  parser.oncomponent = function (this: { encoding(level: string): void }, value: string) {
    if (isSyntax) {
      // The syntax level decides which characters are allowed (UNOA: upper case only...).
      try {
        this.encoding(value);
      } catch {
        throw parseError(`UNB syntax identifier ${value} is not one this parser reads (UNOA, UNOB, UNOC, UNOY)`, "UNB");
      }
      isSyntax = false;
    }
    current!.elements[current!.elements.length - 1].push(value);
  };
  try {
    parser.write(text);
    parser.end();
  } catch (err) {
    if ((err as { step?: string }).step) throw err;
    const where = segments.length ? `segment ${segments.length} of the interchange (${segments[segments.length - 1].tag})` : undefined;
    throw parseError(`EDIFACT does not parse: ${(err as Error).message}${chars.release ? "" : " (no release character declared)"}`, where);
  }
  const unb = segments.find((s) => s.tag === "UNB");
  const first = segments.findIndex((s) => s.tag === "UNH");
  const last = segments.findIndex((s) => s.tag === "UNT");
  if (!unb || first < 0 || last < first) throw parseError("no UNH..UNT message in the interchange");
  const message = segments.slice(first, last + 1).map((s, i) => ({ ...s, n: i + 1 }));
  return { sender: c(unb, 2), recipient: c(unb, 3), segments: message };
}

const DATE_FORMATS: Record<string, RegExp> = {
  "102": /^(\d{8})$/,
  "203": /^(\d{8})\d{4}$/,
  "204": /^(\d{8})\d{6}$/,
  "303": /^(\d{8})\d{4}.{0,3}$/,
  "101": /^(\d{6})$/,
};

function dateOf(seg: Segment): string {
  const value = c(seg, 1, 2);
  const format = c(seg, 1, 3) || "102";
  const m = DATE_FORMATS[format]?.exec(value);
  if (!m)
    throw validationError(
      DATE_FORMATS[format] ? `DTM date "${value}" does not fit format ${format}` : `DTM date format ${format} is not taken (102, 203, 204, 303 or 101)`,
      at(seg),
    );
  const ymd = m[1].length === 6 ? `20${m[1]}` : m[1];
  const iso = `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`;
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) throw validationError(`DTM date "${value}" is not a real calendar date`, at(seg));
  return iso;
}

const number = (v: string, seg: Segment, what: string) => {
  const n = v.replace(",", ".");
  if (!/^\d*\.?\d+$/.test(n)) throw validationError(`${what} "${v}" is not a number`, at(seg));
  return n;
};

const GTIN_TYPES = new Set(["SRV", "EN", "UP", "EU"]);
const OUR_TYPES = new Set(["SA", "VN", "MF"]);
const BUYER_TYPES = new Set(["IN", "BP"]);

function validate(p: ParsedOrders, ctx: StepContext): OrdersD96A {
  const segs = p.segments;
  // Structure first: the D.96A segment table (order, mandatory segments, repetitions).
  const tracker = new Tracker(ORDERS_D96A);
  for (const seg of segs) {
    try {
      tracker.accept(seg.tag);
    } catch (err) {
      throw validationError(`the message does not follow the ORDERS D.96A structure: ${(err as Error).message}`, at(seg));
    }
  }
  const unh = segs[0];
  const [type, version, release] = [c(unh, 2, 1), c(unh, 2, 2), c(unh, 2, 3)];
  if (type !== "ORDERS" || version !== "D" || release !== "96A")
    throw validationError(`UNH says ${type}:${version}:${release}; this endpoint takes ORDERS D.96A`, at(unh));
  const bgm = segs.find((s) => s.tag === "BGM")!;
  const documentNumber = c(bgm, 2, 1);
  if (!documentNumber) throw validationError("BGM has no document number (1004): it is the order number", at(bgm));
  if (documentNumber.length > 35) throw validationError(`BGM document number "${documentNumber.slice(0, 40)}…" is longer than 35 characters`, at(bgm));

  const dates: OrdersD96A["dates"] = [];
  const parties: OrdersParty[] = [];
  const taxes: OrdersD96A["taxes"] = [];
  const lines: OrdersLine[] = [];
  const charges: OrderCharge[] = [];
  let currency: string | null = null;
  type Item = OrdersLine & { splits: { place: string; quantity: number; where: string }[]; ordered: number | null };
  let line: Item | null = null as Item | null;
  const items: Item[] = [];
  let place: { id: string; where: string } | null = null;
  let charge: { kind: "ALLOWANCE" | "CHARGE"; code: string | null; description: string | null; lineNumber: number | null } | null = null;
  let detail = true;
  let cnt: { count: string; where: string } | null = null;

  for (const seg of segs) {
    switch (seg.tag) {
      case "DTM":
        if (c(seg, 1, 1)) (line ?? { dates }).dates.push({ qualifier: c(seg, 1, 1), date: dateOf(seg), where: at(seg) });
        break;
      case "NAD":
        if (line) break; // line-level parties are not used
        parties.push({
          role: c(seg, 1),
          id: c(seg, 2, 1) || null,
          agency: c(seg, 2, 3) || null,
          name: seg.elements[3]?.filter(Boolean).join(" ") || seg.elements[2]?.filter(Boolean).join(" ") || null,
          address: [seg.elements[4]?.filter(Boolean).join(" "), c(seg, 6), c(seg, 8), c(seg, 7), c(seg, 9)].filter(Boolean).join(", ") || null,
        });
        break;
      case "CUX":
        if (!currency && c(seg, 1, 2)) {
          if (!/^[A-Z]{3}$/.test(c(seg, 1, 2))) throw validationError(`CUX currency "${c(seg, 1, 2)}" is not an ISO 4217 code`, at(seg));
          currency = c(seg, 1, 2);
        }
        break;
      case "TAX":
        taxes.push({ type: c(seg, 2, 1), rate: c(seg, 5, 4) ? number(c(seg, 5, 4), seg, "TAX rate") : null, category: c(seg, 6) || null });
        break;
      case "LIN": {
        charge = null;
        place = null;
        const number1082 = c(seg, 1);
        const itemType = c(seg, 3, 2);
        const item = c(seg, 3, 1);
        line = {
          lineNumber: 0,
          lin: number1082,
          gtin: item && GTIN_TYPES.has(itemType) ? item : null,
          ours: item && OUR_TYPES.has(itemType) ? item : null,
          buyers: item && BUYER_TYPES.has(itemType) ? item : null,
          quantity: 0,
          unit: null,
          price: null,
          priceUnit: null,
          priceBasis: 1,
          dates: [],
          deliverTo: null,
          where: at(seg),
          splits: [],
          ordered: null,
        };
        items.push(line);
        break;
      }
      case "PIA":
        if (line) {
          for (const comp of seg.elements.slice(1)) {
            const [value, t] = [(comp[0] ?? "").trim(), (comp[1] ?? "").trim()];
            if (!value) continue;
            if (GTIN_TYPES.has(t)) line.gtin ??= value;
            else if (OUR_TYPES.has(t)) line.ours ??= value;
            else if (BUYER_TYPES.has(t)) line.buyers ??= value;
          }
        }
        break;
      case "QTY": {
        const qualifier = c(seg, 1, 1);
        const raw = number(c(seg, 1, 2), seg, `QTY+${qualifier} quantity`);
        if (qualifier === "21" && line && !place) {
          if (!/^\d+(\.0+)?$/.test(raw) || Number(raw) < 1) throw validationError(`ordered quantity ${raw} must be a whole number of at least 1`, at(seg));
          line.ordered = Number(raw);
          line.unit = c(seg, 1, 3) || null;
        } else if (qualifier === "11" && line && place) {
          if (!/^\d+(\.0+)?$/.test(raw) || Number(raw) < 1) throw validationError(`split quantity ${raw} must be a whole number of at least 1`, at(seg));
          line.splits.push({ place: place.id, quantity: Number(raw), where: at(seg) });
        }
        break;
      }
      case "PRI": {
        if (!line) break;
        const qualifier = c(seg, 1, 1);
        // AAA (net) is the price to pay; AAB (gross) only when there is no net price.
        if (qualifier === "AAA" || (qualifier === "AAB" && !line.price)) {
          line.price = number(c(seg, 1, 2), seg, "PRI price");
          const basis = c(seg, 1, 5);
          line.priceBasis = basis ? Number(number(basis, seg, "PRI unit price basis")) || 1 : 1;
          line.priceUnit = c(seg, 1, 6) || null;
        }
        break;
      }
      case "LOC":
        if (line && c(seg, 1) === "7") {
          const id = c(seg, 2, 1);
          if (!id) throw validationError("LOC+7 names no delivery place (3225)", at(seg));
          place = { id, where: at(seg) };
        }
        break;
      case "ALC": {
        const kind = c(seg, 1) === "A" ? "ALLOWANCE" : c(seg, 1) === "C" ? "CHARGE" : null;
        if (!kind) throw validationError(`ALC 5463 "${c(seg, 1)}" is not A (allowance) or C (charge)`, at(seg));
        charge = { kind, code: c(seg, 5, 1) || null, description: c(seg, 5, 4) || null, lineNumber: detail && line ? items.length : null };
        break;
      }
      case "MOA":
        // 8: allowance or charge amount, 23: charge amount, 204: allowance amount.
        if (charge && ["8", "23", "204"].includes(c(seg, 1, 1))) {
          charges.push({ ...charge, amount: number(c(seg, 1, 2), seg, "MOA amount"), lineNumber: charge.lineNumber });
          charge = null;
        }
        break;
      case "UNS":
        detail = false;
        line = null;
        charge = null;
        break;
      case "CNT":
        if (c(seg, 1, 1) === "2") cnt = { count: c(seg, 1, 2), where: at(seg) };
        break;
      default:
        break;
    }
  }
  if (!items.length) throw validationError("the ORDERS message has no LIN line");

  // Lines: one per LIN, or one per delivery place when the LIN splits its quantity (LOC+7/QTY+11).
  for (const item of items) {
    if (item.ordered === null && !item.splits.length) throw validationError(`LIN ${item.lin} has no ordered quantity (QTY+21)`, item.where);
    const { splits, ordered, ...base } = item;
    if (!splits.length) {
      lines.push({ ...base, quantity: ordered! });
      continue;
    }
    const total = splits.reduce((s, x) => s + x.quantity, 0);
    if (ordered !== null && total !== ordered) {
      ctx.warn({
        code: "EDIFACT_QUANTITY_MISMATCH",
        message: `LIN ${item.lin}: QTY+21 says ${ordered}, its delivery places (QTY+11) add up to ${total}; the places' quantities are taken`,
        where: item.where,
      });
    }
    for (const split of splits) lines.push({ ...base, quantity: split.quantity, deliverTo: split.place });
  }
  if (lines.length > 500) throw validationError(`the order has ${lines.length} lines (with split deliveries); at most 500 are taken in one order`);
  // LIN numbers as line numbers when each LIN makes one distinct numbered line; else positions.
  const numbered =
    lines.length === items.length &&
    lines.every((l) => /^\d{1,5}$/.test(l.lin) && Number(l.lin) >= 1) &&
    new Set(lines.map((l) => l.lin)).size === lines.length;
  lines.forEach((l, i) => (l.lineNumber = numbered ? Number(l.lin) : i + 1));
  for (const ch of charges)
    if (ch.lineNumber) ch.lineNumber = numbered ? Number(items[ch.lineNumber - 1].lin) : lines.findIndex((l) => l.lin === items[ch.lineNumber! - 1].lin) + 1;
  if (cnt && Number(cnt.count) !== items.length)
    ctx.warn({ code: "EDIFACT_TOTALS_MISMATCH", message: `CNT+2 says ${cnt.count} lines, the message has ${items.length} LIN`, where: cnt.where });

  return {
    sender: p.sender,
    recipient: p.recipient,
    documentNumber,
    documentType: c(bgm, 1, 1),
    function: c(bgm, 3) || "9",
    dates,
    parties,
    currency,
    taxes,
    lines,
    charges,
  };
}

async function datesByRole(dates: OrdersD96A["dates"], ctx: ChannelContext) {
  const roles = new Map<string, string>();
  for (const d of dates) {
    const role = await ctx.codes.optionalCode("DATE_QUALIFIER", EDIFACT_SYSTEM, d.qualifier);
    if (!role)
      ctx.warn({
        code: "EDIFACT_DATE_NOT_MAPPED",
        message: `DTM qualifier ${d.qualifier} has no DATE_QUALIFIER row under EDIFACT: its date ${d.date} was not used`,
        where: d.where,
      });
    else if (!roles.has(role)) roles.set(role, d.date);
  }
  return roles;
}
const shipDate = (r: Map<string, string>) => r.get("REQUESTED_SHIP") ?? r.get("SHIP_NO_LATER") ?? null;
const deliveryDate = (r: Map<string, string>) => r.get("REQUESTED_DELIVERY") ?? r.get("DELIVER_NO_LATER") ?? r.get("DELIVER_NOT_BEFORE") ?? null;
const plain = (n: number) => n.toFixed(4).replace(/\.?0+$/, "");

async function toCommand(o: OrdersD96A, ctx: ChannelContext): Promise<ChannelAction> {
  const key = `${o.sender}:${o.documentNumber}`;
  const purpose = await ctx.codes.code("STATUS", "EDIFACT:1225", o.function, "BGM 1225");
  if (purpose === "CANCELLATION") {
    return {
      action: "cancel",
      system: EDIFACT_SYSTEM,
      idempotencyKey: key,
      reason: `cancelled by the buyer's ORDERS (BGM 1225 ${o.function}) for order ${o.documentNumber}`,
      describe: `ORDERS cancellation of ${o.documentNumber}`,
    };
  }
  if (purpose && purpose !== "ORIGINAL") {
    throw validationError(
      `BGM message function ${o.function} (${purpose}) is not taken here: only originals (9) and cancellations (1); send a change as a cancellation and a new order`,
      "BGM",
    );
  }
  const roles = await datesByRole(o.dates, ctx);
  const lines: OrderCommandLine[] = [];
  for (const l of o.lines) {
    const lineRoles = await datesByRole(l.dates, ctx);
    // PRI is per 5284 units of 6411; as a price per the line's own unit when the units agree.
    let price: string | null = null;
    if (l.price) {
      if (!l.priceUnit || !l.unit || l.priceUnit === l.unit) price = plain(Number(l.price) / l.priceBasis);
      else
        ctx.warn({
          code: "EDIFACT_PRICE_UNIT",
          message: `LIN ${l.lin}: the price is per ${l.priceBasis} ${l.priceUnit}, the quantity in ${l.unit}: the buyer's price is not compared`,
          where: l.where,
        });
    }
    lines.push({
      lineNumber: l.lineNumber,
      sku: l.ours,
      gtin: l.gtin,
      customerPartNumber: l.buyers,
      quantity: l.quantity,
      unit: l.unit,
      buyerUnitPrice: price && /^\d{1,10}(\.\d{1,4})?$/.test(price) ? price : null,
      requestedDate: deliveryDate(lineRoles) ?? shipDate(lineRoles),
      deliverTo: l.deliverTo,
    });
  }
  const party = (...roles: string[]) => roles.map((r) => o.parties.find((p) => p.role === r)).find(Boolean);
  const gln = (p: OrdersParty | undefined) => (p?.agency === "9" && p.id ? p.id : null);
  const buyer = party("BY");
  const shipTo = party("DP", "ST");
  return {
    action: "place",
    command: {
      channel: "EDI",
      system: EDIFACT_SYSTEM,
      idempotencyKey: key,
      customer: { references: [{ system: EDIFACT_SYSTEM, value: o.sender }], gln: gln(buyer) },
      customerPo: o.documentNumber,
      externalRefs: [{ system: "EDIFACT_ORDERS", value: key }],
      currency: o.currency,
      requestedShipDate: shipDate(roles),
      requestedDeliveryDate: deliveryDate(roles),
      shipTo: shipTo ? { name: shipTo.name, address: shipTo.address, gln: gln(shipTo) } : null,
      lines,
      charges: o.charges.length ? o.charges : undefined,
      partnerContext: {
        standard: EDIFACT_SYSTEM,
        sender: o.sender,
        recipient: o.recipient,
        documentNumber: o.documentNumber,
        documentType: o.documentType,
        parties: o.parties,
        taxes: o.taxes,
      },
    },
  };
}

export const edifactOrdersSpec: OrderChannelSpec<ParsedOrders, OrdersD96A> = {
  source: "edifact",
  kind: "ORDERS",
  parse,
  validate,
  toCommand,
};

/** For tests and tools: the messages of an interchange, as the endpoint splits them. */
export { splitEdifactInterchange, elementsOf };

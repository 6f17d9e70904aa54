// X12 810 Invoice from a supplier: recorded as a supplier invoice in erp-finance.
//
//   BIG   BIG01 invoice date, BIG02 invoice number, BIG04 our purchase order number
//   CUR   CUR02 currency (default: the supplier's)
//   N1    N1*SE / N1*VN with N103 9 (GLN): the supplier, when no cross-reference names the sender
//   ITD   ITD07 net days (default: the supplier's terms)
//   IT1   IT101 line, IT102 quantity, IT103 unit, IT104 unit price, then qualifier/id pairs:
//         BP buyer's part number (our sku), VN vendor's part number (a PRODUCT cross-reference with
//         system = the supplier id), UP/EN/UK GTIN
//   PO4   PO401 pack: base units per unit, when the item master has no conversion for IT103
//   CTP   CTP04 quantity with CTP05 unit (base units per IT103 unit, the same way), if no PO4
//   SAC   in an IT1 loop: that line's; after TDS: the invoice's. SAC01 A allowance, C charge,
//         SAC02 code, SAC05 amount (N2: implied 2 decimals), SAC15 description
//   TXI   TXI02 tax amount
//   TDS   TDS01 total (N2)
//
// The supplier is found through a SUPPLIER cross-reference of the sender (X12 "<ISA05>:<ISA06>"),
// else of the N1 GLN (GS1); products and units through the mapping session over erp-finance's
// read model of the item master. Lines + charges - allowances + tax must equal TDS01: a mismatch
// is dead-lettered (VALIDATE) with both figures. Missing mappings are one MAP dead letter listing
// each; add them and replay.
import { Prisma } from "../../../platform/db/generated/client.js";
import { validationError } from "../../../platform/ingest/errors.js";
import type { IngestHandler } from "../../../platform/ingest/handlers.js";
import { parseTransactionSet, separatorsOf } from "../../../platform/ingest/x12-envelope.js";
import { isRealCalendarDate } from "../../../platform/graphql/scalars.js";
import { mappingSessionFor } from "../../../platform/mapping/index.js";
import { financeMappingPorts } from "../mapping.js";
import { recordSupplierInvoice, type SupplierInvoiceCommand } from "../supplier-invoices.js";

const D = Prisma.Decimal;
type Money = Prisma.Decimal;

interface Adjustment {
  kind: "CHARGE" | "ALLOWANCE";
  code: string;
  description: string;
  amount: Money;
  lineNumber: number | null;
  where: string;
}

export interface Parsed810 {
  sender: string;
  invoiceNumber: string;
  invoiceDate: string;
  purchaseOrderNumber: string | null;
  currency: string | null;
  supplierGln: string | null;
  netDays: number | null;
  lines: {
    lineNumber: number;
    quantity: Money;
    unit: string;
    unitPrice: Money;
    amount: Money;
    buyerPart: string | null;
    vendorPart: string | null;
    gtin: string | null;
    packSize: number | null;
    where: string;
  }[];
  adjustments: Adjustment[];
  taxTotal: Money;
  statedTotal: Money;
}

const cents = (d: Money) => d.toDecimalPlaces(2, D.ROUND_HALF_UP);

function decimalOf(text: string | undefined, where: string, what: string): Money {
  if (!text || !/^-?\d{0,15}(\.\d{1,6})?$/.test(text) || text === "-" || text === ".") throw validationError(`${what} "${text ?? ""}" is not a number`, where);
  return new D(text);
}

/** N2: a whole number of cents unless it carries a decimal point (some senders write one). */
function n2(text: string | undefined, where: string, what: string): Money {
  const d = decimalOf(text, where, what);
  return text!.includes(".") ? d : d.div(100);
}

function x12Date(text: string | undefined, where: string): string {
  const day = /^\d{8}$/.test(text ?? "") ? `${text!.slice(0, 4)}-${text!.slice(4, 6)}-${text!.slice(6, 8)}` : "";
  if (!day || !isRealCalendarDate(day)) throw validationError(`date "${text ?? ""}" is not a real CCYYMMDD date`, where);
  return day;
}

/** ISA05:ISA06 of the interchange the set came in. */
function senderOf(raw: Buffer): string {
  const text = raw.toString("latin1");
  const seps = separatorsOf(text);
  const isa = text.slice(0, text.indexOf(seps.segment)).split(seps.element);
  return `${isa[5].trim()}:${isa[6].trim()}`;
}

type Segment = { tag: string; values: string[]; n: number };

/** The set as parsed: its segments and the interchange's sender. */
export interface Raw810 {
  sender: string;
  segments: Segment[];
}

function validate810Segments(segments: Segment[]): Omit<Parsed810, "sender"> {
  const at = (s: { tag: string; n: number }) => `segment ${s.n} (${s.tag})`;
  const big = segments.find((s) => s.tag === "BIG");
  if (!big) throw validationError("810 has no BIG segment");
  if (!big.values[1]) throw validationError("BIG02 (invoice number) is empty", at(big));
  const invoiceDate = x12Date(big.values[0], at(big));
  const cur = segments.find((s) => s.tag === "CUR");
  const currency = cur?.values[1] || null;
  if (currency && !/^[A-Z]{3}$/.test(currency)) throw validationError(`CUR02 "${currency}" is not an ISO 4217 code`, at(cur!));
  const itd = segments.find((s) => s.tag === "ITD");
  const netDays = itd?.values[6] ? Number(itd.values[6]) : null;
  if (netDays !== null && (!Number.isInteger(netDays) || netDays < 0 || netDays > 365))
    throw validationError(`ITD07 net days "${itd!.values[6]}" must be a whole number from 0 to 365`, at(itd!));
  const n1 = segments.find((s) => s.tag === "N1" && (s.values[0] === "SE" || s.values[0] === "VN") && s.values[2] === "9" && s.values[3]);

  const lines: Parsed810["lines"] = [];
  const adjustments: Adjustment[] = [];
  let taxTotal = new D(0);
  let statedTotal: Money | null = null;
  let afterTds = false;
  const numbers = new Set<number>();
  for (const s of segments) {
    const where = at(s);
    if (s.tag === "IT1") {
      const lineNumber = /^\d{1,6}$/.test(s.values[0] ?? "") ? Number(s.values[0]) : lines.length + 1;
      if (numbers.has(lineNumber)) throw validationError(`IT101 line ${lineNumber} appears twice`, where);
      numbers.add(lineNumber);
      const quantity = decimalOf(s.values[1], where, "IT102 quantity");
      if (quantity.lte(0)) throw validationError(`IT102 quantity must be above 0, got ${s.values[1]}`, where);
      const unit = s.values[2];
      if (!unit) throw validationError("IT103 (unit of measure) is empty", where);
      const unitPrice = decimalOf(s.values[3], where, "IT104 unit price");
      const ids = new Map<string, string>();
      for (let i = 5; i + 1 < s.values.length; i += 2) if (s.values[i] && s.values[i + 1]) ids.set(s.values[i], s.values[i + 1]);
      const buyerPart = ids.get("BP") ?? ids.get("IN") ?? null;
      const vendorPart = ids.get("VN") ?? ids.get("VP") ?? null;
      const gtin = ids.get("UP") ?? ids.get("EN") ?? ids.get("UK") ?? null;
      if (!buyerPart && !vendorPart && !gtin) throw validationError("IT1 names no item: expected BP, VN, UP, EN or UK", where);
      lines.push({ lineNumber, quantity, unit, unitPrice, amount: cents(quantity.mul(unitPrice)), buyerPart, vendorPart, gtin, packSize: null, where });
    } else if (s.tag === "PO4" && lines.length && !afterTds) {
      const pack = Number(s.values[0]);
      if (!Number.isInteger(pack) || pack < 1) throw validationError(`PO401 pack "${s.values[0]}" must be a whole number >= 1`, where);
      lines.at(-1)!.packSize = pack;
    } else if (s.tag === "CTP" && lines.length && !afterTds) {
      const line = lines.at(-1)!;
      const count = Number(s.values[3]);
      const unit = (s.values[4] ?? "").split(/[>:^]/)[0];
      if (line.packSize === null && Number.isInteger(count) && count >= 1 && unit && unit !== line.unit) line.packSize = count;
    } else if (s.tag === "SAC") {
      const kind = s.values[0] === "A" ? "ALLOWANCE" : s.values[0] === "C" ? "CHARGE" : null;
      if (!kind) {
        if (s.values[0] === "N") continue; // no charge, information only
        throw validationError(`SAC01 "${s.values[0]}" must be A (allowance), C (charge) or N`, where);
      }
      const amount = n2(s.values[4], where, "SAC05 amount");
      if (amount.isNegative()) throw validationError(`SAC05 amount must not be negative (SAC01 says whether it is an allowance), got ${s.values[4]}`, where);
      adjustments.push({
        kind,
        code: s.values[1] || "ZZZZ",
        description: s.values[14] || s.values[1] || kind.toLowerCase(),
        amount,
        lineNumber: afterTds || !lines.length ? null : lines.at(-1)!.lineNumber,
        where,
      });
    } else if (s.tag === "TXI") {
      taxTotal = taxTotal.add(decimalOf(s.values[1], where, "TXI02 tax amount"));
    } else if (s.tag === "TDS") {
      statedTotal = n2(s.values[0], where, "TDS01 total");
      afterTds = true;
    }
  }
  if (!lines.length) throw validationError("810 has no IT1 lines");
  if (!statedTotal) throw validationError("810 has no TDS segment (the invoice total)");

  // The supplier's total must be what its lines, charges, allowances and tax come to.
  const subtotal = lines.reduce((s, l) => s.add(l.amount), new D(0));
  const charges = adjustments.filter((a) => a.kind === "CHARGE").reduce((s, a) => s.add(a.amount), new D(0));
  const allowances = adjustments.filter((a) => a.kind === "ALLOWANCE").reduce((s, a) => s.add(a.amount), new D(0));
  const computed = subtotal.add(charges).sub(allowances).add(taxTotal);
  if (!computed.equals(statedTotal)) {
    const tds = segments.find((s) => s.tag === "TDS")!;
    throw validationError(
      `TDS01 total ${statedTotal.toFixed(2)} does not match the invoice's content, which comes to ${computed.toFixed(2)} (lines ${subtotal.toFixed(2)} + charges ${charges.toFixed(2)} - allowances ${allowances.toFixed(2)} + tax ${taxTotal.toFixed(2)}); difference ${statedTotal.sub(computed).toFixed(2)}`,
      at(tds),
    );
  }
  return {
    invoiceNumber: big.values[1],
    invoiceDate,
    purchaseOrderNumber: big.values[3] || null,
    currency,
    supplierGln: n1?.values[3] ?? null,
    netDays,
    lines,
    adjustments,
    taxTotal,
    statedTotal,
  };
}

export const x12SupplierInvoiceHandler: IngestHandler<Raw810, Parsed810, SupplierInvoiceCommand> = {
  source: "x12",
  kind: "810",
  parse: (raw: Buffer) => ({ sender: senderOf(raw), segments: parseTransactionSet(raw, "810").segments }),
  validate: (parsed: Raw810) => ({ ...validate810Segments(parsed.segments), sender: parsed.sender }),
  async map(valid, db, scope) {
    const session = mappingSessionFor(db, scope, "X12", "erp-finance", () => financeMappingPorts(db));
    const supplierId = await session.supplier({ references: [{ system: "X12", value: valid.sender }], gln: valid.supplierGln }, "ISA06 / N1");
    const supplier = supplierId ? await db.supplier.findUnique({ where: { id: supplierId } }) : null;
    const lines = [];
    for (const l of valid.lines) {
      const product = await session.product(
        {
          sku: l.buyerPart,
          gtin: l.gtin,
          references: l.vendorPart && supplierId ? [{ system: supplierId, value: l.vendorPart }] : l.vendorPart ? [{ system: "X12", value: l.vendorPart }] : [],
        },
        l.where,
      );
      // Quantities in 810s can be fractional; the unit conversion works on whole units and is scaled.
      const q = product ? await session.quantity(product, 1, l.unit, l.where, { system: "X12", packSize: l.packSize }) : null;
      if (product && q) {
        lines.push({
          lineNumber: l.lineNumber,
          sku: product.sku,
          vendorPartNumber: l.vendorPart,
          quantity: l.quantity,
          unit: q.unit,
          unitPrice: l.unitPrice,
          amount: l.amount,
          unitFactor: q.factor,
          baseUnit: product.baseUnit,
          baseQuantity: l.quantity.mul(q.factor),
        });
      }
    }
    if (supplierId && !supplier && !session.misses.length)
      throw validationError(`the SUPPLIER cross-reference points at supplier ${supplierId}, which does not exist in erp-finance (upsertSuppliers)`);
    // checkMappings reports every miss at once after this step; until then the command is incomplete.
    return {
      supplierId: supplierId ?? "",
      invoiceNumber: valid.invoiceNumber,
      invoiceDate: valid.invoiceDate,
      purchaseOrderNumber: valid.purchaseOrderNumber,
      currency: valid.currency ?? supplier?.currency ?? "USD",
      netDays: valid.netDays ?? supplier?.termsDays ?? null,
      lines,
      adjustments: valid.adjustments.map(({ where: _w, ...a }) => a),
      taxTotal: valid.taxTotal,
      total: valid.statedTotal,
    };
  },
  apply: (command, tx, ctx) => recordSupplierInvoice(tx, command, ctx),
};

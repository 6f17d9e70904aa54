// The CSV files exchanged with the legacy ERP (README "ERP connectors" has examples). Every file
// has a header row naming its columns (any order; extra columns are ignored), RFC 4180 quoting,
// UTF-8 with or without a byte-order mark. A file that breaks a rule is refused whole, with the
// line and column named: nothing of it is applied.
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { Prisma } from "../../../../../platform/db/generated/client.js";
import { ErpFormatError, type ErpAcknowledgement, type ErpCustomer, type ErpDocument } from "../connector.js";

export const CUSTOMER_COLUMNS = ["customerNumber", "name", "currency", "creditLimit", "paymentTerms", "termsDays", "creditHold", "gln"] as const;
export const ORDER_COLUMNS = [
  "orderNumber",
  "orderDate",
  "customerNumber",
  "customerPo",
  "currency",
  "requestedShipDate",
  "shipToName",
  "shipToAddress",
  "lineNumber",
  "itemNumber",
  "quantity",
  "unit",
  "unitPrice",
] as const;
export const ACK_COLUMNS = ["documentType", "documentNumber", "status", "erpDocumentNumber", "message"] as const;
export const POSTING_COLUMNS = [
  "documentType",
  "documentNumber",
  "documentDate",
  "dueDate",
  "customerNumber",
  "currency",
  "customerPo",
  "orderReference",
  "appliesToInvoice",
  "lineType",
  "lineNumber",
  "itemNumber",
  "sku",
  "quantity",
  "unit",
  "unitPrice",
  "amount",
  "documentTotal",
] as const;

/** Columns of the posting export that may be empty (a charge row has no unit, an invoice applies to no invoice...). */
const POSTING_OPTIONAL = new Set(["dueDate", "customerPo", "orderReference", "appliesToInvoice", "itemNumber", "sku", "unit"]);

/** Columns that may be empty. */
const OPTIONAL = new Set([
  "currency",
  "gln",
  "creditHold",
  "customerPo",
  "requestedShipDate",
  "shipToName",
  "shipToAddress",
  "unit",
  "unitPrice",
  "erpDocumentNumber",
  "message",
]);

export type CsvRecord = Record<string, string> & { __line: string };

/** Rows as records, each with its line number; the header must name every required column. */
export function readCsv(bytes: Buffer, columns: readonly string[], optional: ReadonlySet<string> = OPTIONAL): CsvRecord[] {
  let rows: string[][];
  try {
    rows = parse(bytes, { bom: true, skip_empty_lines: true, relax_column_count: false, trim: true });
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw new ErpFormatError(`not valid CSV: ${e.message.replace(/^Invalid Record Length: /, "")}`, e.lines ? `line ${e.lines}` : null);
  }
  if (!rows.length) throw new ErpFormatError("the file is empty (no header row)");
  const header = rows[0];
  const missing = columns.filter((c) => !header.includes(c));
  if (missing.length)
    throw new ErpFormatError(`the header lacks column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (expected ${columns.join(",")})`, "line 1");
  if (rows.length === 1) throw new ErpFormatError("the file has a header but no rows");
  return rows.slice(1).map((row, i) => {
    const record = { __line: `line ${i + 2}` } as CsvRecord;
    header.forEach((name, k) => (record[name] = row[k] ?? ""));
    for (const c of columns) if (!optional.has(c) && !record[c]) throw new ErpFormatError(`column ${c} is empty`, record.__line);
    return record;
  });
}

const fail = (r: CsvRecord, column: string, message: string): never => {
  throw new ErpFormatError(`column ${column} ${message}, got "${r[column]}"`, r.__line);
};

function money(r: CsvRecord, column: string): string {
  if (!/^-?\d{1,12}(\.\d{1,4})?$/.test(r[column])) fail(r, column, "must be a decimal amount such as 1250.00");
  return new Prisma.Decimal(r[column]).toFixed(2);
}

function wholeNumber(r: CsvRecord, column: string, min: number, max: number): number {
  const n = /^\d{1,10}$/.test(r[column]) ? Number(r[column]) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) fail(r, column, `must be a whole number from ${min} to ${max}`);
  return n;
}

function yesNo(r: CsvRecord, column: string): boolean {
  const v = r[column].toUpperCase();
  if (["", "N", "NO", "FALSE", "0"].includes(v)) return false;
  if (["Y", "YES", "TRUE", "1"].includes(v)) return true;
  return fail(r, column, "must be Y or N");
}

export function parseCustomers(bytes: Buffer): ErpCustomer[] {
  const seen = new Map<string, string>();
  return readCsv(bytes, CUSTOMER_COLUMNS).map((r) => {
    const earlier = seen.get(r.customerNumber);
    if (earlier) throw new ErpFormatError(`customer ${r.customerNumber} is listed twice (also at ${earlier})`, r.__line);
    seen.set(r.customerNumber, r.__line);
    if (r.currency && !/^[A-Z]{3}$/.test(r.currency)) fail(r, "currency", "must be an ISO 4217 code such as USD");
    const limit = money(r, "creditLimit");
    if (new Prisma.Decimal(limit).isNegative()) fail(r, "creditLimit", "must not be negative");
    return {
      number: r.customerNumber,
      name: r.name,
      currency: r.currency || null,
      creditLimit: limit,
      paymentTerms: r.paymentTerms,
      termsDays: wholeNumber(r, "termsDays", 0, 365),
      creditHold: yesNo(r, "creditHold"),
      gln: r.gln || null,
      where: r.__line,
    };
  });
}

export function parseAcknowledgements(bytes: Buffer): ErpAcknowledgement[] {
  return readCsv(bytes, ACK_COLUMNS).map((r) => {
    const documentType = r.documentType.toUpperCase();
    if (documentType !== "INVOICE" && documentType !== "CREDIT_MEMO") fail(r, "documentType", "must be INVOICE or CREDIT_MEMO");
    const status = r.status.toUpperCase();
    if (status !== "POSTED" && status !== "REJECTED" && status !== "DUPLICATE") fail(r, "status", "must be POSTED, REJECTED or DUPLICATE");
    if (status !== "REJECTED" && !r.erpDocumentNumber) fail(r, "erpDocumentNumber", `must be given when status is ${status}`);
    if (status === "REJECTED" && !r.message) fail(r, "message", "must say why when status is REJECTED");
    return {
      documentType: documentType as ErpAcknowledgement["documentType"],
      documentNumber: r.documentNumber,
      status: status as ErpAcknowledgement["status"],
      erpDocumentNumber: r.erpDocumentNumber || null,
      message: r.message || null,
      where: r.__line,
    };
  });
}

/** The orders file split per order: each order's rows with the header, bytes as in the file, for its own inbound message. */
export function splitOrders(bytes: Buffer): { orderNumber: string; firstLine: number; csv: string }[] {
  const records = readCsv(bytes, ORDER_COLUMNS);
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
  const physical = text.split(/\r?\n/);
  const rowLines = physical.map((l, i) => ({ l, n: i + 1 })).filter((x, i) => i > 0 && x.l.trim() !== "");
  // Each order's rows are cut out of the file by line, so a row must be one line: a quoted value
  // with a line break in it (fewer records than lines) is refused.
  if (rowLines.length !== records.length) throw new ErpFormatError("a quoted value spans lines; the orders file must have one row per line");
  const groups = new Map<string, { firstLine: number; lines: string[] }>();
  records.forEach((r, i) => {
    const g = groups.get(r.orderNumber) ?? { firstLine: rowLines[i].n, lines: [] };
    g.lines.push(rowLines[i].l);
    groups.set(r.orderNumber, g);
  });
  return [...groups].map(([orderNumber, g]) => ({ orderNumber, firstLine: g.firstLine, csv: [physical[0], ...g.lines].join("\n") }));
}

/** The posting export: one row per item line, charge, allowance and tax of each document; documentTotal repeats on every row. */
export function formatPostingBatch(documents: ErpDocument[]): string {
  const rows: string[][] = [[...POSTING_COLUMNS]];
  for (const d of documents) {
    const head = [
      d.type,
      d.number,
      d.date,
      d.dueDate ?? "",
      d.customerNumber,
      d.currency,
      d.customerPo ?? "",
      d.orderReference ?? "",
      d.appliesToInvoice ?? "",
    ];
    const row = (lineType: string, lineNumber: number, itemNumber: string, sku: string, quantity: string, unit: string, unitPrice: string, amount: string) =>
      rows.push([...head, lineType, String(lineNumber), itemNumber, sku, quantity, unit, unitPrice, amount, d.total]);
    for (const l of d.lines) row("ITEM", l.lineNumber, l.itemNumber, l.sku, String(l.quantity), l.unit, l.unitPrice, l.amount);
    d.charges.forEach((c, i) => row("CHARGE", i + 1, c.code, c.description, "1", "", c.amount, c.amount));
    d.allowances.forEach((a, i) => row("ALLOWANCE", i + 1, a.code, a.description, "1", "", a.amount, a.amount));
    if (!new Prisma.Decimal(d.taxTotal).isZero()) row("TAX", 1, "", "", "1", "", d.taxTotal, d.taxTotal);
  }
  return stringify(rows, { record_delimiter: "\r\n" });
}

/** The posting export read back (the file ERP stand-in, tests): documents with their rows. */
export function parsePostingBatch(bytes: Buffer): { documentType: string; documentNumber: string; customerNumber: string; total: string; rows: CsvRecord[] }[] {
  const byDoc = new Map<string, { documentType: string; documentNumber: string; customerNumber: string; total: string; rows: CsvRecord[] }>();
  for (const r of readCsv(bytes, POSTING_COLUMNS, POSTING_OPTIONAL)) {
    const key = `${r.documentType}:${r.documentNumber}`;
    const d = byDoc.get(key) ?? {
      documentType: r.documentType,
      documentNumber: r.documentNumber,
      customerNumber: r.customerNumber,
      total: r.documentTotal,
      rows: [],
    };
    d.rows.push(r);
    byDoc.set(key, d);
  }
  return [...byDoc.values()];
}

export function formatCsv(columns: readonly string[], rows: Record<string, string | number | null | undefined>[]): string {
  return stringify([[...columns], ...rows.map((r) => columns.map((c) => (r[c] == null ? "" : String(r[c]))))], { record_delimiter: "\r\n" });
}

// A sales order keyed into a business unit's ERP, as an order channel: the ERP's document ->
// the canonical order command (subgraphs/orders/command.ts; docs/decisions.md "The canonical
// order command"). app/ingest-handlers.ts wraps it with the orders domain's channel handler, so
// it is captured like any other channel's order (mapping, pricing, credit check, lifecycle) and
// orders' tables are written by orders only.
//   - the ERP's customer number is a CUSTOMER cross-reference under the ERP's system (customer
//     imports write them), its item numbers PRODUCT cross-references (else our sku), its unit
//     codes UNIT cross-references (else a unit the product knows);
//   - the order keeps the ERP's order number as an external ref (system = the ERP's system), and
//     the customer's PO (Business Central externalDocumentNumber) as customerPo;
//   - idempotency key: <business unit>:<ERP order number>.
import { z } from "zod";
import { parse as parseCsv } from "csv-parse/sync";
import { parseError, validationError } from "../../../../platform/ingest/errors.js";
import { isRealCalendarDate } from "../../../../platform/graphql/scalars.js";
import { bcSalesOrder, type BcSalesOrder } from "./business-central/shapes.js";
import { ORDER_COLUMNS } from "./file-exchange/formats.js";
import { SALES_ORDER_FORMAT_BC, SALES_ORDER_FORMAT_CSV } from "./sales-order-envelope.js";

export const ERP_SALES_ORDER_SOURCE = "erp";
export const ERP_SALES_ORDER_KIND = "sales-order";

const envelope = z.object({
  format: z.enum([SALES_ORDER_FORMAT_BC, SALES_ORDER_FORMAT_CSV]),
  businessUnitId: z.string().min(1),
  system: z.string().min(1),
  order: z.unknown(),
});

const date = z.string().refine((d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && isRealCalendarDate(d), "must be a date YYYY-MM-DD");
const csvRow = z.object({
  orderNumber: z.string().min(1),
  orderDate: date,
  customerNumber: z.string().min(1),
  customerPo: z.string(),
  currency: z.string().refine((c) => c === "" || /^[A-Z]{3}$/.test(c), "must be an ISO 4217 code or empty"),
  requestedShipDate: z.string().refine((d) => d === "" || (/^\d{4}-\d{2}-\d{2}$/.test(d) && isRealCalendarDate(d)), "must be a date YYYY-MM-DD or empty"),
  shipToName: z.string(),
  shipToAddress: z.string(),
  lineNumber: z.string().regex(/^\d{1,5}$/, "must be a line number"),
  itemNumber: z.string().min(1),
  quantity: z.string().regex(/^\d{1,9}$/, "must be a whole number"),
  unit: z.string(),
  unitPrice: z.string().refine((p) => p === "" || /^\d{1,10}(\.\d{1,4})?$/.test(p), "must be a decimal amount or empty"),
});
type CsvRow = z.infer<typeof csvRow>;

export type ValidSalesOrder =
  | { format: typeof SALES_ORDER_FORMAT_BC; businessUnitId: string; system: string; order: BcSalesOrder }
  | { format: typeof SALES_ORDER_FORMAT_CSV; businessUnitId: string; system: string; file: string; rows: CsvRow[] };

const issue = (e: z.ZodError, prefix: string) => {
  const i = e.issues[0];
  return `${prefix}${i.path.length ? `${i.path.join(".")}: ` : ""}${i.message}`;
};

export const erpSalesOrderSpec = {
  source: ERP_SALES_ORDER_SOURCE,
  kind: ERP_SALES_ORDER_KIND,
  parse(raw: Buffer) {
    try {
      return JSON.parse(raw.toString("utf8")) as unknown;
    } catch (err) {
      throw parseError(`the sales-order envelope is not JSON: ${(err as Error).message}`);
    }
  },
  validate(parsed: unknown): ValidSalesOrder {
    const e = envelope.safeParse(parsed);
    if (!e.success) throw validationError(issue(e.error, "envelope: "));
    const { format, businessUnitId, system } = e.data;
    if (format === SALES_ORDER_FORMAT_BC) {
      const o = bcSalesOrder.safeParse(e.data.order);
      if (!o.success) throw validationError(issue(o.error, "salesOrder."));
      return { format, businessUnitId, system, order: o.data };
    }
    const part = z.object({ file: z.string(), firstLine: z.number().int(), csv: z.string() }).safeParse(e.data.order);
    if (!part.success) throw validationError(issue(part.error, "order."));
    let rows: Record<string, string>[];
    try {
      rows = parseCsv(part.data.csv, { columns: true, skip_empty_lines: true, trim: true });
    } catch (err) {
      throw parseError(`${part.data.file}: not valid CSV: ${(err as Error).message}`);
    }
    const valid = rows.map((r, i) => {
      const row = csvRow.safeParse(Object.fromEntries(ORDER_COLUMNS.map((c) => [c, r[c] ?? ""])));
      if (!row.success) throw validationError(issue(row.error, `${part.data.file} line ${part.data.firstLine + i}: `));
      return row.data;
    });
    const first = valid[0];
    for (const r of valid) {
      for (const c of ["orderDate", "customerNumber", "customerPo", "currency", "requestedShipDate", "shipToName", "shipToAddress"] as const) {
        if (r[c] !== first[c])
          throw validationError(`${part.data.file}: order ${first.orderNumber} has different ${c} values on its rows ("${first[c]}", "${r[c]}")`);
      }
    }
    return { format, businessUnitId, system, file: part.data.file, rows: valid };
  },
  toCommand(valid: ValidSalesOrder): unknown {
    const { businessUnitId, system } = valid;
    if (valid.format === SALES_ORDER_FORMAT_BC) {
      const o = valid.order;
      const address = [o.shipToAddressLine1, o.shipToAddressLine2, [o.shipToCity, o.shipToState, o.shipToPostCode].filter(Boolean).join(" ")]
        .filter((s) => s && s.trim())
        .join(", ");
      const items = o.salesOrderLines.filter((l) => l.lineType === "Item");
      if (!items.length) throw validationError(`sales order ${o.number} has no item lines`);
      const sourceUpdatedAt = new Date(o.lastModifiedDateTime);
      if (Number.isNaN(sourceUpdatedAt.getTime())) throw validationError(`salesOrder.lastModifiedDateTime: "${o.lastModifiedDateTime}" is not a date-time`);
      // A "sync" (the orders channel's action for sources that version their orders): a change keyed
      // into the ERP later updates the captured order (ship-to), an older version is RECONCILED.
      const command = {
        channel: "ERP",
        system,
        idempotencyKey: `${businessUnitId}:${o.number}`,
        customer: { references: [{ system, value: o.customerNumber }] },
        customerPo: o.externalDocumentNumber || null,
        externalRefs: [{ system, value: o.number }],
        currency: o.currencyCode || null,
        requestedDeliveryDate: o.requestedDeliveryDate && o.requestedDeliveryDate !== "0001-01-01" ? o.requestedDeliveryDate : null,
        shipTo: o.shipToName || address ? { name: o.shipToName || null, address: address || null } : null,
        lines: items.map((l, i) => ({
          // BC numbers lines 10000, 20000...: kept when they fit our line numbers.
          lineNumber: l.sequence >= 1 && l.sequence <= 99_999 ? l.sequence : i + 1,
          sku: l.lineObjectNumber,
          quantity: l.quantity,
          unit: l.unitOfMeasureCode || null,
          buyerUnitPrice: l.unitPrice == null ? null : l.unitPrice.toFixed(4),
          requestedDate: l.shipmentDate && l.shipmentDate !== "0001-01-01" ? l.shipmentDate : null,
        })),
      };
      return { action: "sync", command, sourceUpdatedAt };
    }
    const first = valid.rows[0];
    return {
      channel: "ERP",
      system,
      idempotencyKey: `${businessUnitId}:${first.orderNumber}`,
      customer: { references: [{ system, value: first.customerNumber }] },
      customerPo: first.customerPo || null,
      externalRefs: [{ system, value: first.orderNumber }],
      currency: first.currency || null,
      requestedShipDate: first.requestedShipDate || null,
      shipTo: first.shipToName || first.shipToAddress ? { name: first.shipToName || null, address: first.shipToAddress || null } : null,
      lines: valid.rows.map((r) => ({
        lineNumber: Number(r.lineNumber),
        sku: r.itemNumber,
        quantity: Number(r.quantity),
        unit: r.unit || null,
        buyerUnitPrice: r.unitPrice || null,
      })),
    };
  },
};

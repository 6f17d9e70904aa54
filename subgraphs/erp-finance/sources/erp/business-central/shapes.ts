// The Business Central API v2.0 resources this connector reads, as zod schemas (only the fields
// used; BC sends many more, which are ignored). Field names and value sets as Microsoft documents
// them (api-reference/v2.0/resources: customer, paymentTerm, salesOrder, salesOrderLine,
// salesInvoice, salesCreditMemo).
import { z } from "zod";

const decimal = z.number().finite();

export const bcCustomer = z.object({
  id: z.string(),
  number: z.string().min(1),
  displayName: z.string(),
  currencyCode: z.string().default(""),
  creditLimit: decimal.default(0),
  paymentTermsId: z.string().nullish(),
  /** " ", "Ship", "Invoice" or "All". */
  blocked: z.string().default(" "),
  lastModifiedDateTime: z.string(),
});
export type BcCustomer = z.infer<typeof bcCustomer>;

export const bcPaymentTerm = z.object({
  id: z.string(),
  code: z.string(),
  displayName: z.string().nullish(),
  /** A date formula: 30D, 2W, 1M, CM+10D... */
  dueDateCalculation: z.string().default(""),
});
export type BcPaymentTerm = z.infer<typeof bcPaymentTerm>;

export const bcSalesOrderLine = z.object({
  sequence: z.number().int(),
  lineType: z.string(),
  lineObjectNumber: z.string().default(""),
  description: z.string().nullish(),
  unitOfMeasureCode: z.string().nullish(),
  quantity: decimal,
  unitPrice: decimal.nullish(),
  shipmentDate: z.string().nullish(),
});

export const bcSalesOrder = z.object({
  id: z.string(),
  number: z.string().min(1),
  externalDocumentNumber: z.string().default(""),
  orderDate: z.string(),
  customerNumber: z.string().min(1),
  currencyCode: z.string().default(""),
  requestedDeliveryDate: z.string().nullish(),
  shipToName: z.string().nullish(),
  shipToAddressLine1: z.string().nullish(),
  shipToAddressLine2: z.string().nullish(),
  shipToCity: z.string().nullish(),
  shipToState: z.string().nullish(),
  shipToPostCode: z.string().nullish(),
  /** "Draft", "In Review" or "Open". */
  status: z.string(),
  lastModifiedDateTime: z.string(),
  salesOrderLines: z.array(bcSalesOrderLine).default([]),
});
export type BcSalesOrder = z.infer<typeof bcSalesOrder>;

/** salesInvoices and salesCreditMemos share what posting reads. */
export const bcSalesDocument = z.object({
  id: z.string(),
  number: z.string(),
  externalDocumentNumber: z.string().default(""),
  /** " ", "Draft", "In Review", "Open", "Paid", "Canceled" or "Corrective". */
  status: z.string(),
  totalAmountIncludingTax: decimal.nullish(),
  "@odata.etag": z.string().nullish(),
});
export type BcSalesDocument = z.infer<typeof bcSalesDocument>;

/** Days in a BC date formula for payment terms: 30D, 2W, 1M (30 days), else null (not understood). */
export function formulaDays(formula: string): number | null {
  const m = /^\s*(\d{1,3})\s*([DWM])\s*$/i.exec(formula);
  if (!m) return null;
  const n = Number(m[1]);
  return m[2].toUpperCase() === "D" ? n : m[2].toUpperCase() === "W" ? n * 7 : n * 30;
}

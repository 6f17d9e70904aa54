// The typed payloads of the events erp-finance publishes, shared by it and whoever consumes them.
// Each is also declared with its zod schema (platform/events/types.ts): appendEvents refuses a
// payload that does not fit, or an undeclared type.
import { z } from "zod";
import { defineEvent } from "../../platform/events/types.js";

/** A document reached its business unit's ERP (posted now, or found already posted there). */
export const ERP_DOCUMENT_POSTED = "ErpDocumentPosted";
export interface ErpDocumentPostedPayload {
  postingId: string;
  documentType: "INVOICE" | "CREDIT_MEMO";
  documentId: string;
  documentNumber: string;
  businessUnitId: string;
  erpDocumentNumber: string;
  /** True when the ERP already had it (an earlier attempt's answer was lost): nothing was posted twice. */
  foundExisting: boolean;
  attempts: number;
  corrections: number;
}

/** A posting became an exception (rejected, kept failing, no acknowledgement, not configured). */
export const ERP_POSTING_FAILED = "ErpPostingFailed";
export interface ErpPostingFailedPayload {
  postingId: string;
  documentType: "INVOICE" | "CREDIT_MEMO";
  documentId: string;
  documentNumber: string;
  businessUnitId: string;
  errorKind: "UNAVAILABLE" | "REJECTED" | "NO_ACKNOWLEDGEMENT" | "CONFIGURATION";
  error: string;
  attempts: number;
}

/** A credit memo was created (createCreditMemo). */
export const CREDIT_MEMO_CREATED = "CreditMemoCreated";
export interface CreditMemoCreatedPayload {
  creditMemoId: string;
  creditMemoNumber: string;
  invoiceId: string | null;
  orderId: string | null;
  customerId: string;
  businessUnitId: string;
  currency: string;
  total: string;
  sourceReference: string | null;
}

/** A supplier invoice (inbound X12 810) was recorded. */
export const SUPPLIER_INVOICE_RECORDED = "SupplierInvoiceRecorded";
export interface SupplierInvoiceRecordedPayload {
  supplierInvoiceId: string;
  supplierId: string;
  invoiceNumber: string;
  purchaseOrderNumber: string | null;
  currency: string;
  total: string;
}

/** Customers' credit limits, terms or holds changed by an import from the ERP. */
export const CUSTOMER_CHANGED = "CustomerChanged";
export interface CustomerChangedPayload {
  customerId: string;
  businessUnitId: string;
  erpNumber: string;
  created: boolean;
  creditLimit: string;
  paymentTerms: string;
  termsDays: number;
  creditHold: boolean;
}

const documentType = z.enum(["INVOICE", "CREDIT_MEMO"]);

export const ErpDocumentPostedEvent = defineEvent(
  ERP_DOCUMENT_POSTED,
  "ErpPosting",
  z.object({
    postingId: z.string(),
    documentType,
    documentId: z.string(),
    documentNumber: z.string(),
    businessUnitId: z.string(),
    erpDocumentNumber: z.string(),
    foundExisting: z.boolean(),
    attempts: z.number().int(),
    corrections: z.number().int(),
  }),
);

export const ErpPostingFailedEvent = defineEvent(
  ERP_POSTING_FAILED,
  "ErpPosting",
  z.object({
    postingId: z.string(),
    documentType,
    documentId: z.string(),
    documentNumber: z.string(),
    businessUnitId: z.string(),
    errorKind: z.enum(["UNAVAILABLE", "REJECTED", "NO_ACKNOWLEDGEMENT", "CONFIGURATION"]),
    error: z.string(),
    attempts: z.number().int(),
  }),
);

export const CreditMemoCreatedEvent = defineEvent(
  CREDIT_MEMO_CREATED,
  "CreditMemo",
  z.object({
    creditMemoId: z.string(),
    creditMemoNumber: z.string(),
    invoiceId: z.string().nullable(),
    orderId: z.string().nullable(),
    customerId: z.string(),
    businessUnitId: z.string(),
    currency: z.string(),
    total: z.string(),
    sourceReference: z.string().nullable(),
  }),
);

export const SupplierInvoiceRecordedEvent = defineEvent(
  SUPPLIER_INVOICE_RECORDED,
  "SupplierInvoice",
  z.object({
    supplierInvoiceId: z.string(),
    supplierId: z.string(),
    invoiceNumber: z.string(),
    purchaseOrderNumber: z.string().nullable(),
    currency: z.string(),
    total: z.string(),
  }),
);

export const CustomerChangedEvent = defineEvent(
  CUSTOMER_CHANGED,
  "Customer",
  z.object({
    customerId: z.string(),
    businessUnitId: z.string(),
    erpNumber: z.string(),
    created: z.boolean(),
    creditLimit: z.string(),
    paymentTerms: z.string(),
    termsDays: z.number().int(),
    creditHold: z.boolean(),
  }),
);

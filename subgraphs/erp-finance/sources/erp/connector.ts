// The one interface behind which every kind of ERP sits, chosen per business unit
// (finance.ErpConnector): a cloud ERP over REST/JSON (Business Central API v2.0 shapes) or a
// legacy ERP exchanging CSV files in folders. A connector only talks to its ERP and speaks in
// canonical values; it never writes to our database. The posting worker and the ERP sync
// (subgraphs/erp-finance/posting, erp-sync) decide what its answers mean for our records.

/** A document to post, as every ERP kind receives it. Amounts are decimal strings. */
export interface ErpDocument {
  type: "INVOICE" | "CREDIT_MEMO";
  /** Our document number: the idempotency key the ERP checks (externalDocumentNumber, the file's documentNumber). */
  number: string;
  /** YYYY-MM-DD */
  date: string;
  dueDate: string | null;
  /** The customer's number in this ERP. */
  customerNumber: string;
  currency: string;
  customerPo: string | null;
  /** Our order id, for the ERP's reference. */
  orderReference: string | null;
  /** A credit memo: the invoice it credits (our number). */
  appliesToInvoice: string | null;
  lines: ErpDocumentLine[];
  charges: ErpAdjustment[];
  allowances: ErpAdjustment[];
  taxTotal: string;
  /** Lines + charges - allowances + tax: what the ERP's total must come to. */
  total: string;
}

export interface ErpDocumentLine {
  lineNumber: number;
  /** The item's number in this ERP (a PRODUCT cross-reference under the connector's system), else our sku. */
  itemNumber: string;
  sku: string;
  quantity: number;
  unit: string;
  unitPrice: string;
  amount: string;
}

export interface ErpAdjustment {
  code: string;
  description: string;
  amount: string;
}

/** What delivering one document came to. */
export type DeliveryOutcome =
  /** The ERP has it posted: now, or already (found by its number, so nothing was posted twice). */
  | {
      status: "POSTED";
      erpDocumentId: string | null;
      erpDocumentNumber: string;
      foundExisting: boolean;
      erpTotal: string | null;
      detail: string;
      httpStatus?: number;
      durationMs: number;
    }
  /** Handed over for asynchronous posting (a batch file); the acknowledgement decides. */
  | { status: "SENT"; batchFile: string; detail: string; durationMs: number }
  /** Not reached, 5xx, 429, a timeout: try again later. */
  | { status: "UNAVAILABLE"; reason: string; httpStatus?: number; durationMs: number }
  /** The ERP refused the document (validation): an exception until someone fixes the cause. */
  | { status: "REJECTED"; reason: string; httpStatus?: number; durationMs: number }
  /** We cannot talk to this ERP as configured (credentials refused, no folder): an exception. */
  | { status: "CONFIGURATION"; reason: string; httpStatus?: number; durationMs: number };

/** A customer as an ERP holds it, in canonical terms. */
export interface ErpCustomer {
  number: string;
  name: string;
  /** ISO 4217; null: the business unit's currency. */
  currency: string | null;
  creditLimit: string;
  paymentTerms: string;
  termsDays: number;
  /** Blocked for invoicing or everything in the ERP: a credit hold here. */
  creditHold: boolean;
  gln: string | null;
  /** Where in the source (page, file line), for messages. */
  where: string;
}

/** A sales order keyed into the ERP, as a message for the ingestion pipeline (orders capture it). */
export interface ErpSalesOrderMessage {
  /** The ERP's order number. */
  number: string;
  /** Unique per version of the order: a repeat of the same version is a duplicate message. */
  idempotencyKey: string;
  /** The order as the ERP gave it, in the envelope the sales-order adapter reads (sources/erp/sales-order.ts). */
  raw: Buffer;
}

/** An acknowledgement of a posted or refused document (the file ERP's ack file). */
export interface ErpAcknowledgement {
  documentType: "INVOICE" | "CREDIT_MEMO";
  documentNumber: string;
  /** POSTED, REJECTED, or DUPLICATE (the ERP already had that number: posted before, as erpDocumentNumber). */
  status: "POSTED" | "REJECTED" | "DUPLICATE";
  erpDocumentNumber: string | null;
  message: string | null;
  where: string;
}

export type InboundContent =
  /** `problems`: records that could not be read (named), while the others are applied. */
  | { entity: "CUSTOMERS"; customers: ErpCustomer[]; problems?: string[] }
  | { entity: "SALES_ORDERS"; orders: ErpSalesOrderMessage[] }
  | { entity: "ACKNOWLEDGEMENTS"; acknowledgements: ErpAcknowledgement[] };

export type InboundEntity = InboundContent["entity"];

/**
 * One unit of what an ERP has for us: a page range of a cloud pull, or one file. The sync
 * service reads it, applies it, then settles it: a file is moved to archive/ or error/ (with a
 * reason), a cloud pull's cursor advances.
 */
export interface InboundUnit {
  /** "inbound/customers_20261128.csv", "customers modified since 2026-11-28T10:00:00Z". */
  name: string;
  /** null: a file whose name says no known kind (it goes to error/). */
  entity: InboundEntity | null;
  /** sha256 of a file's bytes (a file is applied once per content); null for cloud pulls. */
  contentHash: string | null;
  /** Reads the content; throws ErpFormatError naming what is wrong and where. */
  read(): Promise<InboundContent>;
  /** The cursor to store once this unit is applied (cloud pulls). */
  cursor: { entity: InboundEntity; value: string } | null;
  /** Done with it: APPLIED or DUPLICATE (archived), REJECTED (to error/ with the reason). Returns where a file went. */
  settle(outcome: { state: "APPLIED" | "DUPLICATE" | "REJECTED"; reason?: string }): Promise<string | null>;
}

export interface ErpConnectorApi {
  readonly kind: "CLOUD_REST" | "FILE_EXCHANGE";
  /** The namespace of the ERP's numbers (DYNAMICS_365, SAP_ECC...). */
  readonly system: string;
  /** Posts the documents (cloud: each at once, looked up by number first) or hands them over as one batch (files). */
  deliver(documents: ErpDocument[], batchName: string): Promise<DeliveryOutcome[]>;
  /** What the ERP has for us since the cursors (cloud) or in its inbound folder (files). */
  pull(cursors: Partial<Record<InboundEntity, string>>): Promise<InboundUnit[]>;
}

/** A file or payload the ERP gave us is not in the agreed format; `where` names the line or field. */
export class ErpFormatError extends Error {
  constructor(
    message: string,
    readonly where: string | null = null,
  ) {
    super(where ? `${where}: ${message}` : message);
  }
}

/** The ERP could not be asked (network, 5xx, timeout) while pulling: try again at the next poll. */
export class ErpUnavailableError extends Error {
  constructor(
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}

/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A calendar date, YYYY-MM-DD. */
  Date: { input: string; output: string; }
  /** An instant in time, ISO 8601 with offset (2026-11-28T06:45:11.000Z). */
  DateTime: { input: string; output: string; }
  /** An exact decimal number, as a string ("1234.50"). Money is never a float. */
  Decimal: { input: string; output: string; }
  /** Any JSON value. */
  JSON: { input: unknown; output: unknown; }
  join__DirectiveArguments: { input: any; output: any; }
  join__FieldSet: { input: any; output: any; }
  link__Import: { input: any; output: any; }
  requiresScopes__Scope: { input: any; output: any; }
};

export type AuthorizeReturnInput = {
  lines: Array<ReturnLineInput>;
  /** The location the goods come back to. */
  locationId: Scalars['ID']['input'];
  orderId: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};

/** What a buyer price different from ours does to the order. */
export type BuyerPricePolicy =
  /** Our price is used and the difference is a warning on the order. */
  | 'ACCEPT_WITH_WARNING'
  /** The order waits in PRICE_HOLD until released. */
  | 'HOLD';

/** What order capture answered. */
export type CaptureOutcome =
  | 'ACCEPTED'
  /** Credit was not approved, or could not be checked in time: the order waits for a credit decision. */
  | 'CREDIT_HOLD'
  /** A buyer price differs from ours (or there is no price) under a HOLD policy. */
  | 'PRICE_HOLD'
  /** Not taken: the reasons say why. */
  | 'REJECTED';

export type CreditMemoFilter = {
  customerId?: InputMaybe<Scalars['ID']['input']>;
  invoiceId?: InputMaybe<Scalars['ID']['input']>;
  orderId?: InputMaybe<Scalars['ID']['input']>;
  postingStatus?: InputMaybe<Array<PostingStatus>>;
};

export type CreditMemoInput = {
  /** Default: today (UTC). */
  creditMemoDate?: InputMaybe<Scalars['Date']['input']>;
  /** Required without invoiceId. */
  customerId?: InputMaybe<Scalars['ID']['input']>;
  /** Your key (RETURN:<return id>...): a resend with the same key and content returns the first memo. */
  idempotencyKey: Scalars['String']['input'];
  /** The invoice credited: customer, currency, tax rate and default prices come from it. */
  invoiceId?: InputMaybe<Scalars['ID']['input']>;
  lines: Array<CreditMemoLineInput>;
  orderId?: InputMaybe<Scalars['ID']['input']>;
  reason: Scalars['String']['input'];
  sourceReference?: InputMaybe<Scalars['String']['input']>;
  /** A fraction (0.0825); default: the invoice's rate, else 0. */
  taxRate?: InputMaybe<Scalars['Decimal']['input']>;
};

export type CreditMemoLineInput = {
  /** The invoice line credited; default: the first line of that sku. */
  invoiceLineNumber?: InputMaybe<Scalars['Int']['input']>;
  quantity: Scalars['Int']['input'];
  sku: Scalars['String']['input'];
  /** Default: the invoice line's unit. */
  unit?: InputMaybe<Scalars['String']['input']>;
  /** Per unit; default: the invoice line's price (required without an invoice). */
  unitPrice?: InputMaybe<Scalars['Decimal']['input']>;
};

export type CreditMemoStatus =
  | 'APPLIED'
  | 'OPEN'
  | 'VOID';

/** Every given condition must hold. */
export type CrossReferenceFilter = {
  canonicalId?: InputMaybe<Scalars['String']['input']>;
  externalValue?: InputMaybe<Scalars['String']['input']>;
  kind?: InputMaybe<CrossReferenceKind>;
  system?: InputMaybe<Scalars['String']['input']>;
};

export type CrossReferenceInput = {
  canonicalId: Scalars['String']['input'];
  externalValue: Scalars['String']['input'];
  kind: CrossReferenceKind;
  system: Scalars['String']['input'];
};

/**
 * What an external value stands for. PRODUCT, LOCATION, CUSTOMER and SUPPLIER map to our ids (sku,
 * Location.id, Customer.id, Supplier.id); UNIT, STATUS, TIME_ZONE and DATE_QUALIFIER are code lists (CA -> CS; 00 -> ORIGINAL;
 * ET -> -05:00; 002 -> REQUESTED_DELIVERY).
 */
export type CrossReferenceKind =
  | 'CUSTOMER'
  | 'DATE_QUALIFIER'
  | 'LOCATION'
  | 'PRODUCT'
  | 'STATUS'
  | 'SUPPLIER'
  | 'TIME_ZONE'
  | 'UNIT';

export type CustomerFilter = {
  businessUnitId?: InputMaybe<Scalars['ID']['input']>;
  creditHold?: InputMaybe<Scalars['Boolean']['input']>;
  /** Case-insensitive match on the name. */
  search?: InputMaybe<Scalars['String']['input']>;
};

export type CustomerOrderSettingsInput = {
  buyerPricePolicy?: InputMaybe<BuyerPricePolicy>;
  /** A buyer price within this many percent of ours is not a difference. */
  priceTolerancePercent?: InputMaybe<Scalars['Decimal']['input']>;
  shipFromLocationIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type DeadLetterFilter = {
  failedStep?: InputMaybe<IngestStep>;
  kind?: InputMaybe<Scalars['String']['input']>;
  source?: InputMaybe<Scalars['String']['input']>;
};

export type DeliveryState =
  | 'DELIVERED'
  /** Attempts exhausted (DOCUMENT_DELIVERY_ATTEMPTS): see lastError, then retryDocumentDelivery. */
  | 'FAILED'
  | 'PENDING';

export type DriftOutcome =
  | 'APPLIED'
  | 'NOT_APPLIED'
  | 'STALE';

export type ErpConnectorInput = {
  /** At least 1 (default 1440: a day). */
  ackTimeoutMinutes?: InputMaybe<Scalars['Int']['input']>;
  baseUrl?: InputMaybe<Scalars['String']['input']>;
  chargeAccount?: InputMaybe<Scalars['String']['input']>;
  clientId?: InputMaybe<Scalars['String']['input']>;
  clientSecretRef?: InputMaybe<Scalars['String']['input']>;
  companyId?: InputMaybe<Scalars['String']['input']>;
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  folder?: InputMaybe<Scalars['String']['input']>;
  kind: ErpConnectorKind;
  /** 1..100 (default 8). */
  maxAttempts?: InputMaybe<Scalars['Int']['input']>;
  /** At least 1000 (default 30000). */
  pollIntervalMs?: InputMaybe<Scalars['Int']['input']>;
  scope?: InputMaybe<Scalars['String']['input']>;
  /** Default: the business unit's erpSystem. */
  system?: InputMaybe<Scalars['String']['input']>;
  taxAccount?: InputMaybe<Scalars['String']['input']>;
  tokenUrl?: InputMaybe<Scalars['String']['input']>;
};

export type ErpConnectorKind =
  /** A cloud ERP over REST/JSON with Business Central API v2.0 shapes, OAuth2 client credentials. */
  | 'CLOUD_REST'
  /** A legacy ERP exchanging CSV files in folders (inbound/, outbound/, archive/, error/). */
  | 'FILE_EXCHANGE';

export type ErpDeployment =
  | 'CLOUD'
  | 'ON_PREMISE';

export type ErpDocumentType =
  | 'CREDIT_MEMO'
  | 'INVOICE';

export type ErpErrorKind =
  /** Nothing to post with: no or disabled connector, credentials refused, no ERP customer number. */
  | 'CONFIGURATION'
  /** No acknowledgement within the connector's ackTimeoutMinutes. */
  | 'NO_ACKNOWLEDGEMENT'
  /** The ERP refused the document (validation), or acknowledged it REJECTED. */
  | 'REJECTED'
  /** The ERP could not be reached, answered 5xx or 429, or timed out (retried with backoff until maxAttempts). */
  | 'UNAVAILABLE';

export type ErpFileState =
  | 'APPLIED'
  /** The same content was applied before: archived, not applied again. */
  | 'DUPLICATE'
  /** Moved to error/ with a .reason.txt; nothing of it applied. */
  | 'REJECTED';

export type ErpPostingFilter = {
  businessUnitId?: InputMaybe<Scalars['ID']['input']>;
  documentType?: InputMaybe<ErpDocumentType>;
  errorKind?: InputMaybe<Array<ErpErrorKind>>;
  state?: InputMaybe<Array<ErpPostingState>>;
};

export type ErpPostingState =
  /** FILE_EXCHANGE: written to the outbound folder, waiting for the ERP's acknowledgement file. */
  | 'AWAITING_ACK'
  /** An exception: lastError says why; retried only on request. */
  | 'FAILED'
  /** Being delivered by a worker; one that died leaves it to be taken over after its lease. */
  | 'IN_FLIGHT'
  /** Waiting for its (next) attempt, at nextAttemptAt. */
  | 'PENDING'
  | 'POSTED';

export type ErpSystem =
  | 'DYNAMICS_365'
  | 'NETSUITE'
  | 'ORACLE_FUSION'
  | 'SAP_ECC';

/** Every given condition must hold; within a list, any value matches. */
export type ExceptionFilter = {
  /** Owning domain: operations, erp-finance, shipments. */
  domain?: InputMaybe<Array<Scalars['String']['input']>>;
  kind?: InputMaybe<Array<ExceptionKind>>;
  /** Only exceptions raised before this instant (the aged ones). */
  olderThan?: InputMaybe<Scalars['DateTime']['input']>;
  /** The source system or consumer: x12, wms, shopify (inbound); a consumer name (parked); the ERP system (postings: DYNAMICS_365, SAP_ECC…); the delivery target kind (file, http). */
  source?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Default: every state. */
  state?: InputMaybe<Array<ExceptionState>>;
};

/** What kind of failure an exception is; also the prefix of its id. */
export type ExceptionKind =
  /** An inbound message that reused an idempotency key with other content; id CONFLICT:<inbound message id>. */
  | 'CONFLICT'
  /** An inbound message that could not be applied (DEAD_LETTER); id DEAD_LETTER:<inbound message id>. */
  | 'DEAD_LETTER'
  /** An outbound document that could not be delivered (attempts exhausted); id FAILED_DELIVERY:<delivery id>. */
  | 'FAILED_DELIVERY'
  /** An invoice or credit memo the ERP rejected or that kept failing; id FAILED_POSTING:<ERP posting id>. */
  | 'FAILED_POSTING'
  /** An event a consumer failed on repeatedly and set aside; id PARKED_EVENT:<consumer>:<sequence>. */
  | 'PARKED_EVENT';

export type ExceptionState =
  /** Set aside on purpose by an operator, with a note. */
  | 'DISCARDED'
  /** Waiting for an operator (or an automatic retry in progress). */
  | 'OPEN'
  /** Fixed: a retry succeeded, or an operator resolved it with a note. */
  | 'RESOLVED';

export type ExpectedReceiptInput = {
  expectedDate: Scalars['Date']['input'];
  locationId: Scalars['ID']['input'];
  /** Base units still expected; 0 closes the receipt. */
  quantity: Scalars['Int']['input'];
  /** Purchase order, transfer or ASN number. */
  reference: Scalars['String']['input'];
  sku: Scalars['String']['input'];
};

/** (internal) The filter and position operations asks with (see platform/exceptions/remote.ts). */
export type FinanceExceptionQuery = {
  afterId?: InputMaybe<Scalars['String']['input']>;
  afterRaisedAt?: InputMaybe<Scalars['DateTime']['input']>;
  kinds?: InputMaybe<Array<Scalars['String']['input']>>;
  limit: Scalars['Int']['input'];
  olderThan?: InputMaybe<Scalars['DateTime']['input']>;
  sources?: InputMaybe<Array<Scalars['String']['input']>>;
  states?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type InboundMessageFilter = {
  correlationId?: InputMaybe<Scalars['String']['input']>;
  /** Where processing stopped (IDEMPOTENCY: conflicts). */
  failedStep?: InputMaybe<IngestStep>;
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** inventory-event, inventory_levels/update, 846… */
  kind?: InputMaybe<Scalars['String']['input']>;
  /** wms, shopify, x12 */
  source?: InputMaybe<Scalars['String']['input']>;
  state?: InputMaybe<Array<InboundState>>;
};

export type InboundState =
  /** Cannot be applied as it is: fix the cause, then replay. */
  | 'DEAD_LETTER'
  /** A repeat of an earlier message's idempotency key; not applied. */
  | 'DUPLICATE'
  /** Applying failed and will be retried. */
  | 'FAILED'
  /** Applied. */
  | 'PROCESSED'
  /** Stored, not yet processed (or interrupted: processed again at start-up). */
  | 'RECEIVED'
  /** Older than what the data already reflects; recorded, not applied. */
  | 'RECONCILED';

export type IngestStep =
  /** Applying to the owning domain; failures here are retried (FAILED) before they are dead-lettered. */
  | 'APPLY'
  /** The idempotency key was already used by a message with different content: a conflict, never applied. */
  | 'IDEMPOTENCY'
  /** Mapping identifiers and units to canonical ones (unknown item, location or unit). */
  | 'MAP'
  /** Reading the document (JSON, X12 segments). */
  | 'PARSE'
  /** Receiving and splitting the body (too large, not splittable; envelope warnings). */
  | 'RECEIVE'
  /** Structure and rules, including source times beyond the allowed clock skew and stock bounds. */
  | 'VALIDATE';

export type InventoryPositionFilter = {
  /** Only positions whose available quantity is strictly below this number. */
  belowAvailable?: InputMaybe<Scalars['Int']['input']>;
  /** Positions at this location or anywhere under it (a site includes its warehouses and zones). */
  locationId?: InputMaybe<Scalars['ID']['input']>;
  sku?: InputMaybe<Scalars['String']['input']>;
};

/** The key of one stock position. */
export type InventoryPositionKey = {
  locationId: Scalars['ID']['input'];
  sku: Scalars['String']['input'];
};

export type InventorySnapshotInput = {
  /** When the snapshot was taken (source time). */
  asOf: Scalars['DateTime']['input'];
  /**
   * false (default): only the listed positions are compared and set; nothing else changes.
   * true: a full count of the locations it covers: a position there that it does not list counts as
   * 0 and is set to 0 when applied. Run it with apply: false first; the report names each such
   * position (listed: false) and counts them (positionsZeroed).
   */
  full?: InputMaybe<Scalars['Boolean']['input']>;
  positions: Array<SnapshotPositionInput>;
  /** Who took it, recorded on the changes (default reconciliation). */
  source?: InputMaybe<Scalars['String']['input']>;
};

export type InvoiceFilter = {
  customerId?: InputMaybe<Scalars['ID']['input']>;
  orderId?: InputMaybe<Scalars['ID']['input']>;
  postingStatus?: InputMaybe<Array<PostingStatus>>;
  status?: InputMaybe<Array<InvoiceStatus>>;
};

export type InvoiceStatus =
  | 'DRAFT'
  | 'OPEN'
  | 'PAID'
  | 'VOID';

export type KpiAlertState =
  /** The value is within the threshold again (or has no sample). */
  | 'CLEARED'
  /** The value breaches the threshold. */
  | 'RAISED';

export type KpiInterval =
  | 'DAY'
  | 'HOUR';

/** A KPI window's key. */
export type KpiWindowKey = {
  businessUnitId?: InputMaybe<Scalars['ID']['input']>;
  channel?: InputMaybe<OrderChannel>;
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
};

export type LocationKind =
  | 'REGION'
  | 'SITE'
  | 'WAREHOUSE'
  | 'ZONE';

export type MilestoneCode =
  | 'DELIVERED'
  | 'EXCEPTION'
  | 'IN_TRANSIT'
  | 'OUT_FOR_DELIVERY'
  | 'PACKED'
  | 'PICKED'
  | 'PICKED_UP';

export type MilestoneInput = {
  code: MilestoneCode;
  location?: InputMaybe<Scalars['String']['input']>;
  note?: InputMaybe<Scalars['String']['input']>;
  occurredAt: Scalars['DateTime']['input'];
  shipmentId: Scalars['ID']['input'];
  source?: InputMaybe<Scalars['String']['input']>;
};

/** The sales channel an order came through (the same values as orders' OrderChannel). */
export type OrderChannel =
  | 'B2B_API'
  | 'COMMERCE'
  | 'EDI'
  /** Keyed into the business unit's ERP and pulled from it. */
  | 'ERP'
  | 'MARKETPLACE'
  | 'PORTAL';

/** Every given condition must hold (AND). Lists match any of their values. */
export type OrderFilter = {
  businessUnitId?: InputMaybe<Scalars['ID']['input']>;
  channel?: InputMaybe<Array<OrderChannel>>;
  customerId?: InputMaybe<Scalars['ID']['input']>;
  customerPo?: InputMaybe<Scalars['String']['input']>;
  /** An identifier the order carries in any source system (EDI PO number, Shopify order id, ERP sales order). */
  externalRef?: InputMaybe<Scalars['String']['input']>;
  /** Placed at or after this instant. */
  placedFrom?: InputMaybe<Scalars['DateTime']['input']>;
  /** Placed strictly before this instant. */
  placedTo?: InputMaybe<Scalars['DateTime']['input']>;
  status?: InputMaybe<Array<OrderStatus>>;
};

/** A line names its product by one of sku, gtin (8 to 14 digits) or customerPartNumber. */
export type OrderLineInput = {
  /** The customer's own part number, known through a PRODUCT cross-reference whose system is the customer id. */
  customerPartNumber?: InputMaybe<Scalars['String']['input']>;
  gtin?: InputMaybe<Scalars['String']['input']>;
  /** Default: the line's position, from 1. */
  lineNumber?: InputMaybe<Scalars['Int']['input']>;
  quantity: Scalars['Int']['input'];
  requestedDate?: InputMaybe<Scalars['Date']['input']>;
  sku?: InputMaybe<Scalars['String']['input']>;
  /** Unit of quantity (EA, CS...); default the product's base unit. */
  unit?: InputMaybe<Scalars['String']['input']>;
  /** The price the buyer expects per unit, compared with ours. */
  unitPrice?: InputMaybe<Scalars['Decimal']['input']>;
};

/** The order lifecycle; the allowed transitions are in the README (Order lifecycle). */
export type OrderStatus =
  /** Credit approved; inventory is allocating stock. */
  | 'ACCEPTED'
  /** Every line fully allocated. */
  | 'ALLOCATED'
  /** Accepted, but no stock could be allocated yet. */
  | 'BACKORDERED'
  | 'CANCELLED'
  /** Done: invoiced and nothing left to do. */
  | 'CLOSED'
  /** Waiting for a credit decision (not approved, or erp-finance could not be asked in time). */
  | 'CREDIT_HOLD'
  | 'INVOICED'
  /** Some lines or quantities allocated, the rest backordered. */
  | 'PARTIALLY_ALLOCATED'
  | 'PARTIALLY_SHIPPED'
  /** A buyer price differs from ours, or a line has no price, under a HOLD policy. */
  | 'PRICE_HOLD'
  /** Not taken (unknown customer, credit refused after a hold). */
  | 'REJECTED'
  /** Released to the warehouse for picking. */
  | 'RELEASED'
  | 'SHIPPED';

export type PlaceOrderInput = {
  /** B2B_API (default) or PORTAL. */
  channel?: InputMaybe<OrderChannel>;
  /** ISO 4217; default ORDER_DEFAULT_CURRENCY (USD). */
  currency?: InputMaybe<Scalars['String']['input']>;
  customerId: Scalars['ID']['input'];
  /** The buyer's purchase order number. */
  customerPo?: InputMaybe<Scalars['String']['input']>;
  /** The client's key for this order (a UUID, say); unique per customer. A resend with it returns the first answer. */
  idempotencyKey: Scalars['String']['input'];
  lines: Array<OrderLineInput>;
  requestedDeliveryDate?: InputMaybe<Scalars['Date']['input']>;
  requestedShipDate?: InputMaybe<Scalars['Date']['input']>;
  /** Warehouses (Location ids) to allocate from first, in order; default the customer's order settings. */
  shipFrom?: InputMaybe<Array<Scalars['ID']['input']>>;
  shipTo?: InputMaybe<ShipToInput>;
};

export type PostingStatus =
  | 'FAILED'
  | 'PENDING'
  | 'POSTED';

export type PriceInput = {
  currency: Scalars['String']['input'];
  /** Null: the list price; otherwise this customer's price list. */
  customerId?: InputMaybe<Scalars['ID']['input']>;
  sku: Scalars['String']['input'];
  unit: Scalars['String']['input'];
  unitPrice: Scalars['Decimal']['input'];
};

export type ProductFilter = {
  category?: InputMaybe<Scalars['String']['input']>;
  /** Case-insensitive match on sku, GTIN or description. */
  search?: InputMaybe<Scalars['String']['input']>;
};

export type ProductInput = {
  /** The unit stock is counted in (EA). */
  baseUnit: Scalars['String']['input'];
  brand?: InputMaybe<Scalars['String']['input']>;
  category?: InputMaybe<Scalars['String']['input']>;
  /** Other units with their size in base units; when given, they replace the product's conversions. */
  conversions?: InputMaybe<Array<UnitConversionInput>>;
  description: Scalars['String']['input'];
  gtin?: InputMaybe<Scalars['String']['input']>;
  sku: Scalars['String']['input'];
};

export type ReceiveReturnInput = {
  lines: Array<ReturnReceiptLineInput>;
  returnId: Scalars['ID']['input'];
};

export type ReturnCreditStatus =
  /** Everything that came back is credited. */
  | 'CREDITED'
  /** Nothing was left to credit on the invoices (all credited before): see note. */
  | 'NOTHING_TO_CREDIT'
  /** Some was credited; the rest had been credited before (an earlier return, a manual memo): see note. */
  | 'PARTLY_CREDITED'
  /** Part of what came back is shipped but not invoiced yet: credited when the invoice is created (see note). */
  | 'WAITING_FOR_INVOICE';

export type ReturnLineInput = {
  lineNumber: Scalars['Int']['input'];
  /** In the order line's unit; at most shipped minus what other returns of the line already authorized. */
  quantity: Scalars['Int']['input'];
};

/** What came back of one return line, by disposition (at most what is authorized and not yet received). */
export type ReturnReceiptLineInput = {
  damaged?: InputMaybe<Scalars['Int']['input']>;
  lineNumber: Scalars['Int']['input'];
  qualityHold?: InputMaybe<Scalars['Int']['input']>;
  restock?: InputMaybe<Scalars['Int']['input']>;
};

export type ReturnStatus =
  /** The customer may send the goods back. */
  | 'AUTHORIZED'
  | 'CANCELLED'
  | 'PARTIALLY_RECEIVED'
  | 'RECEIVED';

export type ShipToInput = {
  address?: InputMaybe<Scalars['String']['input']>;
  gln?: InputMaybe<Scalars['String']['input']>;
  locationId?: InputMaybe<Scalars['ID']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
};

/** (internal) The filter and position operations asks with (see platform/exceptions/remote.ts). */
export type ShipmentExceptionQuery = {
  afterId?: InputMaybe<Scalars['String']['input']>;
  afterRaisedAt?: InputMaybe<Scalars['DateTime']['input']>;
  kinds?: InputMaybe<Array<Scalars['String']['input']>>;
  limit: Scalars['Int']['input'];
  olderThan?: InputMaybe<Scalars['DateTime']['input']>;
  sources?: InputMaybe<Array<Scalars['String']['input']>>;
  states?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type ShipmentFilter = {
  carrierScac?: InputMaybe<Scalars['String']['input']>;
  orderId?: InputMaybe<Scalars['ID']['input']>;
  /** Serial Shipping Container Code of one of its packages (18 digits). */
  sscc?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<Array<ShipmentStatus>>;
  /** The shipment's or any of its packages' carrier tracking number. */
  trackingNumber?: InputMaybe<Scalars['String']['input']>;
};

export type ShipmentStatus =
  | 'DELIVERED'
  | 'EXCEPTION'
  | 'IN_TRANSIT'
  | 'PICKED'
  | 'PLANNED'
  | 'SHIPPED';

export type SnapshotPositionInput = {
  locationId: Scalars['ID']['input'];
  /** On hand in the product's base unit. */
  onHand: Scalars['Int']['input'];
  sku: Scalars['String']['input'];
};

export type SupplierInput = {
  currency: Scalars['String']['input'];
  gln?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  name: Scalars['String']['input'];
  paymentTerms?: InputMaybe<Scalars['String']['input']>;
  termsDays?: InputMaybe<Scalars['Int']['input']>;
};

export type SupplierInvoiceFilter = {
  purchaseOrderNumber?: InputMaybe<Scalars['String']['input']>;
  supplierId?: InputMaybe<Scalars['ID']['input']>;
};

export type SupplierInvoiceStatus =
  | 'APPROVED'
  | 'PAID'
  | 'RECEIVED'
  | 'VOID';

export type UnitConversionInput = {
  /** Base units in one of this unit. */
  factor: Scalars['Int']['input'];
  unit: Scalars['String']['input'];
};

export type WarehouseEndpointInput = {
  /** http(s) URL, file:<absolute folder> or folder:<name under WAREHOUSE_OUTBOX_DIR>. */
  deliverTo: Scalars['String']['input'];
  format: WarehouseOrderFormat;
  locationId: Scalars['ID']['input'];
  /** The 3PL's X12 interchange id as <ISA qualifier>:<ISA id> (ZZ:ACME3PL); required for X12_940. */
  partner?: InputMaybe<Scalars['String']['input']>;
};

export type WarehouseOrderFormat =
  /** A JSON shipping order for our own WMS. */
  | 'WMS_JSON'
  /** An X12 940 warehouse shipping order (third-party warehouse). */
  | 'X12_940';

export type WarehouseOrderStatus =
  | 'CANCELLED'
  | 'PARTIALLY_SHIPPED'
  | 'RELEASED'
  | 'SHIPPED';

export type Join__Graph =
  | 'ERP_FINANCE'
  | 'INVENTORY'
  | 'OPERATIONS'
  | 'ORDERS'
  | 'SHIPMENTS';

export type Link__Purpose =
  /** `EXECUTION` features provide metadata necessary for operation execution. */
  | 'EXECUTION'
  /** `SECURITY` features provide metadata necessary to securely resolve fields. */
  | 'SECURITY';

export type KpiSnapshotQueryVariables = Exact<{
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
  businessUnitId?: InputMaybe<Scalars['ID']['input']>;
  channel?: InputMaybe<OrderChannel>;
}>;


export type KpiSnapshotQuery = { __typename?: 'Query', kpis: { __typename?: 'KpiWindow', from: string, to: string, ordersReceived: number, shipmentsShipped: number, inventoryFreshness: { __typename?: 'InventoryFreshness', asOf: string, positions: number, p50AgeSeconds?: number | null, p95AgeSeconds?: number | null, staleCount: number, byLocation: Array<{ __typename?: 'LocationFreshness', positions: number, p95AgeSeconds?: number | null, staleCount: number, location: { __typename?: 'Location', id: string, name: string } }> }, exceptions: { __typename?: 'ExceptionKpis', opened: number, open: number, resolved: number, resolutionTime: { __typename?: 'DurationStats', count: number, p50Seconds?: number | null, p95Seconds?: number | null }, byKind: Array<{ __typename?: 'ExceptionKindCount', kind: string, opened: number, open: number }> }, orderProcessingLatency: { __typename?: 'OrderProcessingLatency', toAccepted: { __typename?: 'DurationStats', count: number, p50Seconds?: number | null, p95Seconds?: number | null }, toAllocated: { __typename?: 'DurationStats', count: number, p50Seconds?: number | null, p95Seconds?: number | null } }, fulfillmentConfirmationTime: { __typename?: 'DurationStats', count: number, p50Seconds?: number | null, p95Seconds?: number | null }, fillRate: { __typename?: 'FillRate', orders: number, unitsOrdered: number, unitsShipped: number, rate?: number | null }, perfectOrderRate: { __typename?: 'PerfectOrderRate', orders: number, perfect: number, rate?: number | null }, invoicePostingAccuracy: { __typename?: 'InvoicePostingAccuracy', invoices: number, posted: number, failed: number, pending: number, rate?: number | null } } };

export type KpiDailySeriesQueryVariables = Exact<{
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
  businessUnitId?: InputMaybe<Scalars['ID']['input']>;
  channel?: InputMaybe<OrderChannel>;
}>;


export type KpiDailySeriesQuery = { __typename?: 'Query', kpiSeries: Array<{ __typename?: 'KpiWindow', from: string, to: string, ordersReceived: number, shipmentsShipped: number, orderProcessingLatency: { __typename?: 'OrderProcessingLatency', toAccepted: { __typename?: 'DurationStats', count: number, p50Seconds?: number | null, p95Seconds?: number | null }, toAllocated: { __typename?: 'DurationStats', count: number, p50Seconds?: number | null, p95Seconds?: number | null } }, fulfillmentConfirmationTime: { __typename?: 'DurationStats', count: number, p50Seconds?: number | null, p95Seconds?: number | null }, fillRate: { __typename?: 'FillRate', orders: number, unitsOrdered: number, unitsShipped: number, rate?: number | null }, perfectOrderRate: { __typename?: 'PerfectOrderRate', orders: number, perfect: number, rate?: number | null }, invoicePostingAccuracy: { __typename?: 'InvoicePostingAccuracy', invoices: number, posted: number, failed: number, pending: number, rate?: number | null } }> };

export type KpiFiguresFragment = { __typename?: 'KpiWindow', from: string, to: string, ordersReceived: number, shipmentsShipped: number, orderProcessingLatency: { __typename?: 'OrderProcessingLatency', toAccepted: { __typename?: 'DurationStats', count: number, p50Seconds?: number | null, p95Seconds?: number | null }, toAllocated: { __typename?: 'DurationStats', count: number, p50Seconds?: number | null, p95Seconds?: number | null } }, fulfillmentConfirmationTime: { __typename?: 'DurationStats', count: number, p50Seconds?: number | null, p95Seconds?: number | null }, fillRate: { __typename?: 'FillRate', orders: number, unitsOrdered: number, unitsShipped: number, rate?: number | null }, perfectOrderRate: { __typename?: 'PerfectOrderRate', orders: number, perfect: number, rate?: number | null }, invoicePostingAccuracy: { __typename?: 'InvoicePostingAccuracy', invoices: number, posted: number, failed: number, pending: number, rate?: number | null } };

export type OrderListQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<OrderFilter>;
}>;


export type OrderListQuery = { __typename?: 'Query', orders: { __typename?: 'OrderConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'OrderEdge', cursor: string, node: { __typename?: 'Order', id: string, orderNumber: string, status: OrderStatus, channel: OrderChannel, placedAt: string, totalAmount: string, currency: string, customer?: { __typename?: 'Customer', id: string, name: string } | null } }> } };

export type OrdersPageQueryVariables = Exact<{
  first: Scalars['Int']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<OrderFilter>;
}>;


export type OrdersPageQuery = { __typename?: 'Query', orders: { __typename?: 'OrderConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, nodes: Array<{ __typename?: 'Order', id: string, status: OrderStatus, lines: Array<{ __typename?: 'OrderLine', sku: string, quantityOrdered: number, product?: { __typename?: 'Product', sku: string, description: string, positions: Array<{ __typename?: 'InventoryPosition', available: number, location: { __typename?: 'Location', name: string } }> } | null }>, shipments?: Array<{ __typename?: 'Shipment', id: string, packages: Array<{ __typename?: 'Package', sscc: string }> }> | null, invoices?: Array<{ __typename?: 'Invoice', id: string, total: string, lines: Array<{ __typename?: 'InvoiceLine', amount: string }> }> | null }> } };

export type StockDashboardSubscriptionVariables = Exact<{
  locationId?: InputMaybe<Scalars['ID']['input']>;
  belowAvailable?: InputMaybe<Scalars['Int']['input']>;
  since?: InputMaybe<Scalars['String']['input']>;
}>;


export type StockDashboardSubscription = { __typename?: 'Subscription', inventoryChanged: { __typename?: 'InventoryChangedEvent', sequence: string, occurredAt: string, reason: string, before: { __typename?: 'StockLevels', available: number }, after: { __typename?: 'StockLevels', onHand: number, allocated: number, available: number }, position?: { __typename?: 'InventoryPosition', sku: string, locationId: string, product: { __typename?: 'Product', description: string, openDemand?: number | null }, location: { __typename?: 'Location', name: string } } | null } };

export type UnifiedOrderViewQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type UnifiedOrderViewQuery = { __typename?: 'Query', order?: { __typename?: 'Order', id: string, orderNumber: string, status: OrderStatus, channel: OrderChannel, placedAt: string, customerPo?: string | null, totalAmount: string, currency: string, externalRefs: Array<{ __typename?: 'ExternalRef', system: string, value: string }>, lines: Array<{ __typename?: 'OrderLine', lineNumber: number, quantityOrdered: number, quantityShipped: number, unit: string, unitPrice: string, inBaseUnit: { __typename?: 'LineQuantities', unit: string, ordered: number }, product?: { __typename?: 'Product', sku: string, description: string, availableQuantity: number, positions: Array<{ __typename?: 'InventoryPosition', available: number, onHand: number, location: { __typename?: 'Location', id: string, name: string, kind: LocationKind } }> } | null }>, shipments?: Array<{ __typename?: 'Shipment', id: string, status: ShipmentStatus, trackingNumber?: string | null, carrier: { __typename?: 'Carrier', scac: string, name: string }, packages: Array<{ __typename?: 'Package', sscc: string, weightKg: string }>, milestones: Array<{ __typename?: 'Milestone', code: MilestoneCode, occurredAt: string, location?: string | null }> }> | null, invoices?: Array<{ __typename?: 'Invoice', id: string, invoiceNumber: string, status: InvoiceStatus, postingStatus: PostingStatus, erpDocumentNumber?: string | null, total: string, lines: Array<{ __typename?: 'InvoiceLine', lineNumber: number, sku: string, quantity: number, amount: string }> }> | null } | null };

export const KpiFiguresFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"KpiFigures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"KpiWindow"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"ordersReceived"}},{"kind":"Field","name":{"kind":"Name","value":"orderProcessingLatency"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toAccepted"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"p50Seconds"}},{"kind":"Field","name":{"kind":"Name","value":"p95Seconds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"toAllocated"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"p50Seconds"}},{"kind":"Field","name":{"kind":"Name","value":"p95Seconds"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"fulfillmentConfirmationTime"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"p50Seconds"}},{"kind":"Field","name":{"kind":"Name","value":"p95Seconds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"fillRate"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"orders"}},{"kind":"Field","name":{"kind":"Name","value":"unitsOrdered"}},{"kind":"Field","name":{"kind":"Name","value":"unitsShipped"}},{"kind":"Field","name":{"kind":"Name","value":"rate"}}]}},{"kind":"Field","name":{"kind":"Name","value":"perfectOrderRate"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"orders"}},{"kind":"Field","name":{"kind":"Name","value":"perfect"}},{"kind":"Field","name":{"kind":"Name","value":"rate"}}]}},{"kind":"Field","name":{"kind":"Name","value":"shipmentsShipped"}},{"kind":"Field","name":{"kind":"Name","value":"invoicePostingAccuracy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"invoices"}},{"kind":"Field","name":{"kind":"Name","value":"posted"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"pending"}},{"kind":"Field","name":{"kind":"Name","value":"rate"}}]}}]}}]} as unknown as DocumentNode<KpiFiguresFragment, unknown>;
export const KpiSnapshotDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"KpiSnapshot"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"businessUnitId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"channel"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"OrderChannel"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kpis"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}},{"kind":"Argument","name":{"kind":"Name","value":"businessUnitId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"businessUnitId"}}},{"kind":"Argument","name":{"kind":"Name","value":"channel"},"value":{"kind":"Variable","name":{"kind":"Name","value":"channel"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"KpiFigures"}},{"kind":"Field","name":{"kind":"Name","value":"inventoryFreshness"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"staleAfterSeconds"},"value":{"kind":"IntValue","value":"86400"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"asOf"}},{"kind":"Field","name":{"kind":"Name","value":"positions"}},{"kind":"Field","name":{"kind":"Name","value":"p50AgeSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"p95AgeSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"staleCount"}},{"kind":"Field","name":{"kind":"Name","value":"byLocation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"location"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"positions"}},{"kind":"Field","name":{"kind":"Name","value":"p95AgeSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"staleCount"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"exceptions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"opened"}},{"kind":"Field","name":{"kind":"Name","value":"open"}},{"kind":"Field","name":{"kind":"Name","value":"resolved"}},{"kind":"Field","name":{"kind":"Name","value":"resolutionTime"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"p50Seconds"}},{"kind":"Field","name":{"kind":"Name","value":"p95Seconds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"byKind"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"opened"}},{"kind":"Field","name":{"kind":"Name","value":"open"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"KpiFigures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"KpiWindow"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"ordersReceived"}},{"kind":"Field","name":{"kind":"Name","value":"orderProcessingLatency"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toAccepted"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"p50Seconds"}},{"kind":"Field","name":{"kind":"Name","value":"p95Seconds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"toAllocated"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"p50Seconds"}},{"kind":"Field","name":{"kind":"Name","value":"p95Seconds"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"fulfillmentConfirmationTime"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"p50Seconds"}},{"kind":"Field","name":{"kind":"Name","value":"p95Seconds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"fillRate"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"orders"}},{"kind":"Field","name":{"kind":"Name","value":"unitsOrdered"}},{"kind":"Field","name":{"kind":"Name","value":"unitsShipped"}},{"kind":"Field","name":{"kind":"Name","value":"rate"}}]}},{"kind":"Field","name":{"kind":"Name","value":"perfectOrderRate"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"orders"}},{"kind":"Field","name":{"kind":"Name","value":"perfect"}},{"kind":"Field","name":{"kind":"Name","value":"rate"}}]}},{"kind":"Field","name":{"kind":"Name","value":"shipmentsShipped"}},{"kind":"Field","name":{"kind":"Name","value":"invoicePostingAccuracy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"invoices"}},{"kind":"Field","name":{"kind":"Name","value":"posted"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"pending"}},{"kind":"Field","name":{"kind":"Name","value":"rate"}}]}}]}}]} as unknown as DocumentNode<KpiSnapshotQuery, KpiSnapshotQueryVariables>;
export const KpiDailySeriesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"KpiDailySeries"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"businessUnitId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"channel"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"OrderChannel"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kpiSeries"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}},{"kind":"Argument","name":{"kind":"Name","value":"businessUnitId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"businessUnitId"}}},{"kind":"Argument","name":{"kind":"Name","value":"channel"},"value":{"kind":"Variable","name":{"kind":"Name","value":"channel"}}},{"kind":"Argument","name":{"kind":"Name","value":"interval"},"value":{"kind":"EnumValue","value":"DAY"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"KpiFigures"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"KpiFigures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"KpiWindow"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"ordersReceived"}},{"kind":"Field","name":{"kind":"Name","value":"orderProcessingLatency"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"toAccepted"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"p50Seconds"}},{"kind":"Field","name":{"kind":"Name","value":"p95Seconds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"toAllocated"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"p50Seconds"}},{"kind":"Field","name":{"kind":"Name","value":"p95Seconds"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"fulfillmentConfirmationTime"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"p50Seconds"}},{"kind":"Field","name":{"kind":"Name","value":"p95Seconds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"fillRate"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"orders"}},{"kind":"Field","name":{"kind":"Name","value":"unitsOrdered"}},{"kind":"Field","name":{"kind":"Name","value":"unitsShipped"}},{"kind":"Field","name":{"kind":"Name","value":"rate"}}]}},{"kind":"Field","name":{"kind":"Name","value":"perfectOrderRate"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"orders"}},{"kind":"Field","name":{"kind":"Name","value":"perfect"}},{"kind":"Field","name":{"kind":"Name","value":"rate"}}]}},{"kind":"Field","name":{"kind":"Name","value":"shipmentsShipped"}},{"kind":"Field","name":{"kind":"Name","value":"invoicePostingAccuracy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"invoices"}},{"kind":"Field","name":{"kind":"Name","value":"posted"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"pending"}},{"kind":"Field","name":{"kind":"Name","value":"rate"}}]}}]}}]} as unknown as DocumentNode<KpiDailySeriesQuery, KpiDailySeriesQueryVariables>;
export const OrderListDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"OrderList"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"20"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"OrderFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"orders"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"orderNumber"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"placedAt"}},{"kind":"Field","name":{"kind":"Name","value":"totalAmount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<OrderListQuery, OrderListQueryVariables>;
export const OrdersPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"OrdersPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"OrderFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"orders"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sku"}},{"kind":"Field","name":{"kind":"Name","value":"quantityOrdered"}},{"kind":"Field","name":{"kind":"Name","value":"product"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sku"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"positions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"available"}},{"kind":"Field","name":{"kind":"Name","value":"location"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"shipments"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"packages"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sscc"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"invoices"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"lines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<OrdersPageQuery, OrdersPageQueryVariables>;
export const StockDashboardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"StockDashboard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"locationId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"belowAvailable"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"50"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"since"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inventoryChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"locationId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"locationId"}}},{"kind":"Argument","name":{"kind":"Name","value":"belowAvailable"},"value":{"kind":"Variable","name":{"kind":"Name","value":"belowAvailable"}}},{"kind":"Argument","name":{"kind":"Name","value":"since"},"value":{"kind":"Variable","name":{"kind":"Name","value":"since"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"before"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"available"}}]}},{"kind":"Field","name":{"kind":"Name","value":"after"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"onHand"}},{"kind":"Field","name":{"kind":"Name","value":"allocated"}},{"kind":"Field","name":{"kind":"Name","value":"available"}}]}},{"kind":"Field","name":{"kind":"Name","value":"position"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sku"}},{"kind":"Field","name":{"kind":"Name","value":"locationId"}},{"kind":"Field","name":{"kind":"Name","value":"product"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"openDemand"}}]}},{"kind":"Field","name":{"kind":"Name","value":"location"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<StockDashboardSubscription, StockDashboardSubscriptionVariables>;
export const UnifiedOrderViewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"UnifiedOrderView"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"order"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"orderNumber"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"placedAt"}},{"kind":"Field","name":{"kind":"Name","value":"customerPo"}},{"kind":"Field","name":{"kind":"Name","value":"totalAmount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"externalRefs"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"system"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lineNumber"}},{"kind":"Field","name":{"kind":"Name","value":"quantityOrdered"}},{"kind":"Field","name":{"kind":"Name","value":"quantityShipped"}},{"kind":"Field","name":{"kind":"Name","value":"unit"}},{"kind":"Field","name":{"kind":"Name","value":"unitPrice"}},{"kind":"Field","name":{"kind":"Name","value":"inBaseUnit"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unit"}},{"kind":"Field","name":{"kind":"Name","value":"ordered"}}]}},{"kind":"Field","name":{"kind":"Name","value":"product"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sku"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"availableQuantity"}},{"kind":"Field","name":{"kind":"Name","value":"positions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"available"}},{"kind":"Field","name":{"kind":"Name","value":"onHand"}},{"kind":"Field","name":{"kind":"Name","value":"location"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"shipments"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"carrier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"scac"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"trackingNumber"}},{"kind":"Field","name":{"kind":"Name","value":"packages"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sscc"}},{"kind":"Field","name":{"kind":"Name","value":"weightKg"}}]}},{"kind":"Field","name":{"kind":"Name","value":"milestones"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"location"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"invoices"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"invoiceNumber"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"postingStatus"}},{"kind":"Field","name":{"kind":"Name","value":"erpDocumentNumber"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"lines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lineNumber"}},{"kind":"Field","name":{"kind":"Name","value":"sku"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}}]}}]}}]}}]} as unknown as DocumentNode<UnifiedOrderViewQuery, UnifiedOrderViewQueryVariables>;
// The cloud ERP connector: Business Central API v2.0 over REST/JSON.
//
// Posting a document never duplicates it in the ERP: it is looked up first by its number
// (externalDocumentNumber eq '<our number>'), so a retry after a timeout, or after this process
// died between the ERP's answer and our commit, finds what the earlier attempt created:
//   - posted (Open, Paid, Corrective): done, nothing posted again;
//   - a draft left by an attempt that stopped before the post action: deleted (If-Match its
//     @odata.etag) and created again from our current content, then posted;
//   - absent: created (lines inserted with it), then posted with the bound action Microsoft.NAV.post.
// Charges and the sales tax go as G/L account lines (the connector's chargeAccount, taxAccount),
// allowances as the document's discountAmount, so the ERP's total equals ours.
import { Prisma } from "../../../../../platform/db/generated/client.js";
import type { DeliveryOutcome, ErpConnectorApi, ErpCustomer, ErpDocument, ErpSalesOrderMessage, InboundEntity, InboundUnit } from "../connector.js";
import { ErpFormatError, ErpUnavailableError } from "../connector.js";
import { BcClient, BcHttpError, BcNetworkError, odataString, type BcClientOptions } from "./client.js";
import { bcCustomer, bcPaymentTerm, bcSalesDocument, bcSalesOrder, formulaDays, type BcSalesDocument } from "./shapes.js";
import { SALES_ORDER_FORMAT_BC, salesOrderEnvelope } from "../sales-order-envelope.js";

export interface BusinessCentralSettings extends BcClientOptions {
  businessUnitId: string;
  system: string;
  chargeAccount: string;
  taxAccount: string;
  /** Documents posted at the same time by one deliver call. */
  concurrency?: number;
}

const POSTED_STATUSES = new Set(["Open", "Paid", "Corrective"]);
const DRAFT_STATUSES = new Set(["Draft", "In Review", " ", ""]);

const resourceOf = (doc: ErpDocument) =>
  doc.type === "INVOICE"
    ? { set: "salesInvoices", lines: "salesInvoiceLines", date: "invoiceDate" }
    : { set: "salesCreditMemos", lines: "salesCreditMemoLines", date: "creditMemoDate" };

/** Why an HTTP exchange failed, as a delivery outcome. */
function failure(err: unknown, started: number): DeliveryOutcome {
  const durationMs = Date.now() - started;
  if (err instanceof BcNetworkError) return { status: "UNAVAILABLE", reason: err.message, durationMs };
  if (err instanceof BcHttpError) {
    const reason = `${err.status}${err.code ? ` ${err.code}` : ""}: ${err.message}`;
    if (err.status >= 500 || err.status === 429 || err.status === 408) return { status: "UNAVAILABLE", reason, httpStatus: err.status, durationMs };
    if (err.status === 401 || err.status === 403)
      return { status: "CONFIGURATION", reason: `the ERP refused our credentials (${reason})`, httpStatus: err.status, durationMs };
    return { status: "REJECTED", reason, httpStatus: err.status, durationMs };
  }
  throw err;
}

export class BusinessCentralConnector implements ErpConnectorApi {
  readonly kind = "CLOUD_REST" as const;
  readonly system: string;
  private readonly client: BcClient;

  constructor(private readonly settings: BusinessCentralSettings) {
    this.system = settings.system;
    this.client = new BcClient(settings);
  }

  async deliver(documents: ErpDocument[]): Promise<DeliveryOutcome[]> {
    const outcomes: DeliveryOutcome[] = new Array(documents.length);
    let next = 0;
    const worker = async () => {
      while (next < documents.length) {
        const i = next++;
        outcomes[i] = await this.postOne(documents[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.settings.concurrency ?? 4, documents.length) }, worker));
    return outcomes;
  }

  private async find(doc: ErpDocument): Promise<BcSalesDocument | null> {
    const { set } = resourceOf(doc);
    const { body } = await this.client.request<{ value: unknown[] }>("GET", set, {
      query: { $filter: `externalDocumentNumber eq ${odataString(doc.number)}`, $select: "id,number,externalDocumentNumber,status,totalAmountIncludingTax" },
    });
    const found = (body.value ?? []).map((v) => bcSalesDocument.parse(v));
    // Posted first: if an earlier attempt's draft and a posted one both exist, the posted one counts.
    return found.find((d) => POSTED_STATUSES.has(d.status)) ?? found[0] ?? null;
  }

  private async postOne(doc: ErpDocument): Promise<DeliveryOutcome> {
    const started = Date.now();
    const { set } = resourceOf(doc);
    try {
      let existing = await this.find(doc);
      let replacedDraft = false;
      if (existing && POSTED_STATUSES.has(existing.status))
        return this.posted(existing, doc, true, started, "already in the ERP (found by its number): not posted again");
      if (existing && existing.status === "Canceled")
        return {
          status: "REJECTED",
          reason: `the ERP holds ${doc.number} as ${existing.number}, cancelled: it will not be posted again`,
          durationMs: Date.now() - started,
        };
      if (existing && DRAFT_STATUSES.has(existing.status)) {
        // A draft left by an attempt that stopped before posting: our current content replaces it.
        await this.client.request("DELETE", `${set}(${existing.id})`, { ifMatch: existing["@odata.etag"] ?? "*" });
        replacedDraft = true;
        existing = null;
      }
      let created: BcSalesDocument;
      try {
        created = bcSalesDocument.parse((await this.client.request("POST", set, { body: await this.body(doc) })).body);
      } catch (err) {
        // Someone (a concurrent attempt) created it between our lookup and our POST: use theirs.
        if (!(err instanceof BcHttpError && err.status === 409)) throw err;
        const again = await this.find(doc);
        if (!again) throw err;
        if (POSTED_STATUSES.has(again.status)) return this.posted(again, doc, true, started, "created by a concurrent attempt: not posted again");
        created = again;
      }
      await this.client.request("POST", `${set}(${created.id})/Microsoft.NAV.post`, { ifMatch: created["@odata.etag"] ?? undefined });
      const posted = bcSalesDocument.parse((await this.client.request("GET", `${set}(${created.id})`)).body);
      return this.posted(posted, doc, false, started, replacedDraft ? "posted (an earlier attempt's draft was replaced)" : "posted");
    } catch (err) {
      return failure(err, started);
    }
  }

  private posted(found: BcSalesDocument, doc: ErpDocument, foundExisting: boolean, started: number, detail: string): DeliveryOutcome {
    const erpTotal = found.totalAmountIncludingTax == null ? null : new Prisma.Decimal(found.totalAmountIncludingTax).toFixed(2);
    const mismatch = erpTotal !== null && !new Prisma.Decimal(erpTotal).equals(doc.total) ? `; the ERP's total ${erpTotal} differs from ours ${doc.total}` : "";
    return {
      status: "POSTED",
      erpDocumentId: found.id,
      erpDocumentNumber: found.number,
      foundExisting,
      erpTotal,
      detail: `${detail}${mismatch}`,
      durationMs: Date.now() - started,
    };
  }

  private async body(doc: ErpDocument) {
    const { lines, date } = resourceOf(doc);
    const allowances = doc.allowances.reduce((s, a) => s.add(a.amount), new Prisma.Decimal(0));
    const documentLines = [
      ...doc.lines.map((l) => ({
        lineType: "Item",
        lineObjectNumber: l.itemNumber,
        description: l.sku,
        unitOfMeasureCode: l.unit,
        quantity: l.quantity,
        unitPrice: Number(l.unitPrice),
      })),
      ...doc.charges.map((c) => ({
        lineType: "Account",
        lineObjectNumber: this.settings.chargeAccount,
        description: `${c.code} ${c.description}`.slice(0, 100),
        quantity: 1,
        unitPrice: Number(c.amount),
      })),
      ...(new Prisma.Decimal(doc.taxTotal).isZero()
        ? []
        : [{ lineType: "Account", lineObjectNumber: this.settings.taxAccount, description: "Sales tax", quantity: 1, unitPrice: Number(doc.taxTotal) }]),
    ].map((l, i) => ({ sequence: (i + 1) * 10000, ...l }));
    const body: Record<string, unknown> = {
      externalDocumentNumber: doc.number,
      [date]: doc.date,
      postingDate: doc.date,
      customerNumber: doc.customerNumber,
      currencyCode: doc.currency,
      discountAmount: Number(allowances.toFixed(2)),
      [lines]: documentLines,
    };
    if (doc.dueDate) body.dueDate = doc.dueDate;
    if (doc.type === "INVOICE" && doc.customerPo) body.customerPurchaseOrderReference = doc.customerPo.slice(0, 35);
    if (doc.type === "CREDIT_MEMO" && doc.appliesToInvoice) {
      const invoice = await this.find({ ...doc, type: "INVOICE", number: doc.appliesToInvoice });
      if (invoice) body.invoiceId = invoice.id;
    }
    return body;
  }

  async pull(cursors: Partial<Record<InboundEntity, string>>): Promise<InboundUnit[]> {
    try {
      return [await this.customersSince(cursors.CUSTOMERS ?? null), await this.salesOrdersSince(cursors.SALES_ORDERS ?? null)];
    } catch (err) {
      if (err instanceof BcNetworkError || (err instanceof BcHttpError && (err.status >= 500 || err.status === 429)))
        throw new ErpUnavailableError(err.message, err instanceof BcHttpError ? err.status : undefined);
      throw err;
    }
  }

  /** `ge`, not `gt`: a record changed in the same millisecond as the newest one seen is not missed; applying it again changes nothing. */
  private since = (cursor: string | null): Record<string, string> => (cursor ? { $filter: `lastModifiedDateTime ge ${cursor}` } : {});

  private async customersSince(cursor: string | null): Promise<InboundUnit> {
    const terms = new Map((await this.client.list("paymentTerms")).map((t) => [bcPaymentTerm.parse(t).id, bcPaymentTerm.parse(t)]));
    const raw = await this.client.list("customers", this.since(cursor));
    let newest = cursor;
    const customers: ErpCustomer[] = [];
    const problems: string[] = [];
    raw.forEach((r, i) => {
      const where = `customers[${i}]`;
      const parsed = bcCustomer.safeParse(r);
      if (!parsed.success) {
        problems.push(`${where}: ${parsed.error.issues[0].path.join(".")} ${parsed.error.issues[0].message}`);
        return;
      }
      const c = parsed.data;
      if (!newest || c.lastModifiedDateTime > newest) newest = c.lastModifiedDateTime;
      const term = c.paymentTermsId ? terms.get(c.paymentTermsId) : undefined;
      const days = term ? formulaDays(term.dueDateCalculation) : null;
      if (!term || days === null) {
        problems.push(
          `customer ${c.number}: payment terms ${term ? `"${term.code}" with due date formula "${term.dueDateCalculation}" (only nD, nW, nM are understood)` : `id ${c.paymentTermsId ?? "(none)"} not found`}`,
        );
        return;
      }
      customers.push({
        number: c.number,
        name: c.displayName,
        currency: c.currencyCode || null,
        creditLimit: new Prisma.Decimal(c.creditLimit).toFixed(2),
        paymentTerms: term.code,
        termsDays: days,
        creditHold: c.blocked === "Invoice" || c.blocked === "All",
        gln: null,
        where,
      });
    });
    return cloudUnit(`customers modified since ${cursor ?? "the beginning"}`, "CUSTOMERS", newest, async () => {
      // One unreadable customer must not hold back the others; it is named in the sync's result.
      if (problems.length && !customers.length) throw new ErpFormatError(problems.join("; "));
      return { entity: "CUSTOMERS", customers, ...(problems.length && { problems }) };
    });
  }

  private async salesOrdersSince(cursor: string | null): Promise<InboundUnit> {
    const raw = await this.client.list("salesOrders", { ...this.since(cursor), $expand: "salesOrderLines" });
    let newest = cursor;
    const orders: ErpSalesOrderMessage[] = [];
    for (const r of raw) {
      const parsed = bcSalesOrder.safeParse(r);
      // Even an order we cannot read becomes a message: the pipeline dead-letters it with the reason, and it can be replayed.
      const number = parsed.success ? parsed.data.number : String((r as { number?: unknown }).number ?? "(no number)");
      const modified = parsed.success ? parsed.data.lastModifiedDateTime : String((r as { lastModifiedDateTime?: unknown }).lastModifiedDateTime ?? "");
      if (modified && (!newest || modified > newest)) newest = modified;
      orders.push({
        number,
        idempotencyKey: `${this.settings.businessUnitId}:${number}:${modified}`,
        raw: salesOrderEnvelope({ format: SALES_ORDER_FORMAT_BC, businessUnitId: this.settings.businessUnitId, system: this.system, order: r }),
      });
    }
    return cloudUnit(`sales orders modified since ${cursor ?? "the beginning"}`, "SALES_ORDERS", newest, async () => ({ entity: "SALES_ORDERS", orders }));
  }
}

function cloudUnit(name: string, entity: InboundEntity, cursor: string | null, read: InboundUnit["read"]): InboundUnit {
  return { name, entity, contentHash: null, read, cursor: cursor ? { entity, value: cursor } : null, settle: async () => null };
}

// Thin resolvers: arguments in, service or loader call out.
import { financeTraceSteps } from "./trace.js";
import type { SubgraphContext } from "./context.js";
import { contributionResolvers } from "../../platform/exceptions/remote.js";
import { financeExceptions } from "./exceptions.js";
import type { Resolvers } from "./generated/resolvers-types.js";
import { GraphQLScalarType } from "graphql";
import { listCreditMemos, listCustomers, listErpFileImports, listInvoices, listSupplierInvoices } from "./service.js";
import { availableCredit, balanceDue, creditDecision } from "./domain.js";
import { DomainError, ErrorCode, invalidArgument } from "../../platform/errors.js";
import { Prisma } from "../../platform/db/generated/client.js";
import { kpiWindow } from "../../platform/kpi/window.js";
import { invoicePostingAccuracy } from "./kpis.js";
import { listPostings, postingAccuracy, resolvePostingManually, retryPosting } from "./posting/service.js";
import { postingIdOf } from "./posting/schedule.js";
import { configureErpConnector } from "./erp-sync/configure.js";
import { createCreditMemo } from "./credit-memos.js";
import { upsertSuppliers } from "./supplier-invoices.js";
import { canSeeRow, refuseRowScoped, visibleRow, type Identity } from "../../platform/auth/identity.js";

/** A customer row is owned by itself (its id) within its business unit. */
const visibleCustomer = <C extends { id: string; businessUnitId: string }>(identity: Identity | null | undefined, c: C | null | undefined) =>
  c && canSeeRow(identity, { customerId: c.id, businessUnitId: c.businessUnitId }) ? c : null;

const money = (v: { toFixed(dp?: number): string }) => v.toFixed(2);
const JSONScalar = new GraphQLScalarType({ name: "JSON", serialize: (v) => v, parseValue: (v) => v });
const notFound = (what: string, id: string) => new DomainError(ErrorCode.NOT_FOUND, `${what} ${id} does not exist`);

// This domain's part of operations' exception queue (internal fields, platform/exceptions/remote.ts).
const exceptionContribution = contributionResolvers("Finance", (ctx: SubgraphContext) => financeExceptions(ctx));

export const resolvers: Resolvers = {
  Trace: {
    __resolveReference: (ref) => ({ correlationId: ref.correlationId }),
    financeSteps: (t, _, { db }) => financeTraceSteps(db, t.correlationId),
  },
  JSON: JSONScalar,
  Query: {
    ...exceptionContribution.Query,
    customer: async (_, { id }, { loaders, identity }) => visibleCustomer(identity, await loaders.customerById.load(id)),
    customers: (_, { filter, ...page }, { db, identity }) => listCustomers(db, filter, page, identity),
    businessUnit: (_, { id }, { loaders }) => loaders.businessUnitById.load(id),
    businessUnits: (_, __, { db }) => db.businessUnit.findMany({ orderBy: { id: "asc" } }),
    invoice: async (_, { id }, { loaders, identity }) => visibleRow(identity, await loaders.invoiceById.load(id)),
    invoices: (_, { filter, ...page }, { db, identity }) => listInvoices(db, filter, page, identity),
    erpConnectors: (_, __, { db, identity }) => (refuseRowScoped(identity, "ERP connectors"), db.erpConnector.findMany({ orderBy: { businessUnitId: "asc" } })),
    erpPostings: (_, { filter, ...page }, { db, identity }) => (refuseRowScoped(identity, "ERP postings"), listPostings(db, filter, page)),
    postingFailures: (_, { businessUnitId, errorKind, ...page }, { db, identity }) => (
      refuseRowScoped(identity, "ERP postings"),
      listPostings(db, { businessUnitId, errorKind, state: ["FAILED"] }, page)
    ),
    postingAccuracy: (_, { businessUnitId, postedFrom, postedTo }, { db, identity }) => (
      refuseRowScoped(identity, "posting accuracy"),
      postingAccuracy(db, { businessUnitId, postedFrom, postedTo })
    ),
    erpFileImports: (_, { businessUnitId, state, ...page }, { db, identity }) => (
      refuseRowScoped(identity, "ERP file imports"),
      listErpFileImports(db, businessUnitId, state, page)
    ),
    creditMemo: async (_, { id }, { loaders, identity }) => visibleRow(identity, await loaders.creditMemoById.load(id)),
    creditMemos: (_, { filter, ...page }, { db, identity }) => listCreditMemos(db, filter, page, identity),
    supplier: (_, { id }, { loaders, identity }) => (refuseRowScoped(identity, "suppliers"), loaders.supplierById.load(id)),
    suppliers: (_, __, { db, identity }) => (refuseRowScoped(identity, "suppliers"), db.supplier.findMany({ orderBy: { id: "asc" } })),
    supplierInvoice: (_, { id }, { loaders, identity }) => (refuseRowScoped(identity, "supplier invoices"), loaders.supplierInvoiceById.load(id)),
    supplierInvoices: (_, { filter, ...page }, { db, identity }) => (refuseRowScoped(identity, "supplier invoices"), listSupplierInvoices(db, filter, page)),
  },
  Mutation: {
    ...exceptionContribution.Mutation,
    configureErpConnector: (_, { businessUnitId, input }, { db }) => configureErpConnector(db, businessUnitId, input),
    retryInvoicePosting: async (_, { id, reason }, { db, correlationId }) => {
      await retryPosting(db, { documentType: "INVOICE", documentId: id }, reason ?? null, correlationId);
      return (await db.invoice.findUnique({ where: { id } })) ?? Promise.reject(notFound("invoice", id));
    },
    retryCreditMemoPosting: async (_, { id, reason }, { db, correlationId }) => {
      await retryPosting(db, { documentType: "CREDIT_MEMO", documentId: id }, reason ?? null, correlationId);
      return (await db.creditMemo.findUnique({ where: { id } })) ?? Promise.reject(notFound("credit memo", id));
    },
    resolvePostingManually: (_, { documentType, documentId, erpDocumentNumber, reason }, { db, correlationId }) =>
      resolvePostingManually(db, { documentType, documentId }, erpDocumentNumber, reason, correlationId),
    createCreditMemo: (_, { input }, { db, correlationId }) =>
      db.$transaction((tx) => createCreditMemo(tx, { ...input, creditMemoDate: input.creditMemoDate?.toISOString().slice(0, 10) ?? null }, { correlationId }), {
        timeout: 30_000,
        maxWait: 30_000,
      }),
    upsertSuppliers: (_, { suppliers }, { db }) => upsertSuppliers(db, suppliers),
  },
  KpiWindow: {
    __resolveReference: (ref) => kpiWindow(ref),
    invoicePostingAccuracy: (w, _, { db }) => invoicePostingAccuracy(db, w),
  },
  BusinessUnit: {
    __resolveReference: (ref, { loaders }) => loaders.businessUnitById.load(ref.id),
    connector: (b, _, { loaders }) => loaders.connectorByBusinessUnit.load(b.id),
  },
  ErpConnector: {
    businessUnit: async (c, _, { loaders }) => (await loaders.businessUnitById.load(c.businessUnitId))!,
    cursors: (c, _, { loaders }) => loaders.cursorsByBusinessUnit.load(c.businessUnitId),
  },
  ErpPosting: {
    businessUnit: async (p, _, { loaders }) => (await loaders.businessUnitById.load(p.businessUnitId))!,
    history: (p, _, { loaders }) => loaders.postingHistory.load(p.id),
    invoice: (p, _, { loaders }) => (p.documentType === "INVOICE" ? loaders.invoiceById.load(p.documentId) : null),
    creditMemo: (p, _, { loaders }) => (p.documentType === "CREDIT_MEMO" ? loaders.creditMemoById.load(p.documentId) : null),
  },
  ErpFileImport: {
    businessUnit: async (f, _, { loaders }) => (await loaders.businessUnitById.load(f.businessUnitId))!,
  },
  CreditMemo: {
    __resolveReference: (ref, { loaders }) => loaders.creditMemoById.load(ref.id),
    invoice: (c, _, { loaders }) => (c.invoiceId ? loaders.invoiceById.load(c.invoiceId) : null),
    order: (c) => (c.orderId ? { id: c.orderId } : null),
    customer: async (c, _, { loaders }) => (await loaders.customerById.load(c.customerId))!,
    businessUnit: async (c, _, { loaders }) => (await loaders.businessUnitById.load(c.businessUnitId))!,
    posting: (c, _, { loaders }) => loaders.postingById.load(postingIdOf({ documentType: "CREDIT_MEMO", documentId: c.id })),
    lines: (c, _, { loaders }) => loaders.creditMemoLines.load(c.id),
    subtotal: (c) => money(c.subtotal),
    taxRate: (c) => c.taxRate.toString(),
    taxTotal: (c) => money(c.taxTotal),
    total: (c) => money(c.total),
  },
  CreditMemoLine: {
    product: (l) => ({ sku: l.sku }),
    unitPrice: (l) => l.unitPrice.toString(),
    amount: (l) => money(l.amount),
  },
  Supplier: {
    __resolveReference: (ref, { loaders }) => loaders.supplierById.load(ref.id),
    invoices: (s, _, { db }) => db.supplierInvoice.findMany({ where: { supplierId: s.id }, orderBy: [{ invoiceDate: "desc" }, { id: "desc" }], take: 100 }),
  },
  SupplierInvoice: {
    __resolveReference: (ref, { loaders }) => loaders.supplierInvoiceById.load(ref.id),
    supplier: async (i, _, { loaders }) => (await loaders.supplierById.load(i.supplierId))!,
    lines: (i, _, { loaders }) => loaders.supplierInvoiceLines.load(i.id),
    charges: async (i, _, { loaders }) => (await loaders.supplierInvoiceAdjustments.load(i.id)).filter((a) => a.kind === "CHARGE"),
    allowances: async (i, _, { loaders }) => (await loaders.supplierInvoiceAdjustments.load(i.id)).filter((a) => a.kind === "ALLOWANCE"),
    subtotal: (i) => money(i.subtotal),
    chargesTotal: (i) => money(i.chargesTotal),
    allowancesTotal: (i) => money(i.allowancesTotal),
    taxTotal: (i) => money(i.taxTotal),
    total: (i) => money(i.total),
  },
  SupplierInvoiceLine: {
    product: (l) => ({ sku: l.sku }),
    quantity: (l) => l.quantity.toString(),
    unitPrice: (l) => l.unitPrice.toString(),
    amount: (l) => money(l.amount),
    baseQuantity: (l) => l.baseQuantity.toString(),
  },
  SupplierInvoiceAdjustment: {
    amount: (a) => money(a.amount),
  },
  Customer: {
    __resolveReference: async (ref, { loaders, identity }) => visibleCustomer(identity, await loaders.customerById.load(ref.id)),
    businessUnit: async (c, _, { loaders }) => (await loaders.businessUnitById.load(c.businessUnitId))!,
    creditLimit: (c) => money(c.creditLimit),
    creditExposure: async (c, _, { loaders }) => money(await loaders.exposureByCustomerId.load(c.id)),
    availableCredit: async (c, _, { loaders }) => money(availableCredit(c, await loaders.exposureByCustomerId.load(c.id))),
    paymentTerms: (c) => c,
    externalRefs: (c) => c.externalRefs as { system: string; value: string }[],
    creditCheck: async (c, { amount, currency, openOrderAmount }, { loaders }) => {
      const money = (name: string, v: string | null | undefined) => {
        try {
          const d = new Prisma.Decimal(v ?? "0");
          if (d.isNegative() || !d.isFinite()) throw new Error();
          return d;
        } catch {
          throw invalidArgument(name, `must be a decimal amount >= 0, got ${JSON.stringify(v)}`);
        }
      };
      if (!/^[A-Z]{3}$/.test(currency)) throw invalidArgument("currency", `must be an ISO 4217 code, got ${JSON.stringify(currency)}`);
      const d = creditDecision(c, await loaders.exposureByCustomerId.load(c.id), money("openOrderAmount", openOrderAmount), money("amount", amount), currency);
      return {
        ...d,
        creditLimit: d.creditLimit.toFixed(2),
        exposure: d.exposure.toFixed(2),
        openOrderAmount: d.openOrderAmount.toFixed(2),
        orderAmount: d.orderAmount.toFixed(2),
        available: d.available.toFixed(2),
      };
    },
    invoices: async (c, { status }, { loaders, identity }) => {
      const invoices = (await loaders.invoicesByCustomerId.load(c.id)).filter((i) => canSeeRow(identity, i));
      return status?.length ? invoices.filter((i) => status.includes(i.status)) : invoices;
    },
  },
  PaymentTerms: {
    code: (c) => c.paymentTerms,
    netDays: (c) => c.termsDays,
  },
  Invoice: {
    __resolveReference: async (ref, { loaders, identity }) => visibleRow(identity, await loaders.invoiceById.load(ref.id)),
    order: (i) => ({ id: i.orderId }),
    shipment: (i) => (i.shipmentId ? { id: i.shipmentId } : null),
    customer: async (i, _, { loaders }) => (await loaders.customerById.load(i.customerId))!,
    businessUnit: async (i, _, { loaders }) => (await loaders.businessUnitById.load(i.businessUnitId))!,
    lines: (i, _, { loaders }) => loaders.linesByInvoiceId.load(i.id),
    charges: async (i, _, { loaders }) => (await loaders.adjustmentsByInvoiceId.load(i.id)).filter((a) => a.kind === "CHARGE"),
    allowances: async (i, _, { loaders }) => (await loaders.adjustmentsByInvoiceId.load(i.id)).filter((a) => a.kind === "ALLOWANCE"),
    subtotal: (i) => money(i.subtotal),
    chargesTotal: (i) => money(i.chargesTotal),
    allowancesTotal: (i) => money(i.allowancesTotal),
    taxRate: (i) => i.taxRate.toString(),
    taxTotal: (i) => money(i.taxTotal),
    total: (i) => money(i.total),
    amountPaid: (i) => money(i.amountPaid),
    balanceDue: (i) => money(balanceDue(i)),
    posting: (i, _, { loaders }) => loaders.postingById.load(postingIdOf({ documentType: "INVOICE", documentId: i.id })),
    postingAttempts: async (i, _, { loaders }) =>
      (await loaders.postingById.load(postingIdOf({ documentType: "INVOICE", documentId: i.id })))?.totalAttempts ?? 0,
    postingError: async (i, _, { loaders }) => {
      const p = await loaders.postingById.load(postingIdOf({ documentType: "INVOICE", documentId: i.id }));
      return p && p.state !== "POSTED" ? p.lastError : null;
    },
    creditMemos: (i, _, { loaders }) => loaders.creditMemosByInvoiceId.load(i.id),
  },
  InvoiceLine: {
    product: (l) => ({ sku: l.sku }),
    unitPrice: (l) => l.unitPrice.toString(),
    amount: (l) => money(l.amount),
  },
  InvoiceAdjustment: {
    amount: (a) => money(a.amount),
  },
  Order: {
    __resolveReference: (ref) => ({ id: ref.id }),
    invoices: async (o, _, { loaders, identity }) => (await loaders.invoicesByOrderId.load(o.id)).filter((i) => canSeeRow(identity, i)),
  },
  // A return's credit is visible to whoever may see the return's customer (row rules as for memos).
  ReturnAuthorization: {
    __resolveReference: (ref) => ({ id: ref.id }),
    credit: async (r, _, { loaders, identity }) => visibleRow(identity, await loaders.returnCreditById.load(r.id)),
    creditMemo: async (r, _, { loaders, identity }) =>
      visibleRow(
        identity,
        (await loaders.creditMemosByReturnId.load(r.id)).find((m) => m.idempotencyKey === `RETURN:${r.id}`),
      ),
  },
  ReturnCredit: {
    creditMemos: async (c, _, { loaders, identity }) => (await loaders.creditMemosByReturnId.load(c.returnId)).filter((m) => canSeeRow(identity, m)),
  },
  Shipment: {
    __resolveReference: (ref) => ({ id: ref.id }),
    invoice: (s, _, { loaders }) => loaders.invoiceByShipmentId.load(s.id),
  },
};

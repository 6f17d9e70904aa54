// Thin resolvers: arguments in, service or loader call out.
import type { Resolvers } from "./generated/resolvers-types.js";
import { listCustomers, listInvoices } from "./service.js";
import { availableCredit, balanceDue, creditDecision } from "./domain.js";
import { invalidArgument } from "../../platform/errors.js";
import { Prisma } from "../../platform/db/generated/client.js";
import { kpiWindow } from "../../platform/kpi/window.js";
import { invoicePostingAccuracy } from "./kpis.js";

const money = (v: { toFixed(dp?: number): string }) => v.toFixed(2);

export const resolvers: Resolvers = {
  Query: {
    customer: (_, { id }, { loaders }) => loaders.customerById.load(id),
    customers: (_, { filter, ...page }, { db }) => listCustomers(db, filter, page),
    businessUnit: (_, { id }, { loaders }) => loaders.businessUnitById.load(id),
    businessUnits: (_, __, { db }) => db.businessUnit.findMany({ orderBy: { id: "asc" } }),
    invoice: (_, { id }, { loaders }) => loaders.invoiceById.load(id),
    invoices: (_, { filter, ...page }, { db }) => listInvoices(db, filter, page),
  },
  KpiWindow: {
    __resolveReference: (ref) => kpiWindow(ref),
    invoicePostingAccuracy: (w, _, { db }) => invoicePostingAccuracy(db, w),
  },
  BusinessUnit: {
    __resolveReference: (ref, { loaders }) => loaders.businessUnitById.load(ref.id),
  },
  Customer: {
    __resolveReference: (ref, { loaders }) => loaders.customerById.load(ref.id),
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
      return { ...d, creditLimit: d.creditLimit.toFixed(2), exposure: d.exposure.toFixed(2), openOrderAmount: d.openOrderAmount.toFixed(2), orderAmount: d.orderAmount.toFixed(2), available: d.available.toFixed(2) };
    },
    invoices: async (c, { status }, { loaders }) => {
      const invoices = await loaders.invoicesByCustomerId.load(c.id);
      return status?.length ? invoices.filter((i) => status.includes(i.status)) : invoices;
    },
  },
  PaymentTerms: {
    code: (c) => c.paymentTerms,
    netDays: (c) => c.termsDays,
  },
  Invoice: {
    __resolveReference: (ref, { loaders }) => loaders.invoiceById.load(ref.id),
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
    invoices: (o, _, { loaders }) => loaders.invoicesByOrderId.load(o.id),
  },
  Shipment: {
    __resolveReference: (ref) => ({ id: ref.id }),
    invoice: (s, _, { loaders }) => loaders.invoiceByShipmentId.load(s.id),
  },
};

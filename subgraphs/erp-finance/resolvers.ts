// Thin resolvers: arguments in, service or loader call out.
import type { Resolvers } from "./generated/resolvers-types.js";
import { listCustomers, listInvoices } from "./service.js";
import { availableCredit, balanceDue } from "./domain.js";

const money = (v: { toFixed(dp?: number): string }) => v.toFixed(2);

export const resolvers: Resolvers = {
  Query: {
    customer: (_, { id }, { loaders }) => loaders.customerById.load(id),
    customers: (_, { filter, first, after }, { db }) => listCustomers(db, filter, first, after),
    businessUnit: (_, { id }, { loaders }) => loaders.businessUnitById.load(id),
    businessUnits: (_, __, { db }) => db.businessUnit.findMany({ orderBy: { id: "asc" } }),
    invoice: (_, { id }, { loaders }) => loaders.invoiceById.load(id),
    invoices: (_, { filter, first, after }, { db }) => listInvoices(db, filter, first, after),
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

// Finance rules that need no database: invoice totals, exposure, due dates. Money is Decimal.
import { Prisma } from "../../platform/db/generated/client.js";
import type { Customer, Invoice } from "../../platform/db/generated/client.js";

const D = Prisma.Decimal;
type Money = Prisma.Decimal;
type DecimalInput = Prisma.Decimal | number | string;

export interface InvoiceAmounts {
  subtotal: Money;
  chargesTotal: Money;
  allowancesTotal: Money;
  taxTotal: Money;
  total: Money;
}

/**
 * Totals from lines and adjustments. Tax is charged on subtotal + charges - allowances and rounded
 * half-up to cents once, on the invoice, as most ERPs do it (not per line).
 */
export function invoiceAmounts(
  lines: { quantity: number; unitPrice: DecimalInput }[],
  adjustments: { kind: "CHARGE" | "ALLOWANCE"; amount: DecimalInput }[],
  taxRate: DecimalInput,
): InvoiceAmounts {
  const cents = (m: Money) => m.toDecimalPlaces(2, D.ROUND_HALF_UP);
  const subtotal = lines.reduce((s, l) => s.add(cents(new D(l.unitPrice).mul(l.quantity))), new D(0));
  const sum = (kind: "CHARGE" | "ALLOWANCE") => adjustments.filter((a) => a.kind === kind).reduce((s, a) => s.add(a.amount), new D(0));
  const chargesTotal = sum("CHARGE");
  const allowancesTotal = sum("ALLOWANCE");
  const taxTotal = cents(subtotal.add(chargesTotal).sub(allowancesTotal).mul(taxRate));
  return { subtotal, chargesTotal, allowancesTotal, taxTotal, total: subtotal.add(chargesTotal).sub(allowancesTotal).add(taxTotal) };
}

export const balanceDue = (i: Pick<Invoice, "total" | "amountPaid" | "status">): Money => (i.status === "VOID" ? new D(0) : new D(i.total).sub(i.amountPaid));

/** Credit exposure: what the customer owes on open invoices. */
export const creditExposure = (invoices: Pick<Invoice, "total" | "amountPaid" | "status">[]): Money =>
  invoices.filter((i) => i.status === "OPEN").reduce((s, i) => s.add(balanceDue(i)), new D(0));

export const availableCredit = (c: Pick<Customer, "creditLimit">, exposure: Money): Money => new D(c.creditLimit).sub(exposure);

export function dueDate(invoiceDate: Date, netDays: number): Date {
  const d = new Date(invoiceDate);
  d.setUTCDate(d.getUTCDate() + netDays);
  return d;
}

export interface CreditDecision {
  approved: boolean;
  reason: string | null;
  creditLimit: Money;
  exposure: Money;
  openOrderAmount: Money;
  orderAmount: Money;
  /** creditLimit - exposure - openOrderAmount - orderAmount: what is left after this order. */
  available: Money;
}

/**
 * Credit check for a new order: the limit minus open invoices (exposure) minus the customer's
 * other open orders minus this order must not go below zero; an account on credit hold or in
 * another currency is not approved. Reasons are written for a customer-service agent.
 */
export function creditDecision(
  customer: Pick<Customer, "creditLimit" | "creditHold" | "currency">,
  exposure: DecimalInput,
  openOrderAmount: DecimalInput,
  orderAmount: DecimalInput,
  orderCurrency: string,
): CreditDecision {
  const creditLimit = new D(customer.creditLimit);
  const base = { creditLimit, exposure: new D(exposure), openOrderAmount: new D(openOrderAmount), orderAmount: new D(orderAmount) };
  const available = creditLimit.sub(base.exposure).sub(base.openOrderAmount).sub(base.orderAmount);
  const decision = (approved: boolean, reason: string | null): CreditDecision => ({ ...base, available, approved, reason });
  if (orderCurrency !== customer.currency) return decision(false, `the order is in ${orderCurrency} but the customer's account is in ${customer.currency}`);
  if (customer.creditHold) return decision(false, "the customer's account is on credit hold in the ERP");
  if (available.isNegative()) {
    const c = customer.currency;
    return decision(
      false,
      `credit limit ${creditLimit.toFixed(2)} ${c} exceeded by ${available.neg().toFixed(2)} ${c} (open invoices ${base.exposure.toFixed(2)}, other open orders ${base.openOrderAmount.toFixed(2)}, this order ${base.orderAmount.toFixed(2)})`,
    );
  }
  return decision(true, null);
}

// Finance rules without a database: invoice totals, balances, exposure, due dates.
import { describe, it, expect } from "vitest";
import { Prisma } from "../../platform/db/generated/client.js";
import type { InvoiceStatus } from "../../platform/db/generated/client.js";
import { availableCredit, balanceDue, creditExposure, dueDate, invoiceAmounts } from "../../subgraphs/erp-finance/domain.js";

const D = Prisma.Decimal;
const inv = (total: string, amountPaid: string, status: InvoiceStatus) => ({ total: new D(total), amountPaid: new D(amountPaid), status });
const fixed = (m: Prisma.Decimal) => m.toFixed(2);

describe("invoiceAmounts", () => {
  it("rounds each line to cents, adds charges, subtracts allowances, taxes the net once", () => {
    const a = invoiceAmounts(
      [{ quantity: 3, unitPrice: "9.3333" }],
      [
        { kind: "CHARGE", amount: "10.00" },
        { kind: "ALLOWANCE", amount: "5.50" },
      ],
      "0.0825",
    );
    expect(fixed(a.subtotal)).toBe("28.00");
    expect(fixed(a.chargesTotal)).toBe("10.00");
    expect(fixed(a.allowancesTotal)).toBe("5.50");
    // (28.00 + 10.00 - 5.50) x 0.0825 = 2.68125 -> 2.68
    expect(fixed(a.taxTotal)).toBe("2.68");
    expect(a.taxTotal.equals(new D("2.68"))).toBe(true);
    expect(a.total.equals(new D("35.18"))).toBe(true);
  });

  it("rounds tax once on the invoice, half-up (not per line, not half-even)", () => {
    // per line: 1.05 x 0.05 = 0.0525 -> 0.05, twice = 0.10; on the invoice: 2.10 x 0.05 = 0.105 -> 0.11
    const a = invoiceAmounts(
      [
        { quantity: 1, unitPrice: "1.05" },
        { quantity: 1, unitPrice: "1.05" },
      ],
      [],
      "0.05",
    );
    expect(fixed(a.taxTotal)).toBe("0.11");
    expect(a.total.equals(new D("2.21"))).toBe(true);
  });

  it("sums several charges and allowances exactly (0.1 + 0.2)", () => {
    const a = invoiceAmounts(
      [{ quantity: 1, unitPrice: 100 }],
      [
        { kind: "CHARGE", amount: "0.1" },
        { kind: "CHARGE", amount: new D("0.2") },
        { kind: "ALLOWANCE", amount: 0.1 },
        { kind: "ALLOWANCE", amount: "0.2" },
        { kind: "ALLOWANCE", amount: "1" },
      ],
      0,
    );
    expect(a.chargesTotal.equals(new D("0.3"))).toBe(true);
    expect(a.allowancesTotal.equals(new D("1.3"))).toBe(true);
    expect(a.taxTotal.isZero()).toBe(true);
    expect(a.total.equals(new D("99"))).toBe(true);
  });

  it("gives all zeros for an empty invoice", () => {
    const a = invoiceAmounts([], [], "0.2");
    for (const k of ["subtotal", "chargesTotal", "allowancesTotal", "taxTotal", "total"] as const) expect(a[k].isZero(), k).toBe(true);
  });

  it("rounds line amounts half-up before summing", () => {
    const a = invoiceAmounts(
      [
        { quantity: 1, unitPrice: "0.005" },
        { quantity: 1, unitPrice: "0.005" },
      ],
      [],
      0,
    );
    expect(fixed(a.subtotal)).toBe("0.02");
  });
});

describe("balanceDue", () => {
  it("is total less amount paid for an open invoice", () => {
    expect(balanceDue(inv("100.00", "40.25", "OPEN")).equals(new D("59.75"))).toBe(true);
  });

  it("is 0 for a VOID invoice, however much is unpaid", () => {
    expect(balanceDue(inv("100.00", "0", "VOID")).isZero()).toBe(true);
    expect(balanceDue(inv("100.00", "30", "VOID")).isZero()).toBe(true);
  });

  it("is 0 for a paid invoice", () => {
    expect(balanceDue(inv("70.10", "70.10", "PAID")).isZero()).toBe(true);
  });
});

describe("creditExposure", () => {
  const invoices = [
    inv("100.00", "40.00", "OPEN"),
    inv("50.00", "0", "OPEN"),
    inv("70.00", "70.00", "PAID"),
    inv("30.00", "0", "VOID"),
    inv("20.00", "0", "DRAFT"),
    inv("80.00", "10.00", "PAID"),
  ];

  it("counts only the balance of OPEN invoices", () => {
    expect(creditExposure(invoices).equals(new D("110"))).toBe(true);
  });

  it("is 0 with no open invoices", () => {
    expect(creditExposure(invoices.filter((i) => i.status !== "OPEN")).isZero()).toBe(true);
    expect(creditExposure([]).isZero()).toBe(true);
  });

  it("availableCredit is the limit less exposure, and may go negative", () => {
    expect(availableCredit({ creditLimit: new D("500.00") }, creditExposure(invoices)).equals(new D("390"))).toBe(true);
    expect(availableCredit({ creditLimit: new D("100") }, new D("110")).equals(new D("-10"))).toBe(true);
  });
});

describe("dueDate", () => {
  it("crosses a month end", () => {
    expect(dueDate(new Date("2026-01-31T00:00:00Z"), 30).toISOString()).toBe("2026-03-02T00:00:00.000Z");
    expect(dueDate(new Date("2026-04-15T00:00:00Z"), 30).toISOString()).toBe("2026-05-15T00:00:00.000Z");
  });

  it("counts 29 February in a leap year", () => {
    expect(dueDate(new Date("2024-01-31T00:00:00Z"), 30).toISOString()).toBe("2024-03-01T00:00:00.000Z");
    expect(dueDate(new Date("2024-02-28T00:00:00Z"), 1).toISOString()).toBe("2024-02-29T00:00:00.000Z");
  });

  it("crosses a year end", () => {
    expect(dueDate(new Date("2026-12-15T00:00:00Z"), 30).toISOString()).toBe("2027-01-14T00:00:00.000Z");
    expect(dueDate(new Date("2026-12-31T00:00:00Z"), 1).toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });

  it("adds whole UTC days, keeping the time of day, and does not mutate its input", () => {
    const issued = new Date("2026-03-01T18:45:00Z");
    const due = dueDate(issued, 60);
    expect(due.getTime() - issued.getTime()).toBe(60 * 86_400_000);
    expect(due.toISOString()).toBe("2026-04-30T18:45:00.000Z");
    expect(issued.toISOString()).toBe("2026-03-01T18:45:00.000Z");
  });

  it("is the invoice date for net 0", () => {
    expect(dueDate(new Date("2026-06-30T12:00:00Z"), 0).toISOString()).toBe("2026-06-30T12:00:00.000Z");
  });
});

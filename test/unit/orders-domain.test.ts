// Order rules without a database: exact money, open quantities, status transitions.
import { describe, it, expect } from "vitest";
import { Prisma } from "../../platform/db/generated/client.js";
import type { OrderStatus } from "../../platform/db/generated/client.js";
import { canTransition, fulfilmentStatus, lineAmount, openBaseQuantity, orderTotal } from "../../subgraphs/orders/domain.js";
import { allocationStatus, isFinal, orderStatuses } from "../../subgraphs/orders/lifecycle.js";

const D = Prisma.Decimal;
const line = (unitPrice: string, quantityOrdered: number) => ({ unitPrice: new D(unitPrice), quantityOrdered });

describe("lineAmount", () => {
  it("rounds 3 x 9.3333 = 27.9999 half-up to 28.00", () => {
    expect(lineAmount(line("9.3333", 3)).toFixed(2)).toBe("28.00");
  });

  it("rounds an exact half cent up, not to even", () => {
    expect(lineAmount(line("0.125", 1)).toFixed(2)).toBe("0.13");
    expect(lineAmount(line("0.0050", 1)).toFixed(2)).toBe("0.01");
    expect(lineAmount(line("1.0049", 1)).toFixed(2)).toBe("1.00");
  });

  it("multiplies exactly where a float would not (3 x 0.1)", () => {
    expect(3 * 0.1).not.toBe(0.3); // the float trap the Decimal avoids
    const amount = lineAmount(line("0.1", 3));
    expect(amount.equals(new D("0.3"))).toBe(true);
    expect(amount.toString()).toBe("0.3");
  });

  it("keeps large amounts exact beyond float precision", () => {
    expect(lineAmount(line("1234567890.1234", 1000)).toFixed(2)).toBe("1234567890123.40");
    expect(lineAmount(line("9999999999.9999", 999)).toFixed(2)).toBe("9989999999999.90");
  });

  it("is zero for a zero quantity", () => {
    expect(lineAmount(line("19.99", 0)).isZero()).toBe(true);
  });
});

describe("orderTotal", () => {
  it("adds 0.1 + 0.2 to exactly 0.30", () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    const total = orderTotal([line("0.1", 1), line("0.2", 1)]);
    expect(total.equals(new D("0.3"))).toBe(true);
    expect(total.toFixed(2)).toBe("0.30");
  });

  it("sums lines that were each rounded to cents", () => {
    // each 0.005 line rounds up to 0.01, so the total is 0.02, not round(0.01) = 0.01
    expect(orderTotal([line("0.005", 1), line("0.005", 1)]).toFixed(2)).toBe("0.02");
    expect(orderTotal([line("9.3333", 3), line("0.125", 1), line("10", 2)]).toFixed(2)).toBe("48.13");
  });

  it("is 0 for no lines and returns a Decimal", () => {
    const total = orderTotal([]);
    expect(total).toBeInstanceOf(D);
    expect(total.isZero()).toBe(true);
  });

  it("adds many small amounts without drift", () => {
    const lines = Array.from({ length: 1000 }, () => line("0.1", 1));
    expect(orderTotal(lines).toFixed(2)).toBe("100.00");
    expect(lines.reduce((s) => s + 0.1, 0)).not.toBe(100); // a float sum would drift
  });
});

describe("openBaseQuantity", () => {
  it("is (ordered - shipped) x unitFactor", () => {
    expect(openBaseQuantity({ quantityOrdered: 10, quantityShipped: 4, unitFactor: 12 })).toBe(72);
    expect(openBaseQuantity({ quantityOrdered: 5, quantityShipped: 0, unitFactor: 1 })).toBe(5);
  });

  it("is 0 when fully shipped", () => {
    expect(openBaseQuantity({ quantityOrdered: 7, quantityShipped: 7, unitFactor: 6 })).toBe(0);
  });

  it("is never negative when a line was over-shipped", () => {
    const open = openBaseQuantity({ quantityOrdered: 10, quantityShipped: 12, unitFactor: 12 });
    expect(open).toBe(0);
    expect(Object.is(open, -0)).toBe(false);
  });
});

describe("order lifecycle (canTransition)", () => {
  it.each<[OrderStatus, OrderStatus]>([
    ["CREDIT_HOLD", "ACCEPTED"],
    ["CREDIT_HOLD", "REJECTED"],
    ["CREDIT_HOLD", "CANCELLED"],
    ["PRICE_HOLD", "ACCEPTED"],
    ["PRICE_HOLD", "CREDIT_HOLD"],
    ["ACCEPTED", "ALLOCATED"],
    ["ACCEPTED", "PARTIALLY_ALLOCATED"],
    ["ACCEPTED", "BACKORDERED"],
    ["BACKORDERED", "ALLOCATED"],
    ["BACKORDERED", "PARTIALLY_ALLOCATED"],
    ["PARTIALLY_ALLOCATED", "ALLOCATED"],
    ["PARTIALLY_ALLOCATED", "RELEASED"],
    ["ALLOCATED", "RELEASED"],
    ["RELEASED", "PARTIALLY_SHIPPED"],
    ["RELEASED", "SHIPPED"],
    ["RELEASED", "CANCELLED"],
    ["PARTIALLY_SHIPPED", "PARTIALLY_SHIPPED"],
    ["PARTIALLY_SHIPPED", "RELEASED"],
    ["PARTIALLY_SHIPPED", "SHIPPED"],
    ["SHIPPED", "INVOICED"],
    ["INVOICED", "CLOSED"],
  ])("allows %s -> %s", (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it.each<[OrderStatus, OrderStatus]>([
    ["CREDIT_HOLD", "ALLOCATED"],
    ["CREDIT_HOLD", "CREDIT_HOLD"],
    ["ACCEPTED", "RELEASED"],
    ["ACCEPTED", "SHIPPED"],
    ["ACCEPTED", "CREDIT_HOLD"],
    ["BACKORDERED", "RELEASED"],
    ["ALLOCATED", "BACKORDERED"],
    ["ALLOCATED", "SHIPPED"],
    ["PARTIALLY_SHIPPED", "CANCELLED"],
    ["SHIPPED", "CANCELLED"],
    ["SHIPPED", "PARTIALLY_SHIPPED"],
    ["INVOICED", "CANCELLED"],
  ])("forbids %s -> %s", (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it.each<OrderStatus>(["CLOSED", "CANCELLED", "REJECTED"])("treats %s as final: nothing follows it", (terminal) => {
    for (const to of orderStatuses) expect(canTransition(terminal, to), `${terminal} -> ${to}`).toBe(false);
    expect(isFinal(terminal)).toBe(true);
  });

  it("cancels anything not yet shipped, and nothing shipped", () => {
    expect(orderStatuses.filter((s) => canTransition(s, "CANCELLED")).sort()).toEqual(
      ["ACCEPTED", "ALLOCATED", "BACKORDERED", "CREDIT_HOLD", "PARTIALLY_ALLOCATED", "PRICE_HOLD", "RELEASED"].sort(),
    );
  });

  it("reaches INVOICED only from shipments, and ACCEPTED only from a hold", () => {
    expect(orderStatuses.filter((s) => canTransition(s, "INVOICED")).sort()).toEqual(["PARTIALLY_SHIPPED", "SHIPPED"]);
    expect(orderStatuses.filter((s) => canTransition(s, "ACCEPTED")).sort()).toEqual(["CREDIT_HOLD", "PRICE_HOLD"]);
  });

  it("derives the allocation status from what inventory allocated", () => {
    expect(
      allocationStatus([
        { ordered: 5, allocated: 5 },
        { ordered: 2, allocated: 2 },
      ]),
    ).toBe("ALLOCATED");
    expect(
      allocationStatus([
        { ordered: 5, allocated: 5 },
        { ordered: 2, allocated: 0 },
      ]),
    ).toBe("PARTIALLY_ALLOCATED");
    expect(allocationStatus([{ ordered: 5, allocated: 1 }])).toBe("PARTIALLY_ALLOCATED");
    expect(
      allocationStatus([
        { ordered: 5, allocated: 0 },
        { ordered: 2, allocated: 0 },
      ]),
    ).toBe("BACKORDERED");
  });
});

describe("fulfilmentStatus", () => {
  it("is null while nothing has shipped (and for no lines)", () => {
    expect(
      fulfilmentStatus([
        { quantityOrdered: 5, quantityShipped: 0 },
        { quantityOrdered: 2, quantityShipped: 0 },
      ]),
    ).toBeNull();
    expect(fulfilmentStatus([])).toBeNull();
  });

  it("is PARTIALLY_SHIPPED when some quantity shipped but a line is still open", () => {
    expect(fulfilmentStatus([{ quantityOrdered: 5, quantityShipped: 3 }])).toBe("PARTIALLY_SHIPPED");
    expect(
      fulfilmentStatus([
        { quantityOrdered: 5, quantityShipped: 5 },
        { quantityOrdered: 2, quantityShipped: 0 },
      ]),
    ).toBe("PARTIALLY_SHIPPED");
  });

  it("is SHIPPED when every line shipped in full, over-shipment included", () => {
    expect(
      fulfilmentStatus([
        { quantityOrdered: 5, quantityShipped: 5 },
        { quantityOrdered: 2, quantityShipped: 2 },
      ]),
    ).toBe("SHIPPED");
    expect(
      fulfilmentStatus([
        { quantityOrdered: 5, quantityShipped: 6 },
        { quantityOrdered: 2, quantityShipped: 2 },
      ]),
    ).toBe("SHIPPED");
  });
});

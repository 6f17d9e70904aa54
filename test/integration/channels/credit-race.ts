// The credit check under concurrency: orders of one customer checked at the same moment must not
// together exceed its credit limit (credit reservations, docs/decisions.md). Through HTTP with a
// real GraphQL client, on each store.
import { expect, it } from "vitest";
import { gql } from "../../helpers/graphql.js";
import type { ChannelContext } from "./context.js";

const PLACE = `mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { outcome reasons { code message } order { id totalAmount } } }`;

export function creditRaceTests(ctx: ChannelContext) {
  it("lets 10 concurrent orders of 30.00 against a limit of 100.00 take exactly 3, and holds the rest for credit", async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        gql(ctx.url, PLACE, { i: { idempotencyKey: `race-${i}`, customerId: "CUST-TIGHT", lines: [{ sku: "CH-GADGET", quantity: 6 }] } }).then((r) => {
          if (r.errors?.length) throw new Error(JSON.stringify(r.errors));
          return r.data.placeOrder;
        }),
      ),
    );
    const outcomes = results.map((r) => r.outcome);
    expect(outcomes.filter((o) => o === "ACCEPTED")).toHaveLength(3);
    expect(outcomes.filter((o) => o === "CREDIT_HOLD")).toHaveLength(7);
    for (const r of results.filter((x) => x.outcome === "CREDIT_HOLD")) expect(r.reasons[0].code).toBe("CREDIT_NOT_APPROVED");
    // What the open orders hold never exceeds the limit, and no reservation is left behind.
    const open = await ctx.db.order.findMany({
      where: { customerId: "CUST-TIGHT", status: { notIn: ["CREDIT_HOLD", "REJECTED", "CANCELLED"] } },
      include: { lines: true },
    });
    expect(open.reduce((s, o) => s + o.lines.reduce((t, l) => t + Number(l.unitPrice) * l.quantityOrdered, 0), 0)).toBe(90);
    expect(await ctx.db.creditReservation.count({ where: { customerId: "CUST-TIGHT" } })).toBe(0);
  });
}

// The process protects its memory whatever query it is sent (the defect: one nested query ran for
// minutes, starved every client and died with "JavaScript heap out of memory"). With the
// documented defaults that very query ends with RESULT_TOO_LARGE naming the limit, another
// client's query still answers, and the heap stays small. Run inside the graph suite, on its app
// (one app per store).
import { bearer } from "../helpers/auth.js";
import { expect, it } from "vitest";
import type { TestApp } from "../helpers/embedded-app.js";
import { gql } from "../helpers/graphql.js";

const RUNAWAY = `{ orders(first: 500) { nodes { customer { orders(first: 500) { nodes { customer { orders(first: 500) { nodes { id lines { product { sku positions { available } } } } } } } } } } } }`;

export function operationLimitTests(app: () => TestApp) {
  it("stops the runaway nested query with RESULT_TOO_LARGE while another client is answered, without ballooning the heap", async () => {
    const order = app().demo.orders[7];
    globalThis.gc?.();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20);
    try {
      const runaway = gql(app().app.url, RUNAWAY);
      const normal = gql(app().app.url, `query($id: ID!) { order(id: $id) { id status customer { name } } }`, { id: order.id });
      const [big, small] = await Promise.all([runaway, normal]);
      expect(small.errors).toBeUndefined();
      expect(small.data.order).toMatchObject({ id: order.id, status: order.status, customer: { name: expect.any(String) } });
      expect(big.data ?? null).toBeNull();
      expect(big.errors).toHaveLength(1);
      expect(big.errors![0].extensions).toMatchObject({ code: "RESULT_TOO_LARGE", limit: "MAX_RESULT_ITEMS", maxResultItems: 50_000 });
      expect(big.errors![0].message).toContain("MAX_RESULT_ITEMS");
    } finally {
      clearInterval(sampler);
    }
    // The runaway query made 200,000 orders with their lines in the orders subgraph alone before it
    // was stopped; capped at 50,000 items the heap stays within a few hundred MB.
    expect(peak - baseline).toBeLessThan(400 * 1024 * 1024);
    // And the process serves on.
    expect((await gql(app().app.url, `{ orders(first: 3) { nodes { id } } }`)).data.orders.nodes).toHaveLength(3);
  });

  it("gives each operation of a batched request its own budget: the runaway one stops, its neighbour answers", async () => {
    const order = app().demo.orders[8];
    const res = await fetch(app().app.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: await bearer() },
      body: JSON.stringify([{ query: RUNAWAY }, { query: `query($id: ID!) { order(id: $id) { id status } }`, variables: { id: order.id } }]),
    });
    // One status for the whole batch: Apollo Server answers 400 when an operation ends with errors and no data.
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const [big, small] = (await res.json()) as { data?: any; errors?: { extensions?: Record<string, unknown> }[] }[];
    expect(big.errors?.map((e) => e.extensions?.code)).toEqual(["RESULT_TOO_LARGE"]);
    expect(small.errors).toBeUndefined();
    expect(small.data.order).toEqual({ id: order.id, status: order.status });
  });

  it("counts what a subgraph produces when it is called directly, too", async () => {
    const res = await gql(
      app().app.subgraphUrls.orders,
      `{ orders(first: 500) { nodes { customer { orders(first: 500) { nodes { customer { orders(first: 500) { nodes { id } } } } } } } } }`,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe("RESULT_TOO_LARGE");
    expect(res.data ?? null).toBeNull();
  });
}

// Deduplicated entity representations through the real gateway: the nested page of 50 orders (whose
// lines share products) answers byte for byte the same with SUBGRAPH_DEDUPE_REPRESENTATIONS on and
// off, and only with it on are repeated representations left out of the subgraph fetches.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/embedded-app.js";
import { bearer } from "../helpers/auth.js";
import { subgraphRepresentationsSaved } from "../../platform/telemetry/metrics.js";

const PAGE = fs.readFileSync(new URL("../../examples/orders-page.graphql", import.meta.url), "utf8");
const saved = async () => (await subgraphRepresentationsSaved.get()).values.reduce((n, v) => n + v.value, 0);

describe("entity representations sent once per fetch", () => {
  let on: TestApp;
  let off: TestApp;
  beforeAll(async () => {
    on = await startTestApp("pglite");
    off = await startTestApp("pglite", { serverConfig: { dedupeRepresentations: false } });
  });
  afterAll(async () => {
    await on?.close();
    await off?.close();
  });

  const page = async (t: TestApp, after?: string) => {
    const res = await fetch(t.app.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: await bearer() },
      body: JSON.stringify({ query: PAGE, variables: { first: 50, ...(after && { after }) } }),
    });
    expect(res.status).toBe(200);
    return res.text();
  };

  it("answers the nested page of 50 identically with and without, and saves the repeats only with", async () => {
    let before = await saved();
    const withDedupe = await page(on);
    const savedOn = (await saved()) - before;
    before = await saved();
    const without = await page(off);
    const savedOff = (await saved()) - before;
    expect(withDedupe).toBe(without);
    expect(JSON.parse(withDedupe).data.orders.nodes).toHaveLength(50);
    expect(savedOn).toBeGreaterThan(0);
    expect(savedOff).toBe(0);
    // And the next page, by its cursor.
    const cursor = JSON.parse(withDedupe).data.orders.pageInfo.endCursor;
    expect(await page(on, cursor)).toBe(await page(off, cursor));
  });
});

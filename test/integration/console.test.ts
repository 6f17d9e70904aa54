// The operations console at /console in a real headless browser (Debian's chromium through
// playwright-core) against the real embedded app: served from the package with nothing from
// another host, KPI tiles showing what the API answers, a stock change and an order status change
// made through the API appearing on the page over the gateway's own subscriptions, a dead letter
// replayed by a click (and another resolved with a note) leaving the exception queue, a transaction
// followed by its correlation id, the token handling. One app and one browser for the file; each test opens its own page.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestApp, type TestApp } from "../helpers/embedded-app.js";
import { adminToken, signTestToken } from "../helpers/auth.js";
import { gqlOk } from "../helpers/graphql.js";
import { post } from "../helpers/ingest.js";
import { subscribed } from "../helpers/ws-client.js";
import { launchBrowser } from "../helpers/browser.js";
import { consolePageFile } from "../../gateway/console-page.js";
import { webBuildDir } from "../../gateway/ide.js";

// The demo data's last month: a pinned window (?from&to) keeps the tiles independent of the day
// the suite runs (the demo orders end on 2026-11-27).
const FROM = "2026-11-01T00:00:00.000Z";
const TO = "2026-11-28T00:00:00.000Z";
// A failsafe for what the page must show: waits end as soon as it is there.
const SHOWN = 20_000;

describe("the operations console", () => {
  let t: TestApp;
  let origin: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Requests the page made to other hosts, and its uncaught errors: both must stay empty. */
  const foreignRequests: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(consolePageFile(webBuildDir()))) throw new Error("The console is not built: run npm run build:web");
    [t, browser] = await Promise.all([startTestApp("pglite"), launchBrowser()]);
    origin = new URL(t.app.url).origin;
    context = await browser.newContext();
    page = await context.newPage();
    page.on("request", (r) => void (new URL(r.url()).origin !== origin && foreignRequests.push(r.url())));
    page.on("pageerror", (e) => void pageErrors.push(e.message));
    await page.goto(`${origin}/console?from=${FROM}&to=${TO}#token=${await adminToken()}`);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it("is served at /console from the package, takes the token from the link and removes it from the address bar", async () => {
    const res = await fetch(`${origin}/console`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<div id="console">');
    const refs = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThanOrEqual(2);
    for (const ref of refs) expect(ref).toMatch(/^\/web\/assets\//);
    await page.getByTestId("kpis").waitFor({ timeout: SHOWN });
    expect(new URL(page.url()).hash).toBe("");
    expect(await page.evaluate(() => localStorage.getItem("console:token"))).toBe(await adminToken());
  });

  it("shows KPI tiles with the values the API gives for the same window, and charts of the series", async () => {
    const panel = page.locator('[data-testid="kpis"][data-loaded="true"]');
    await panel.waitFor({ timeout: SHOWN });
    expect(await panel.getAttribute("data-from")).toBe(FROM);
    expect(await panel.getAttribute("data-to")).toBe(TO);
    const { kpis, kpiSeries } = await gqlOk(
      t.app.url,
      `query($from: DateTime!, $to: DateTime!) {
        kpis(from: $from, to: $to) { ordersReceived shipmentsShipped fillRate { rate } perfectOrderRate { rate } invoicePostingAccuracy { rate }
          inventoryFreshness { p95AgeSeconds } exceptions { open } orderProcessingLatency { toAccepted { p50Seconds } } }
        kpiSeries(from: $from, to: $to, interval: DAY) { from } }`,
      { from: FROM, to: TO },
    );
    expect(kpis.ordersReceived).toBeGreaterThan(0); // the window holds demo orders: the tiles are not all empty
    const tile = (id: string) => page.getByTestId(`kpi-${id}`);
    const expected: Record<string, number | null> = {
      ordersReceived: kpis.ordersReceived,
      shipmentsShipped: kpis.shipmentsShipped,
      fillRate: kpis.fillRate.rate,
      perfectOrderRate: kpis.perfectOrderRate.rate,
      invoicePostingAccuracy: kpis.invoicePostingAccuracy.rate,
      inventoryFreshness: kpis.inventoryFreshness.p95AgeSeconds,
      exceptionsOpen: kpis.exceptions.open,
      toAccepted: kpis.orderProcessingLatency.toAccepted.p50Seconds,
    };
    for (const [id, value] of Object.entries(expected)) expect(await tile(id).getAttribute("data-value"), id).toBe(value == null ? "" : String(value));
    // What a person reads: the count as a number, the rate as a percentage.
    expect(await tile("ordersReceived").locator(".value").textContent()).toBe(kpis.ordersReceived.toLocaleString("en-US"));
    expect(kpis.fillRate.rate).not.toBeNull();
    expect(await tile("fillRate").locator(".value").textContent()).toBe(`${(kpis.fillRate.rate * 100).toFixed(1).replace(/\.0$/, "")} %`);
    // One chart point per day of the series, drawn (uPlot draws on a canvas).
    const chart = page.getByTestId("chart-counts");
    expect(Number(await chart.getAttribute("data-points"))).toBe(kpiSeries.length);
    expect(await chart.locator("canvas").count()).toBe(1);
  });

  it("shows a stock change made through the API in the ticker, with the new quantities", async () => {
    // Both feeds are subscribed before the change is made (the page subscribes when it loads).
    await subscribed(t.app.subscriptions.follower, 2);
    const sku = t.demo.products[12].sku;
    const before = await gqlOk(t.app.url, `query($sku: String!) { inventoryPosition(sku: $sku, locationId: "LOC-WH-ATL") { onHand available } }`, { sku });
    const res = await post(
      origin,
      "/ingest/wms/inventory",
      JSON.stringify({ eventId: "console-receipt-1", type: "RECEIPT", sku, location: "WH-ATL", quantity: 7, occurredAt: "2026-11-30T10:00:00Z" }),
    );
    expect(res.status).toBe(200);
    const row = page.locator(`[data-testid="stock-row"][data-sku="${sku}"]`);
    await row.waitFor({ timeout: SHOWN });
    expect(await row.getAttribute("data-location")).toBe("LOC-WH-ATL");
    expect(await row.getAttribute("data-on-hand")).toBe(String((before.inventoryPosition?.onHand ?? 0) + 7));
    expect(await row.getAttribute("data-available")).toBe(String((before.inventoryPosition?.available ?? 0) + 7));
    expect(await row.locator("td").nth(3).textContent()).toBe("RECEIPT");
    expect(await row.textContent()).toContain("(+7)");
  });

  it("shows an order status change made through the API in the order feed", async () => {
    const { orders } = await gqlOk(t.app.url, `{ orders(first: 50, filter: { status: [ALLOCATED] }) { nodes { id } } }`);
    const id = orders.nodes[0].id as string;
    await gqlOk(t.app.url, `mutation($id: ID!) { cancelOrder(id: $id, reason: "customer called") { status } }`, { id });
    const row = page.locator(`[data-testid="order-row"][data-order="${id}"]`);
    await row.waitFor({ timeout: SHOWN });
    expect(await row.getAttribute("data-status")).toBe("CANCELLED");
    expect(await row.textContent()).toContain("customer called");
  });

  it("resumes the ticker after the connection drops, with the change it missed (since) and without repeats", async () => {
    // A second page whose WebSocket goes through the test (playwright's routeWebSocket): it can cut
    // the connection and refuse reconnects until the missed change is committed, so the change can
    // only reach the page by the resumed subscription's replay, never live.
    const other = await browser.newContext();
    try {
      let refuse = false;
      const connections: { close(): Promise<void> }[] = [];
      const subscribes: string[] = [];
      await other.routeWebSocket(/\/graphql$/, (ws) => {
        if (refuse) return void ws.close({ code: 1013, reason: "refused by the test" });
        const server = ws.connectToServer();
        ws.onMessage((m) => {
          if (String(m).includes('"subscribe"')) subscribes.push(String(m));
          server.send(m);
        });
        connections.push({ close: async () => void (await Promise.all([ws.close(), server.close()])) });
      });
      const second = await other.newPage();
      await second.goto(`${origin}/console#token=${await adminToken()}`);
      await subscribed(t.app.subscriptions.follower, 4); // both pages' two feeds
      const [a, b] = [t.demo.products[13].sku, t.demo.products[14].sku];
      const receipt = (eventId: string, sku: string, quantity: number) =>
        post(
          origin,
          "/ingest/wms/inventory",
          JSON.stringify({ eventId, type: "RECEIPT", sku, location: "WH-ATL", quantity, occurredAt: "2026-11-30T12:00:00Z" }),
        );
      expect((await receipt("console-resume-a", a, 2)).status).toBe(200);
      const rowA = second.locator(`[data-testid="stock-row"][data-sku="${a}"]`);
      await rowA.waitFor({ timeout: SHOWN });
      const seenSequence = await rowA.getAttribute("data-sequence");

      refuse = true;
      for (const c of connections.splice(0)) await c.close();
      await second.locator('[data-testid="socket-status"][data-status="closed"]').waitFor({ timeout: SHOWN });
      const before = await gqlOk(t.app.url, `query($sku: String!) { inventoryPosition(sku: $sku, locationId: "LOC-WH-ATL") { onHand } }`, { sku: b });
      expect((await receipt("console-resume-b", b, 3)).status).toBe(200);
      refuse = false; // the feed's next attempt (1 s, 2 s, … after the drop) connects

      const rowB = second.locator(`[data-testid="stock-row"][data-sku="${b}"]`);
      await rowB.waitFor({ timeout: SHOWN });
      expect(await rowB.getAttribute("data-on-hand")).toBe(String((before.inventoryPosition?.onHand ?? 0) + 3));
      expect(subscribes.some((m) => m.includes("ConsoleStock") && m.includes(`"since":"${seenSequence}"`))).toBe(true);
      expect(await rowA.count()).toBe(1); // the change seen before the drop is not shown twice
    } finally {
      await other.close();
    }
  });

  it("replays a dead letter by a click once its cause is fixed, and it leaves the queue", async () => {
    const queue = page.getByTestId("exceptions");
    const body = JSON.stringify({
      eventId: "console-dead-1",
      type: "RECEIPT",
      sku: "SKU-CONSOLE-1",
      location: "WH-ATL",
      quantity: 5,
      occurredAt: "2026-11-30T11:00:00Z",
    });
    const res = await post(origin, "/ingest/wms/inventory", body, { "x-correlation-id": "corr-console-dead-1" });
    expect(res.json).toMatchObject({ state: "DEAD_LETTER" });
    const id = `DEAD_LETTER:${res.json.messageId}`;
    await queue.getByRole("button", { name: "Refresh" }).click(); // rather than the 15 s refresh
    const row = page.locator(`[data-testid="exception-row"][data-id="${id}"]`);
    await row.waitFor({ timeout: SHOWN });
    expect(await row.getAttribute("data-state")).toBe("OPEN");
    expect(await row.textContent()).toContain("SKU-CONSOLE-1"); // the reason names the unknown item
    expect(await row.textContent()).toContain("corr-console-dead-1");
    expect(await row.locator("pre").textContent()).toBe(body); // the raw payload, as received

    // Replayed before the fix: it fails again, stays, and the page says why.
    await row.getByRole("button", { name: "Replay" }).click();
    await queue.getByTestId("exception-notice").filter({ hasText: "failed again" }).waitFor({ timeout: SHOWN });
    expect(await row.count()).toBe(1);

    // The item is onboarded through the API; the replay now applies it and the row leaves the queue.
    await gqlOk(
      t.app.url,
      `mutation { upsertProducts(products: [{ sku: "SKU-CONSOLE-1", description: "Onboarded after the dead letter", baseUnit: "EA" }]) { created } }`,
    );
    await row.getByRole("button", { name: "Replay" }).click();
    await row.waitFor({ state: "detached", timeout: SHOWN });
    expect(await queue.getByTestId("exception-notice").textContent()).toContain(`${id} retried: RESOLVED`);
    const after = await gqlOk(
      t.app.url,
      `query($id: ID!) { exception(id: $id) { state resolvedAt } inventoryPosition(sku: "SKU-CONSOLE-1", locationId: "LOC-WH-ATL") { onHand } }`,
      { id },
    );
    expect(after.exception.state).toBe("RESOLVED");
    expect(after.exception.resolvedAt).not.toBeNull();
    expect(after.inventoryPosition.onHand).toBe(5);
  });

  it("resolves an exception with the note typed in, and it leaves the queue", async () => {
    const queue = page.getByTestId("exceptions");
    const res = await post(
      origin,
      "/ingest/wms/inventory",
      JSON.stringify({ eventId: "console-dead-2", type: "RECEIPT", sku: "SKU-CONSOLE-2", location: "WH-ATL", quantity: 1, occurredAt: "2026-11-30T11:00:00Z" }),
    );
    const id = `DEAD_LETTER:${res.json.messageId}`;
    await queue.getByRole("button", { name: "Refresh" }).click();
    const row = page.locator(`[data-testid="exception-row"][data-id="${id}"]`);
    await row.waitFor({ timeout: SHOWN });
    await row.getByRole("button", { name: "Resolve…" }).click();
    const submit = row.getByRole("button", { name: "Resolve", exact: true });
    expect(await submit.isDisabled()).toBe(true); // a note is required
    await row.getByLabel(`Note to resolve ${id}`).fill("booked by hand in the WMS");
    await submit.click();
    await row.waitFor({ state: "detached", timeout: SHOWN });
    const { exception } = await gqlOk(t.app.url, `query($id: ID!) { exception(id: $id) { state resolutionNote } }`, { id });
    expect(exception).toEqual({ state: "RESOLVED", resolutionNote: "booked by hand in the WMS" });
  });

  it("follows a transaction by its correlation id, opened from the exception queue, step for step as the API gives it", async () => {
    const queue = page.getByTestId("exceptions");
    const body = JSON.stringify({
      eventId: "console-dead-3",
      type: "RECEIPT",
      sku: "SKU-CONSOLE-3",
      location: "WH-ATL",
      quantity: 1,
      occurredAt: "2026-11-30T11:00:00Z",
    });
    const res = await post(origin, "/ingest/wms/inventory", body, { "x-correlation-id": "corr-console-trace" });
    const row = page.locator(`[data-testid="exception-row"][data-id="DEAD_LETTER:${res.json.messageId}"]`);
    await queue.getByRole("button", { name: "Refresh" }).click();
    await row.waitFor({ timeout: SHOWN });
    await row.getByRole("button", { name: "corr-console-trace" }).click();
    await page.locator('[data-testid="trace"][data-correlation-id="corr-console-trace"]:not([data-steps=""])').waitFor({ timeout: SHOWN });
    const { trace } = await gqlOk(t.app.url, `{ trace(correlationId: "corr-console-trace") { steps { subgraph kind description } } }`);
    const shown = await page.getByTestId("trace-step").evaluateAll((rows) =>
      rows.map((r) => ({
        subgraph: (r as HTMLElement).dataset.subgraph,
        kind: (r as HTMLElement).dataset.kind,
        description: (r as HTMLTableRowElement).cells[4].textContent,
      })),
    );
    expect(shown).toEqual(trace.steps);
    expect(shown.map((s) => s.kind)).toContain("RECEIVED");

    // An id typed in that nothing carries: the page says so.
    await page.getByLabel("Correlation id").fill("corr-console-nothing");
    await page.getByTestId("trace").getByRole("button", { name: "Show" }).click();
    await page.getByText("Nothing carries the correlation id corr-console-nothing.").waitFor({ timeout: SHOWN });
    expect(await page.getByTestId("trace-step").count()).toBe(0);
  });

  it("asks for a token when it has none, and again when the gateway refuses the one given", async () => {
    const fresh = await browser.newContext();
    try {
      const other = await fresh.newPage();
      await other.goto(`${origin}/console`);
      await other.getByTestId("token-form").waitFor({ timeout: SHOWN });
      expect(await other.locator("h2").first().textContent()).toBe("A bearer token is needed");
      // A token signed with another secret: the gateway answers 401 and the page says so.
      const forged = (await signTestToken({ sub: "x" })).replace(/\.[^.]+$/, ".c2lnbmF0dXJl");
      await other.getByLabel("Bearer token").fill(forged);
      await other.getByRole("button", { name: "Use this token" }).click();
      await other.getByText("The gateway refused the token").waitFor({ timeout: SHOWN });
      expect(await other.evaluate(() => localStorage.getItem("console:token"))).toBeNull();
    } finally {
      await fresh.close();
    }
  });

  it("loaded nothing from another host and threw no error", () => {
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

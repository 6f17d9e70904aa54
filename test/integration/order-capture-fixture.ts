// The app and fixture the order capture suites share (order-capture-suite.ts and
// order-concurrency-suite.ts): no demo data; business units, warehouses and customers as the ERP
// and the WMS would give them; three products with prices and stock; placeOrder and stock helpers.
import { expect } from "vitest";
import { startTestApp, testServerConfig, type TestApp } from "../helpers/embedded-app.js";
import { gql, gqlOk } from "../helpers/graphql.js";
import { post } from "../helpers/ingest.js";
import { waitFor } from "../helpers/wait.js";
import { testSecurity } from "../helpers/auth.js";
import { gs1CheckDigit } from "../../platform/mapping/index.js";
import type { StoreKind } from "../helpers/databases.js";

export const withCheck = (body: string) => `${body}${gs1CheckDigit(body)}`;
export const WIDGET_GTIN13 = withCheck("061414199990");
export const GADGET_GTIN13 = withCheck("061414199991");
export const PLACE = `mutation($i: PlaceOrderInput!) { placeOrder(input: $i) {
  outcome replayed reasons { code message lineNumber } warnings { code message lineNumber }
  order { id status channel currency totalAmount customerPo businessUnit { id } capture { outcome credit { approved reason available } }
    lines { lineNumber sku unit unitPrice priceSource buyerUnitPrice customerPartNumber gtin quantityOrdered quantityAllocated quantityBackordered extendedAmount inBaseUnit { unit factor ordered allocated } } } } }`;

export interface OrderCaptureApp {
  t: TestApp;
  url: string;
  base: string;
  place(input: Record<string, unknown>, headers?: Record<string, string>, at?: string): Promise<any>;
  position(sku: string, locationId: string): Promise<{ onHand: number; allocated: number; available: number }>;
  receive(eventId: string, sku: string, location: string, quantity: number): Promise<void>;
}

export async function startOrderCaptureApp(kind: StoreKind): Promise<OrderCaptureApp> {
  // A generous credit deadline here: 200 concurrent orders on a 2-core machine queue for the
  // database, and these tests are about allocation; the deadline has its own tests.
  // 200 concurrent placeOrder calls queue behind one store connection: on a loaded machine the
  // last waits longer than the default operation timeout (30 s), which would cancel it; these
  // suites assert allocation, not latency.
  const t = await startTestApp(kind, {
    demo: false,
    hostOptions: { pollIntervalMs: 200, creditCheckTimeoutMs: 60_000 },
    serverConfig: { limits: { ...testServerConfig.limits, timeoutMs: 170_000 } },
    // The credit-over-HTTP tests reach this app's erp-finance at its own endpoint.
    security: testSecurity({}, { SUBGRAPH_DEBUG_ENDPOINTS: "true" }),
  });
  const url = t.app.url;
  const base = url.replace(/\/graphql$/, "/");
  const db = t.database.db;
  const place = (input: Record<string, unknown>, headers: Record<string, string> = {}, at = url) =>
    gql(at, PLACE, { i: input }, headers).then((r) => {
      if (r.errors?.length) throw new Error(JSON.stringify(r.errors));
      return r.data.placeOrder;
    });
  const position = (sku: string, locationId: string) =>
    gqlOk(url, `{ inventoryPosition(sku: "${sku}", locationId: "${locationId}") { onHand allocated available } }`).then((d) => d.inventoryPosition);
  const receive = (eventId: string, sku: string, location: string, quantity: number) =>
    post(base, "/ingest/wms/inventory", JSON.stringify({ eventId, type: "RECEIPT", sku, location, quantity, occurredAt: new Date().toISOString() })).then(
      (r) => {
        expect(r.json.state).toBe("PROCESSED");
      },
    );

  // Business units, warehouses and customers come from the ERP and the WMS; here from fixtures,
  // as the demo loader would write them (the demo set itself is not needed).
  await db.businessUnit.createMany({
    data: [
      { id: "BU-EAST", name: "East", erpSystem: "SAP_ECC", erpInstance: "PRD-100", deployment: "ON_PREMISE", currency: "USD" },
      { id: "BU-WEST", name: "West", erpSystem: "NETSUITE", erpInstance: "1234567", deployment: "CLOUD", currency: "USD" },
    ],
  });
  await db.location.createMany({
    data: ["ATL", "CLT", "RNO"].map((c) => ({ id: `LOC-WH-${c}`, code: `WH-${c}`, name: `${c} DC`, kind: "WAREHOUSE" as const })),
  });
  await db.customer.createMany({
    data: [
      { id: "CUST-T1", name: "Test Buyer One", businessUnitId: "BU-EAST", creditLimit: "1000000.00", currency: "USD", paymentTerms: "NET30", termsDays: 30 },
      { id: "CUST-T2", name: "Small Credit Co", businessUnitId: "BU-EAST", creditLimit: "100.00", currency: "USD", paymentTerms: "NET30", termsDays: 30 },
      { id: "CUST-T3", name: "Strict Pricing Inc", businessUnitId: "BU-WEST", creditLimit: "50000.00", currency: "USD", paymentTerms: "NET45", termsDays: 45 },
    ],
  });
  const upserted = await gqlOk(url, `mutation($p: [ProductInput!]!) { upsertProducts(products: $p) { created updated warnings products { sku gtin } } }`, {
    p: [
      { sku: "T-WIDGET", description: "Test widget", baseUnit: "EA", gtin: WIDGET_GTIN13, conversions: [{ unit: "CS", factor: 12 }] },
      { sku: "T-GADGET", description: "Test gadget", baseUnit: "EA", gtin: GADGET_GTIN13 },
      { sku: "T-HOT", description: "The item everyone wants", baseUnit: "EA" },
    ],
  });
  expect(upserted.upsertProducts).toMatchObject({ created: 3, updated: 0, warnings: [] });
  expect(upserted.upsertProducts.products[0].gtin).toBe(`0${WIDGET_GTIN13}`);
  await gqlOk(url, `mutation($p: [PriceInput!]!) { upsertPrices(prices: $p) }`, {
    p: [
      { sku: "T-WIDGET", unit: "EA", currency: "USD", unitPrice: "2.0000" },
      { sku: "T-WIDGET", unit: "CS", currency: "USD", unitPrice: "22.8000" },
      { sku: "T-WIDGET", customerId: "CUST-T1", unit: "EA", currency: "USD", unitPrice: "1.9000" },
      { sku: "T-GADGET", unit: "EA", currency: "USD", unitPrice: "5.0000" },
      { sku: "T-HOT", unit: "EA", currency: "USD", unitPrice: "1.0000" },
    ],
  });
  await gqlOk(url, `mutation($r: [CrossReferenceInput!]!) { upsertCrossReferences(references: $r) { upserted } }`, {
    r: [{ kind: "PRODUCT", system: "CUST-T1", externalValue: "W-778", canonicalId: "T-WIDGET" }],
  });
  await receive("t-rcpt-1", "T-WIDGET", "WH-ATL", 100);
  await receive("t-rcpt-2", "T-WIDGET", "WH-CLT", 30);
  await receive("t-rcpt-3", "T-GADGET", "WH-RNO", 10);
  await receive("t-rcpt-4", "T-HOT", "WH-ATL", 50);
  // Order capture knows products through its catalog (the orders.catalog consumer).
  await waitFor(
    async () => (await db.catalogItem.count({ where: { sku: { in: ["T-WIDGET", "T-GADGET", "T-HOT"] } } })) === 3 || null,
    "the catalog projection",
  );
  return { t, url, base, place, position, receive };
}

// What the order channel tests share: the running app, its fixture (customers, products, prices,
// stock) and small helpers to post documents and read orders back through the graph.
import fs from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import type { TestApp } from "../../helpers/embedded-app.js";
import type { Db } from "../../../platform/db/client.js";
import { gqlOk } from "../../helpers/graphql.js";
import { post } from "../../helpers/ingest.js";
import { waitFor } from "../../helpers/wait.js";
import { gs1CheckDigit } from "../../../platform/mapping/index.js";
import { shopifySignature } from "../../../platform/ingest/auth/shopify-hmac.js";

export interface ChannelContext {
  t: TestApp;
  db: Db;
  url: string;
  base: string;
}

export const withCheck = (body: string) => `${body}${gs1CheckDigit(body)}`;
export const WIDGET_GTIN = withCheck("061414155550"); // 13 digits
export const GADGET_GTIN = withCheck("061414155551");
export const SHOP = "shop1.myshopify.com";
export const SHOP_SECRET = "hush-7f3a9c";
export const SAMPLES = path.join(import.meta.dirname, "../../fixtures/samples");
export const sample = (name: string) => fs.readFileSync(path.join(SAMPLES, name));

/** The sample 850's six items (PO1 VN numbers), their skus here, our list prices and stock at LOC-WH-ATL. */
export const XYZ_ITEMS = [
  { vn: "AB3542", sku: "XYZ-SMALL", price: "9.2500", stock: 200 },
  { vn: "RD5322", sku: "XYZ-MEDIUM", price: "13.5000", stock: 300 }, // the buyer says 13.79: a changed price
  { vn: "XY5266", sku: "XYZ-LARGE", price: "10.9900", stock: 100 }, // 126 ordered: 26 backordered
  { vn: "VX2332", sku: "XYZ-NANO", price: "4.3500", stock: 0 }, // nothing in stock
  { vn: "RV0524", sku: "XYZ-BLUE", price: "7.5000", stock: 72 },
  { vn: "DX1875", sku: "XYZ-ORANGE", price: "9.5500", stock: 1000 },
];

export const ORDER_FIELDS = `id status customerPo channel currency totalAmount requestedShipDate requestedDeliveryDate customer { id }
  shipTo { name address gln } externalRefs { system value } capture { outcome warnings { code message lineNumber } }
  lines { lineNumber sku unit unitPrice buyerUnitPrice priceSource customerPartNumber gtin quantityOrdered quantityAllocated quantityBackordered requestedDate deliverTo inBaseUnit { unit factor ordered } }
  charges { kind code description amount lineNumber }
  statusHistory { from to source reason correlationId }
  documents { id type standard partner controlNumber createdAt content }`;

export async function order(ctx: ChannelContext, id: string) {
  return (await gqlOk(ctx.url, `query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`, { id })).order;
}

export async function orderByRef(ctx: ChannelContext, ref: string) {
  const d = await gqlOk(ctx.url, `query($r: String!) { orders(filter: { externalRef: $r }) { nodes { id } } }`, { r: ref });
  return d.orders.nodes.length ? order(ctx, d.orders.nodes[0].id) : null;
}

export async function message(ctx: ChannelContext, id: string) {
  return (
    await gqlOk(
      ctx.url,
      `query($id: ID!) { inboundMessage(id: $id) { id state kind idempotencyKey failedStep error result warnings { step code message where } } }`,
      { id },
    )
  ).inboundMessage;
}

export const untilStatus = (ctx: ChannelContext, id: string, statuses: string[]) =>
  waitFor(async () => ((o) => (statuses.includes(o.status) ? o : null))(await order(ctx, id)), `order ${id} in ${statuses.join("/")}`);

export const untilDocument = (ctx: ChannelContext, id: string, type: string) =>
  waitFor(async () => ((o) => (o.documents.some((d: { type: string }) => d.type === type) ? o : null))(await order(ctx, id)), `order ${id} with a ${type}`);

export const untilProcessed = (ctx: ChannelContext, messageId: string, states = ["PROCESSED", "RECONCILED", "DEAD_LETTER"]) =>
  waitFor(async () => ((m) => (states.includes(m.state) ? m : null))(await message(ctx, messageId)), `message ${messageId} in ${states.join("/")}`);

export async function mapRefs(ctx: ChannelContext, refs: { kind: string; system: string; externalValue: string; canonicalId: string }[]) {
  await gqlOk(ctx.url, `mutation($r: [CrossReferenceInput!]!) { upsertCrossReferences(references: $r) { upserted } }`, { r: refs });
}

export const postX12 = (ctx: ChannelContext, body: string | Buffer) => post(ctx.base, "/ingest/x12", body, { "content-type": "application/edi-x12" });
export const postEdifact = (ctx: ChannelContext, body: string | Buffer) => post(ctx.base, "/ingest/edifact", body, { "content-type": "application/edifact" });

export function postShopify(
  ctx: ChannelContext,
  topic: string,
  body: string | Buffer,
  options: { webhookId: string; secret?: string | null; shop?: string; hmac?: string },
) {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const headers: Record<string, string> = {
    "x-shopify-topic": topic,
    "x-shopify-shop-domain": options.shop ?? SHOP,
    "x-shopify-webhook-id": options.webhookId,
    "x-shopify-api-version": "2024-01",
  };
  const hmac = options.hmac ?? (options.secret === null ? undefined : shopifySignature(bytes, options.secret ?? SHOP_SECRET));
  if (hmac !== undefined) headers["x-shopify-hmac-sha256"] = hmac;
  return post(ctx.base, `/ingest/shopify/${topic}`, bytes, headers);
}

/** Customers, warehouses, products (with catalog), prices and stock the channel tests order against. */
export async function createChannelFixture(ctx: ChannelContext) {
  const db = ctx.db;
  await db.businessUnit.create({ data: { id: "BU-CH", name: "Channels", erpSystem: "NETSUITE", erpInstance: "1", deployment: "CLOUD", currency: "USD" } });
  await db.location.createMany({ data: ["ATL", "CLT"].map((c) => ({ id: `LOC-WH-${c}`, code: `WH-${c}`, name: `${c} DC`, kind: "WAREHOUSE" as const })) });
  await db.customer.createMany({
    data: [
      { id: "CUST-XYZ", name: "XYZ Retail", businessUnitId: "BU-CH", creditLimit: "1000000.00", currency: "USD", paymentTerms: "NET30", termsDays: 30 },
      { id: "CUST-ACME", name: "Acme Wholesale", businessUnitId: "BU-CH", creditLimit: "1000000.00", currency: "USD", paymentTerms: "NET30", termsDays: 30 },
      { id: "CUST-MS", name: "M+S Retail GmbH", businessUnitId: "BU-CH", creditLimit: "1000000.00", currency: "USD", paymentTerms: "NET30", termsDays: 30 },
      { id: "CUST-WEB", name: "Web shop", businessUnitId: "BU-CH", creditLimit: "1000000.00", currency: "USD", paymentTerms: "PREPAID", termsDays: 0 },
      { id: "CUST-TIGHT", name: "Tight Credit Ltd", businessUnitId: "BU-CH", creditLimit: "100.00", currency: "USD", paymentTerms: "NET30", termsDays: 30 },
    ],
  });
  await gqlOk(ctx.url, `mutation($p: [ProductInput!]!) { upsertProducts(products: $p) { created } }`, {
    p: [
      { sku: "CH-WIDGET", description: "Channel widget", baseUnit: "EA", gtin: WIDGET_GTIN, conversions: [{ unit: "CS", factor: 12 }] },
      { sku: "CH-GADGET", description: "Channel gadget", baseUnit: "EA", gtin: GADGET_GTIN },
      { sku: "IPOD-NANO", description: "iPod Nano 8GB", baseUnit: "EA" },
      ...XYZ_ITEMS.map((i) => ({ sku: i.sku, description: `XYZ ${i.vn}`, baseUnit: "EA" })),
    ],
  });
  await gqlOk(ctx.url, `mutation($p: [PriceInput!]!) { upsertPrices(prices: $p) }`, {
    p: [
      { sku: "CH-WIDGET", unit: "EA", currency: "USD", unitPrice: "1.9000" },
      { sku: "CH-WIDGET", unit: "CS", currency: "USD", unitPrice: "22.8000" },
      { sku: "CH-GADGET", unit: "EA", currency: "USD", unitPrice: "5.0000" },
      { sku: "IPOD-NANO", unit: "EA", currency: "USD", unitPrice: "199.0000" },
      ...XYZ_ITEMS.map((i) => ({ sku: i.sku, unit: "EA", currency: "USD", unitPrice: i.price })),
    ],
  });
  const receipts = [
    { sku: "CH-WIDGET", quantity: 1000 },
    { sku: "CH-GADGET", quantity: 100 },
    { sku: "IPOD-NANO", quantity: 50 },
    ...XYZ_ITEMS.filter((i) => i.stock > 0).map((i) => ({ sku: i.sku, quantity: i.stock })),
  ];
  const events = receipts.map((r, i) => ({
    eventId: `ch-rcpt-${i}`,
    type: "RECEIPT",
    sku: r.sku,
    location: "WH-ATL",
    quantity: r.quantity,
    occurredAt: "2026-11-27T10:00:00Z",
  }));
  const r = await post(ctx.base, "/ingest/wms/inventory", JSON.stringify(events));
  expect(r.status).toBe(200);
  await waitFor(async () => (await db.catalogItem.count()) === 3 + XYZ_ITEMS.length || null, "the catalog projection");
}

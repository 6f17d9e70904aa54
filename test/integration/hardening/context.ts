// What every group of hardening tests shares: the running app and how to reach it.
import type { TestApp } from "../../helpers/embedded-app.js";
import type { Db } from "../../../platform/db/client.js";
import { gqlOk } from "../../helpers/graphql.js";

/** The Shopify shop whose order webhooks the hardening app accepts, and its HMAC secret. */
export const HARDENING_SHOP = "hardening.myshopify.com";
export const HARDENING_SHOP_SECRET = "hardening-secret";

export interface HardeningContext {
  t: TestApp;
  db: Db;
  /** The gateway's /graphql URL. */
  url: string;
  /** The server's root URL, for /ingest/... */
  base: string;
}

export const MESSAGE_FIELDS = `id state source kind idempotencyKey correlationId failedStep error attempts sizeBytes rawBase64 result
  warnings { step code message where } duplicateOf { id } conflictWith { id }`;

export async function message(ctx: HardeningContext, id: string) {
  return (await gqlOk(ctx.url, `query($id: ID!) { inboundMessage(id: $id) { ${MESSAGE_FIELDS} } }`, { id })).inboundMessage;
}

export const rawOf = (m: { rawBase64: string }) => Buffer.from(m.rawBase64, "base64");

export async function onHand(ctx: HardeningContext, sku: string, locationId: string): Promise<number | null> {
  const p = await ctx.db.inventoryPosition.findUnique({ where: { sku_locationId: { sku, locationId } } });
  return p?.onHand ?? null;
}

/** Runs the ops CLI without blocking this process, which also hosts the server it talks to. */
export { runOps } from "../../helpers/ops-cli.js";

/** A WMS event at a fixture location, with defaults for what a test does not care about. */
export const wms = (e: Record<string, unknown>) => ({
  type: "RECEIPT",
  sku: "FX-1",
  location: "FX-WH-A",
  quantity: 1,
  occurredAt: "2026-11-28T10:00:00Z",
  ...e,
});

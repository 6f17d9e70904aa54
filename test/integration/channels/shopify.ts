// Shopify order webhooks through POST /ingest/shopify/orders/{create,updated,cancelled} with real
// bytes and real HMAC signatures: a wrong, missing or foreign signature (401, nothing stored or
// applied), a written order (id beyond 2^53, taxes included, another presentment currency, an
// unmapped shop then mapped and replayed), duplicates, out-of-order updates (RECONCILED), and
// Shopify's published orders/create sample (cancelled: captured, then cancelled).
import { expect, it } from "vitest";
import { gqlOk } from "../../helpers/graphql.js";
import { shopifySignature } from "../../../platform/ingest/auth/shopify-hmac.js";
import { mapRefs, orderByRef, postShopify, sample, SHOP, untilProcessed, untilStatus, type ChannelContext } from "./context.js";

const BIG_ID = "9007199254740993"; // 2^53 + 1: a JavaScript number would make it ...992

/** Shopify's sample order, rewritten as text (large ids kept exactly as digits). */
function writtenOrder(changes: { id?: string; updatedAt: string; cancelledAt?: string | null; address1?: string; taxesIncluded?: boolean }) {
  let text = sample("shopify-orders-create-webhook-sample.json").toString("utf8");
  text = text.replace(/^(\s*)"id": 820982911946154508,/m, `$1"id": ${changes.id ?? BIG_ID},`);
  text = text.replace(/"updated_at": "2022-04-06T08:09:03-04:00"/, `"updated_at": "${changes.updatedAt}"`);
  text = text.replace(/"cancelled_at": "[^"]*"/, changes.cancelledAt ? `"cancelled_at": "${changes.cancelledAt}"` : `"cancelled_at": null`);
  if (changes.address1) text = text.replace('"address1": "123 Shipping Street"', `"address1": "${changes.address1}"`);
  if (changes.taxesIncluded) {
    text = text.replace('"taxes_included": false', '"taxes_included": true').replace('"presentment_currency": "USD"', '"presentment_currency": "EUR"');
    // Each line's tax, as Shopify states it in tax_lines.
    text = text.replace(
      /"tax_lines": \[\s*\]\s*\}\s*,\s*\{\s*"id": 141249953214522974/,
      `"tax_lines": [{ "title": "VAT", "rate": 0.1, "price": "18.09" }] }, { "id": 141249953214522974`,
    );
  }
  return text;
}

export function shopifyChannelTests(ctx: ChannelContext) {
  const inbound = () => ctx.db.inboundMessage.count({ where: { source: "shopify" } });

  it("refuses a wrong, missing or foreign signature with 401 and stores nothing", async () => {
    const body = writtenOrder({ updatedAt: "2026-11-27T10:00:00-05:00" });
    const before = await inbound();
    const wrong = await postShopify(ctx, "orders/create", body, { webhookId: "wh-bad-1", secret: "not-the-secret" });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toBe(`not authenticated: X-Shopify-Hmac-Sha256 does not match the body for shop ${SHOP}; nothing was stored or applied`);
    expect(wrong.json).toMatchObject({ code: "UNAUTHENTICATED", message: wrong.json.error, correlationId: expect.any(String) });
    const missing = await postShopify(ctx, "orders/create", body, { webhookId: "wh-bad-2", secret: null });
    expect(missing.status).toBe(401);
    expect(missing.json.error).toMatch(/missing X-Shopify-Hmac-Sha256 header/);
    // Signed correctly, but by a shop this server has no secret for.
    const foreign = await postShopify(ctx, "orders/create", body, {
      webhookId: "wh-bad-3",
      shop: "other.myshopify.com",
      hmac: shopifySignature(Buffer.from(body), "other-secret"),
    });
    expect(foreign.status).toBe(401);
    expect(foreign.json.error).toMatch(/no webhook secret is configured for shop other.myshopify.com/);
    // A body changed after signing.
    const tampered = await postShopify(ctx, "orders/create", body.replace('"quantity": 1', '"quantity": 9'), {
      webhookId: "wh-bad-4",
      hmac: shopifySignature(Buffer.from(body), "hush-7f3a9c"),
    });
    expect(tampered.status).toBe(401);
    expect(await inbound()).toBe(before);
    expect(await orderByRef(ctx, BIG_ID)).toBeNull();
  });

  it("takes a signed order at once (202), dead-letters it while the shop is unmapped, and captures it with exact values after mapping and replay", async () => {
    const body = writtenOrder({ updatedAt: "2026-11-27T10:00:00-05:00", taxesIncluded: true });
    const r = await postShopify(ctx, "orders/create", body, { webhookId: "wh-create-1" });
    expect(r.status).toBe(202);
    expect(r.json).toMatchObject({ state: "RECEIVED" });
    const dead = await untilProcessed(ctx, r.json.messageId);
    expect(dead).toMatchObject({ state: "DEAD_LETTER", failedStep: "MAP", idempotencyKey: `${SHOP}:wh-create-1` });
    expect(dead.error).toBe(
      `no mapping for CUSTOMER ${SHOP}:customer:115310627314723954 from SHOPIFY (at customer); no mapping for CUSTOMER ${SHOP} from SHOPIFY (at customer); ` +
        "no mapping for PRODUCT IPOD2008PINK from SHOPIFY (at line 1, line 2); no mapping for PRODUCT 808950810 from SHOPIFY (at line 1, line 2)",
    );
    await mapRefs(ctx, [
      { kind: "CUSTOMER", system: "SHOPIFY", externalValue: SHOP, canonicalId: "CUST-WEB" },
      { kind: "PRODUCT", system: "SHOPIFY", externalValue: "808950810", canonicalId: "IPOD-NANO" },
    ]);
    const replayed = await gqlOk(ctx.url, `mutation($id: ID!) { replayInboundMessage(id: $id) { state result warnings { code message } } }`, {
      id: r.json.messageId,
    });
    expect(replayed.replayInboundMessage).toMatchObject({ state: "PROCESSED", result: { outcome: "ACCEPTED", created: true } });
    expect(replayed.replayInboundMessage.warnings.map((w: { code: string }) => w.code)).toEqual(["SHOPIFY_PRESENTMENT_CURRENCY", "PRICE_DIFFERENCE"]);
    const o = await untilStatus(ctx, replayed.replayInboundMessage.result.orderId, ["ALLOCATED"]);
    expect(o).toMatchObject({
      channel: "COMMERCE",
      customer: { id: "CUST-WEB" },
      customerPo: "#9999",
      currency: "USD",
      externalRefs: [{ system: "SHOPIFY", value: BIG_ID }],
      shipTo: { name: "Steve Shipper, Shipping Company", address: "123 Shipping Street, Shippington, KY 40003, US" },
      totalAmount: "398.00",
    });
    expect(o.lines).toMatchObject([
      // Taxes included: the first line's 199.00 holds 18.09 of tax; the buyer's net price is compared with ours.
      { lineNumber: 1, sku: "IPOD-NANO", quantityOrdered: 1, unitPrice: "199", buyerUnitPrice: "180.91", priceSource: "LIST_PRICE" },
      { lineNumber: 2, sku: "IPOD-NANO", quantityOrdered: 1, unitPrice: "199", buyerUnitPrice: "199" },
    ]);
    expect(o.charges).toEqual([
      { kind: "CHARGE", code: "SHIPPING", description: "Generic Shipping", amount: "10.00", lineNumber: null },
      { kind: "ALLOWANCE", code: "DISCOUNT", description: null, amount: "5.00", lineNumber: 2 }, // the sample's discount is on its second line
    ]);
    const stored = await ctx.db.order.findUniqueOrThrow({ where: { id: o.id } });
    expect(stored.sourceUpdatedAt?.toISOString()).toBe("2026-11-27T15:00:00.000Z");
  });

  it("answers a redelivery (same webhook id) as a duplicate with 200 and another body under it as a conflict (409), and applies updates by updated_at: an older one is RECONCILED", async () => {
    const orders = await ctx.db.order.count();
    const again = await postShopify(ctx, "orders/create", writtenOrder({ updatedAt: "2026-11-27T10:00:00-05:00", taxesIncluded: true }), {
      webhookId: "wh-create-1",
    });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ state: "DUPLICATE", original: { state: "PROCESSED" } });
    // The same webhook id with another body (signed): a conflict, never applied.
    const conflict = await postShopify(ctx, "orders/create", writtenOrder({ updatedAt: "2026-11-27T10:30:00-05:00", address1: "1 Conflict Way" }), {
      webhookId: "wh-create-1",
    });
    expect(conflict.status).toBe(409);
    expect(conflict.json).toMatchObject({ state: "DEAD_LETTER", failedStep: "IDEMPOTENCY" });
    // A newer update (new address) arrives before an older one.
    const newer = await postShopify(ctx, "orders/updated", writtenOrder({ updatedAt: "2026-11-27T12:00:00-05:00", address1: "9 New Dock" }), {
      webhookId: "wh-upd-3",
    });
    expect((await untilProcessed(ctx, newer.json.messageId)).state).toBe("PROCESSED");
    const older = await postShopify(ctx, "orders/updated", writtenOrder({ updatedAt: "2026-11-27T11:00:00-05:00", address1: "5 Old Dock" }), {
      webhookId: "wh-upd-2",
    });
    const stale = await untilProcessed(ctx, older.json.messageId);
    expect(stale.state).toBe("RECONCILED");
    expect(stale.result.reason).toBe(
      "this version (updated 2026-11-27T16:00:00.000Z) is not newer than the one the order already reflects (2026-11-27T17:00:00.000Z): not applied",
    );
    const o = await orderByRef(ctx, BIG_ID);
    expect(o.shipTo.address).toBe("9 New Dock, Shippington, KY 40003, US");
    expect(await ctx.db.order.count()).toBe(orders);
    // A later cancellation applies.
    const cancelled = await postShopify(
      ctx,
      "orders/cancelled",
      writtenOrder({ updatedAt: "2026-11-27T13:00:00-05:00", cancelledAt: "2026-11-27T13:00:00-05:00" }),
      { webhookId: "wh-cancel-1" },
    );
    expect((await untilProcessed(ctx, cancelled.json.messageId)).result).toMatchObject({ outcome: "CANCELLED" });
    expect((await orderByRef(ctx, BIG_ID)).statusHistory.at(-1)).toMatchObject({
      to: "CANCELLED",
      source: "commerce",
      reason: "cancelled in Shopify (customer)",
    });
  });

  it("captures Shopify's own sample exactly (its id beyond 2^53 kept), then cancels it as the sample says; truncated and malformed bodies are dead letters", async () => {
    const body = sample("shopify-orders-create-webhook-sample.json");
    const r = await postShopify(ctx, "orders/create", body, { webhookId: "wh-sample-1" });
    expect(r.status).toBe(202);
    const done = await untilProcessed(ctx, r.json.messageId);
    expect(done).toMatchObject({ state: "PROCESSED", result: { outcome: "ACCEPTED", created: true } });
    const o = await orderByRef(ctx, "820982911946154508");
    expect(o).toMatchObject({ status: "CANCELLED", externalRefs: [{ system: "SHOPIFY", value: "820982911946154508" }], totalAmount: "398.00" });
    expect(o.statusHistory.map((h: { to: string }) => h.to)).toEqual(["ACCEPTED", "CANCELLED"]);
    const bad = await postShopify(ctx, "orders/updated", '{"id": 1, "line_items": [', { webhookId: "wh-bad-json" });
    expect(bad.status).toBe(202); // taken at once; read right after
    expect(await untilProcessed(ctx, bad.json.messageId)).toMatchObject({ state: "DEAD_LETTER", failedStep: "PARSE" });
    // Valid JSON that is not an order: refused at validation, naming the field.
    const notAnOrder = await postShopify(ctx, "orders/updated", '{"id": 1, "updated_at": "2026-11-27T10:00:00Z", "currency": "USD", "line_items": []}', {
      webhookId: "wh-not-order",
    });
    expect(await untilProcessed(ctx, notAnOrder.json.messageId)).toMatchObject({
      state: "DEAD_LETTER",
      failedStep: "VALIDATE",
      error: "invalid document: $.line_items: must hold at least one line item",
    });
    // The same version of the order under another webhook id (a second subscription): not newer, so RECONCILED.
    const resent = await postShopify(ctx, "orders/create", body, { webhookId: "wh-sample-2" });
    expect(resent.status).toBe(202);
    const mismatch = await fetch(new URL("/ingest/shopify/orders/updated", ctx.base), {
      method: "POST",
      body,
      headers: {
        "x-shopify-topic": "orders/create",
        "x-shopify-shop-domain": SHOP,
        "x-shopify-webhook-id": "wh-topic-2",
        "x-shopify-hmac-sha256": shopifySignature(body, "hush-7f3a9c"),
      },
    });
    expect(mismatch.status).toBe(422);
    expect((await mismatch.json()).error).toBe(
      "X-Shopify-Topic is orders/create, but this endpoint takes orders/updated: subscribe the topic to /ingest/shopify/orders/create",
    );
    expect(await untilProcessed(ctx, resent.json.messageId)).toMatchObject({ state: "RECONCILED", result: { orderId: o.id } });
  });
}

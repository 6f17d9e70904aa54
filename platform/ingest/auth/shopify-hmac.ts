// Shopify webhook authentication: X-Shopify-Hmac-Sha256 is the base64 HMAC-SHA256 of the raw
// request body under the app's webhook secret. Secrets are per shop (X-Shopify-Shop-Domain), so
// one server can take webhooks from several shops, each verified with its own secret. The compare
// is timing-safe; a missing header, an unknown shop or a wrong signature is refused with a reason
// for the log (never the expected value).
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Authenticator, AuthVerdict } from "./authenticator.js";

/** shop domain (lower case) -> webhook secret */
export type ShopifySecrets = ReadonlyMap<string, string>;

export const SHOPIFY_HMAC_HEADER = "x-shopify-hmac-sha256";
export const SHOPIFY_SHOP_HEADER = "x-shopify-shop-domain";

export function shopifySignature(body: Buffer, secret: string): string {
  return createHmac("sha256", secret).update(body).digest("base64");
}

export function verifyShopifyWebhook(body: Buffer, header: (name: string) => string | undefined, secrets: ShopifySecrets): AuthVerdict {
  const shop = header(SHOPIFY_SHOP_HEADER)?.trim().toLowerCase();
  const signature = header(SHOPIFY_HMAC_HEADER)?.trim();
  if (!shop) return { ok: false, reason: "missing X-Shopify-Shop-Domain header" };
  if (!signature) return { ok: false, reason: "missing X-Shopify-Hmac-Sha256 header" };
  const secret = secrets.get(shop);
  if (!secret) return { ok: false, reason: `no webhook secret is configured for shop ${shop} (SHOPIFY_WEBHOOK_SECRETS)` };
  const expected = Buffer.from(shopifySignature(body, secret), "base64");
  const given = Buffer.from(signature, "base64");
  // Buffer.from(…, "base64") ignores junk: compare lengths first (timingSafeEqual needs equal lengths).
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: `X-Shopify-Hmac-Sha256 does not match the body for shop ${shop}` };
  return { ok: true, principal: `shopify:${shop}` };
}

export const shopifyAuthenticator =
  (secrets: ShopifySecrets): Authenticator =>
  (body, header) =>
    verifyShopifyWebhook(body, header, secrets);

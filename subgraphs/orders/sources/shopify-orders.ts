// Shopify order webhooks (orders/create, orders/updated, orders/cancelled) -> the canonical order
// command, captured by orderChannelHandler like any placeOrder. The route has checked the HMAC and
// keyed the message "<shop domain>:<X-Shopify-Webhook-Id>" before anything was stored.
//
//   - Ids stay strings: the body is parsed with lossless-json, so an order id beyond 2^53
//     (820982911946154508) is not rounded by a JavaScript number.
//   - Every topic carries the whole order and its updated_at: a "sync" action. The first version
//     seen captures the order; a later one applies the ship-to and a cancellation; one not newer
//     than what the order reflects is RECONCILED. So the topics may arrive in any order.
//   - Amounts in the shop's currency (`currency`, the *_set.shop_money amounts), whatever the
//     customer paid in (`presentment_currency`, noted when it differs). With taxes_included,
//     prices include tax: the buyer price compared with ours is the price less its tax lines.
//   - Customer: a CUSTOMER cross-reference under system SHOPIFY, either "<shop>:customer:<id>"
//     (a trade account per Shopify customer) or "<shop>" (one account for the whole shop).
//     Products: the line's sku (a PRODUCT row under SHOPIFY first, then our sku), then its
//     variant id (PRODUCT row under SHOPIFY). Shipping lines are charges, discounts allowances.
import { isSafeNumber, parse as parseLossless } from "lossless-json";
import { z } from "zod";
import { parseError, validationError } from "../../../platform/ingest/errors.js";
import type { StepContext } from "../../../platform/ingest/handlers.js";
import { zodValidationError } from "../../../platform/ingest/zod-errors.js";
import type { ChannelAction, ChannelContext, OrderChannelSpec } from "../channel.js";
import type { OrderCharge, OrderCommandLine } from "../command.js";

export const SHOPIFY_SYSTEM = "SHOPIFY";

/** Integers JavaScript cannot hold exactly stay strings; ids are read as strings either way. */
export function parseShopifyJson(text: string): unknown {
  return parseLossless(text, undefined, (value: string) => (isSafeNumber(value) ? Number(value) : value));
}

const id = z.union([z.string().regex(/^\d{1,30}$/), z.number().int().nonnegative()]).transform(String);
const money = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .pipe(z.string().regex(/^-?\d+(\.\d+)?$/, "must be a decimal amount"));
const instant = z.string().refine((v) => !Number.isNaN(Date.parse(v)), "must be an ISO 8601 date-time");
const shopMoney = z.object({ shop_money: z.object({ amount: money, currency_code: z.string() }) }).nullish();
const taxLine = z.object({ price: money.nullish(), price_set: shopMoney }).passthrough();
const address = z
  .object({
    name: z.string().nullish(),
    company: z.string().nullish(),
    address1: z.string().nullish(),
    address2: z.string().nullish(),
    city: z.string().nullish(),
    province_code: z.string().nullish(),
    zip: z.string().nullish(),
    country_code: z.string().nullish(),
  })
  .passthrough()
  .nullish();

export const shopifyOrderSchema = z
  .object({
    id,
    name: z.string().nullish(),
    updated_at: instant,
    created_at: instant.nullish(),
    cancelled_at: instant.nullish(),
    cancel_reason: z.string().nullish(),
    currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code"),
    presentment_currency: z.string().nullish(),
    taxes_included: z.boolean().nullish(),
    total_discounts: money.nullish(),
    customer: z.object({ id }).passthrough().nullish(),
    shipping_address: address,
    line_items: z
      .array(
        z
          .object({
            id,
            variant_id: id.nullish(),
            sku: z.string().nullish(),
            title: z.string().nullish(),
            quantity: z.number().int().min(1, "must be at least 1"),
            price: money,
            price_set: shopMoney,
            total_discount: money.nullish(),
            tax_lines: z.array(taxLine).nullish(),
          })
          .passthrough(),
      )
      .min(1, "must hold at least one line item")
      .max(500),
    shipping_lines: z
      .array(
        z
          .object({ title: z.string().nullish(), code: z.string().nullish(), price: money, price_set: shopMoney, tax_lines: z.array(taxLine).nullish() })
          .passthrough(),
      )
      .nullish(),
  })
  .passthrough();

export type ShopifyOrder = z.infer<typeof shopifyOrderSchema>;
type Topic = "orders/create" | "orders/updated" | "orders/cancelled";

function parse(raw: Buffer): unknown {
  try {
    return parseShopifyJson(raw.toString("utf8").replace(/^\uFEFF/, ""));
  } catch (err) {
    throw parseError(`body is not valid JSON: ${(err as Error).message}`);
  }
}

function validate(parsed: unknown, ctx: StepContext): ShopifyOrder {
  const result = shopifyOrderSchema.safeParse(parsed);
  if (!result.success) throw zodValidationError(result.error);
  ctx.sourceTime(new Date(result.data.updated_at), "updated_at");
  return result.data;
}

const cents = (v: string) => Math.round(Number(v) * 100);
const amount = (m: { price?: string | null; price_set?: { shop_money: { amount: string } } | null }) => m.price_set?.shop_money.amount ?? m.price ?? "0";
const taxOf = (lines: z.infer<typeof taxLine>[] | null | undefined) => (lines ?? []).reduce((s, t) => s + cents(amount(t)), 0);
const decimal = (c: number) => (c / 100).toFixed(2);

function toCommand(topic: Topic) {
  return (o: ShopifyOrder, ctx: ChannelContext): ChannelAction => {
    const key = ctx.message?.idempotencyKey ?? "";
    const shop = key.slice(0, key.indexOf(":"));
    if (!shop) throw validationError("the message key holds no shop domain (it is stored as <shop>:<webhook id>)");
    if (o.presentment_currency && o.presentment_currency !== o.currency) {
      ctx.warn({
        code: "SHOPIFY_PRESENTMENT_CURRENCY",
        message: `the customer paid in ${o.presentment_currency}; the order is taken in the shop's currency, ${o.currency}`,
      });
    }
    const lines: OrderCommandLine[] = o.line_items.map((l, i) => {
      const gross = cents(amount(l));
      // With taxes included, the line's price holds its tax: the net unit price is compared with ours.
      const net = o.taxes_included ? gross - Math.round(taxOf(l.tax_lines) / l.quantity) : gross;
      return {
        lineNumber: i + 1,
        sku: l.sku?.trim() || null,
        references: l.variant_id ? [{ system: SHOPIFY_SYSTEM, value: l.variant_id }] : null,
        quantity: l.quantity,
        buyerUnitPrice: net >= 0 ? decimal(net) : null,
      };
    });
    const charges: OrderCharge[] = [];
    for (const s of o.shipping_lines ?? []) {
      const c = cents(amount(s)) - (o.taxes_included ? taxOf(s.tax_lines) : 0);
      if (c > 0) charges.push({ kind: "CHARGE", code: "SHIPPING", description: s.title ?? s.code ?? null, amount: decimal(c), lineNumber: null });
    }
    let lineDiscounts = 0;
    o.line_items.forEach((l, i) => {
      const d = l.total_discount ? cents(l.total_discount) : 0;
      lineDiscounts += d;
      if (d > 0) charges.push({ kind: "ALLOWANCE", code: "DISCOUNT", description: null, amount: decimal(d), lineNumber: i + 1 });
    });
    const orderDiscount = (o.total_discounts ? cents(o.total_discounts) : 0) - lineDiscounts;
    if (orderDiscount > 0)
      charges.push({ kind: "ALLOWANCE", code: "DISCOUNT", description: "order discount", amount: decimal(orderDiscount), lineNumber: null });
    const a = o.shipping_address;
    const command = {
      channel: "COMMERCE",
      system: SHOPIFY_SYSTEM,
      idempotencyKey: `${shop}:${o.id}`,
      customer: {
        references: [...(o.customer ? [{ system: SHOPIFY_SYSTEM, value: `${shop}:customer:${o.customer.id}` }] : []), { system: SHOPIFY_SYSTEM, value: shop }],
      },
      customerPo: o.name ?? null,
      externalRefs: [{ system: SHOPIFY_SYSTEM, value: o.id }],
      currency: o.currency,
      shipTo: a
        ? {
            name: [a.name, a.company].filter((x) => x?.trim()).join(", ") || null,
            address:
              [a.address1, a.address2, a.city, [a.province_code, a.zip].filter(Boolean).join(" "), a.country_code].filter((x) => x?.trim()).join(", ") || null,
          }
        : null,
      lines,
      charges: charges.length ? charges : undefined,
    };
    const cancelled =
      topic === "orders/cancelled" || o.cancelled_at ? { reason: `cancelled in Shopify${o.cancel_reason ? ` (${o.cancel_reason})` : ""}` } : null;
    return { action: "sync", command, sourceUpdatedAt: new Date(o.updated_at), cancelled };
  };
}

export const shopifyOrderSpecs: OrderChannelSpec<unknown, ShopifyOrder>[] = (["orders/create", "orders/updated", "orders/cancelled"] as const).map((topic) => ({
  source: "shopify",
  kind: topic,
  parse,
  validate,
  toCommand: toCommand(topic),
}));

// Shopify webhook inventory_levels/update: an absolute "available" for one item at one location,
// as of updated_at. Older than what the position reflects: RECONCILED.
import { z } from "zod";
import { parseError } from "../../../platform/ingest/errors.js";
import { zodValidationError } from "../../../platform/ingest/zod-errors.js";
import type { IngestHandler } from "../../../platform/ingest/handlers.js";
import { mapperFor } from "../mapping.js";
import { applyStockChangeBatches, applyStockChanges, stateOf, type ChangeOutcome, type StockChange } from "../stock-sync.js";

/** The cross-reference system of Shopify ids (kind PRODUCT for inventory items, LOCATION for locations). */
export const SHOPIFY_ITEM = "SHOPIFY";
export const SHOPIFY_LOCATION = "SHOPIFY";

const numericId = z.string().regex(/^\d{1,20}$/, "must be a numeric id");
const schema = z.object({
  inventory_item_id: numericId,
  location_id: numericId,
  available: z.number({ error: "must be a number (null means the item is not tracked)" }).int("must be a whole number").min(-1_000_000_000).max(1_000_000_000),
  updated_at: z.iso.datetime({ offset: true }),
});
export type ShopifyInventoryLevel = z.infer<typeof schema> & { webhookId: string };

/**
 * Shopify ids can exceed 2^53; JSON.parse would silently round them. Ids are quoted before
 * parsing so they stay exact strings.
 */
export function parseShopifyJson(text: string): unknown {
  return JSON.parse(text.replace(/"(\w*_id|id)"\s*:\s*(-?\d+)(?=\s*[,}\]])/g, '"$1":"$2"'));
}

export const shopifyInventoryLevelsHandler: IngestHandler<unknown, z.infer<typeof schema>, StockChange[]> & { webhookIdHeader: string } = {
  source: "shopify",
  kind: "inventory_levels/update",
  mapsConcurrently: true, // map only looks up (adapters never write)
  webhookIdHeader: "x-shopify-webhook-id",
  parse(raw) {
    try {
      return parseShopifyJson(raw.toString("utf8"));
    } catch (err) {
      throw parseError(`body is not valid JSON: ${(err as Error).message}`);
    }
  },
  validate(parsed, ctx) {
    const result = schema.safeParse(parsed);
    if (!result.success) throw zodValidationError(result.error);
    ctx.sourceTime(new Date(result.data.updated_at), "$.updated_at");
    return result.data;
  },
  async map(level, db, scope) {
    const mapper = mapperFor(db, scope, "SHOPIFY");
    const item = await mapper.item({ external: { system: SHOPIFY_ITEM, value: level.inventory_item_id } }, "$.inventory_item_id");
    const locationId = await mapper.location({ external: { system: SHOPIFY_LOCATION, value: level.location_id } }, "$.location_id");
    return [
      {
        type: "level",
        bucket: "available",
        sku: item.sku,
        locationId,
        quantity: level.available,
        occurredAt: new Date(level.updated_at),
        // The webhook id is the message key; the level itself is identified by item, location, time.
        sourceEventId: `shopify:${level.inventory_item_id}:${level.location_id}:${level.updated_at}`,
      },
    ];
  },
  async apply(changes, tx, ctx) {
    return outcomeOf(await applyStockChanges(tx, changes, ctx));
  },
  async applyMany(items, tx) {
    return (
      await applyStockChangeBatches(
        tx,
        items.map((i) => ({ changes: i.command, ctx: i.context })),
      )
    ).map(outcomeOf);
  },
};

const outcomeOf = (outcomes: ChangeOutcome[]) => ({ state: stateOf(outcomes), result: { changes: outcomes } as never });

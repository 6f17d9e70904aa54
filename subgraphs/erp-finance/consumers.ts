// The event consumers erp-finance runs.
import type { ConsumerDefinition } from "../../platform/events/consumer.js";
import type { ProductChangedPayload } from "../inventory/events.js";

/** Keeps finance.CatalogItem, erp-finance's read model of the item master (supplier invoices convert units with it). */
export const financeCatalogProjection: ConsumerDefinition = {
  name: "erp-finance.catalog",
  types: ["ProductChanged"],
  async handle(event, tx) {
    const p = event.payload as unknown as ProductChangedPayload;
    await tx.$executeRaw`
      INSERT INTO "finance"."CatalogItem" ("sku", "gtin", "baseUnit", "conversions", "lastSequence", "updatedAt")
      VALUES (${p.sku}, ${p.gtin}, ${p.baseUnit}, ${JSON.stringify(p.conversions)}::jsonb, ${event.sequence}, now())
      ON CONFLICT ("sku") DO UPDATE SET "gtin" = EXCLUDED."gtin", "baseUnit" = EXCLUDED."baseUnit", "conversions" = EXCLUDED."conversions",
        "lastSequence" = EXCLUDED."lastSequence", "updatedAt" = now()
      WHERE "CatalogItem"."lastSequence" < EXCLUDED."lastSequence"`;
  },
};

// Events the orders domain consumes. stock-availability: keeps orders.StockAvailability
// (available per position) from InventoryChanged, for available-to-promise at order capture.
// The update and the consumer offset commit together (platform/events/consumer.ts), so each
// event is handled once; the version check keeps an older event from overwriting a newer one.
import type { ConsumerDefinition } from "../../platform/events/consumer.js";

interface InventoryChangedPayload {
  sku: string;
  locationId: string;
  after: { available: number };
}

export const stockAvailabilityProjection: ConsumerDefinition = {
  name: "orders.stock-availability",
  types: ["InventoryChanged"],
  async handle(event, tx) {
    const p = event.payload as unknown as InventoryChangedPayload;
    await tx.$executeRaw`
      INSERT INTO "orders"."StockAvailability" ("sku", "locationId", "available", "version", "lastSequence", "updatedAt")
      VALUES (${p.sku}, ${p.locationId}, ${p.after.available}, ${event.aggregateVersion}, ${event.sequence}, now())
      ON CONFLICT ("sku", "locationId") DO UPDATE SET
        "available" = CASE WHEN EXCLUDED."version" > "StockAvailability"."version" THEN EXCLUDED."available" ELSE "StockAvailability"."available" END,
        "version" = GREATEST(EXCLUDED."version", "StockAvailability"."version"),
        "handledEvents" = "StockAvailability"."handledEvents" + 1,
        "lastSequence" = EXCLUDED."lastSequence", "updatedAt" = now()`;
  },
};

// WMS inventory events (JSON): receipt, pick, adjustment, move, count, count snapshot.
// One event per inbound message; a request may carry an array of them.
import { z } from "zod";
import { validationError } from "../../../platform/ingest/errors.js";
import { parseJsonMessage } from "../../../platform/ingest/json-body.js";
import { zodValidationError } from "../../../platform/ingest/zod-errors.js";
import type { IngestHandler } from "../../../platform/ingest/handlers.js";
import { mapperFor } from "../mapping.js";
import { STOCK_LIMIT } from "../domain.js";
import { applyStockChangeBatches, applyStockChanges, stateOf, type ChangeOutcome, type StockChange } from "../stock-sync.js";

const MAX_QUANTITY = STOCK_LIMIT;
const quantity = z.number().int("must be a whole number").min(-MAX_QUANTITY).max(MAX_QUANTITY);
// Identifiers end up in keys, lookups and error messages: no control characters (NUL among them).
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    .regex(/^[^\u0000-\u001f\u007f]*$/, "must not contain control characters");
const item = {
  sku: text(64).optional(),
  gtin: z
    .string()
    .regex(/^\d{8,14}$/, "must be 8 to 14 digits")
    .optional(),
};
const common = {
  eventId: text(200),
  location: text(64),
  occurredAt: z.iso.datetime({ offset: true }),
};
const withItem = <T extends z.ZodRawShape>(shape: T) => z.object({ ...common, ...item, unit: text(8).optional(), ...shape });

export const wmsEventSchema = z.discriminatedUnion("type", [
  withItem({ type: z.literal("RECEIPT"), quantity: quantity.positive("must be positive") }),
  withItem({ type: z.literal("PICK"), quantity: quantity.positive("must be positive") }),
  withItem({ type: z.literal("ADJUSTMENT"), quantity: quantity.refine((q) => q !== 0, "must not be zero"), reason: z.string().max(200).optional() }),
  withItem({ type: z.literal("MOVE"), quantity: quantity.positive("must be positive"), toLocation: text(64) }),
  withItem({ type: z.literal("COUNT"), quantity: quantity.nonnegative("must not be negative") }),
  z.object({
    ...common,
    type: z.literal("COUNT_SNAPSHOT"),
    counts: z
      .array(z.object({ ...item, unit: text(8).optional(), quantity: quantity.nonnegative("must not be negative") }))
      .min(1, "must name at least one item"),
  }),
]);

/** Rules across fields, which the schema above cannot state per field. */
function crossFieldProblem(e: z.infer<typeof wmsEventSchema>): [string, string] | null {
  if (e.type === "COUNT_SNAPSHOT") {
    const i = e.counts.findIndex((c) => !c.sku && !c.gtin);
    return i >= 0 ? [`$.counts[${i}].sku`, "needs sku or gtin"] : null;
  }
  if (!e.sku && !e.gtin) return ["$.sku", "needs sku or gtin"];
  if (e.type === "MOVE" && e.toLocation === e.location) return ["$.toLocation", "must differ from location"];
  return null;
}
export type WmsEvent = z.infer<typeof wmsEventSchema>;

export const wmsInventoryHandler: IngestHandler<unknown, WmsEvent, StockChange[]> = {
  source: "wms",
  kind: "inventory-event",
  mapsConcurrently: true, // map only looks up (adapters never write)
  parse: parseJsonMessage,
  validate(parsed, ctx) {
    const result = wmsEventSchema.safeParse(parsed);
    if (!result.success) throw zodValidationError(result.error);
    const problem = crossFieldProblem(result.data);
    if (problem) throw validationError(problem[1], problem[0]);
    ctx.sourceTime(new Date(result.data.occurredAt), "$.occurredAt");
    return result.data;
  },
  async map(event, db, scope) {
    const mapper = mapperFor(db, scope, "WMS");
    const at = new Date(event.occurredAt);
    // The location, the item and a move's destination are looked up together: their
    // cross-references go out in one statement (the mapping's loaders batch what one tick asks).
    const [locationId, it, to] = await Promise.all([
      mapper.location({ code: event.location }, "$.location"),
      event.type === "COUNT_SNAPSHOT" ? null : mapper.item(event, "$"),
      event.type === "MOVE" ? mapper.location({ code: event.toLocation }, "$.toLocation") : null,
    ]);
    if (event.type === "COUNT_SNAPSHOT") {
      return Promise.all(
        event.counts.map(async (c, i) => {
          const it = await mapper.item(c, `$.counts[${i}]`);
          return {
            type: "level",
            bucket: "onHand",
            sku: it.sku,
            locationId,
            quantity: await mapper.toBase(it, c.quantity, c.unit, `$.counts[${i}].unit`),
            occurredAt: at,
            sourceEventId: event.eventId,
          } as const;
        }),
      );
    }
    const q = await mapper.toBase(it!, event.quantity, event.unit, "$.unit");
    const base = { sku: it!.sku, locationId, occurredAt: at, sourceEventId: event.eventId };
    switch (event.type) {
      case "RECEIPT":
        return [{ ...base, type: "delta", movement: "RECEIPT", quantity: q }];
      case "PICK":
        return [{ ...base, type: "delta", movement: "PICK", quantity: -q }];
      case "ADJUSTMENT":
        return [{ ...base, type: "delta", movement: "ADJUSTMENT", quantity: q }];
      case "COUNT":
        return [{ ...base, type: "level", bucket: "onHand", quantity: q }];
      case "MOVE": {
        return [
          { ...base, type: "delta", movement: "MOVE_OUT", quantity: -q },
          { ...base, locationId: to!, type: "delta", movement: "MOVE_IN", quantity: q },
        ];
      }
    }
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

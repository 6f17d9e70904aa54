// The canonical order command: what every channel turns a purchase order into. placeOrder (B2B
// API, portal) builds it from its GraphQL input; a channel adapter (X12 850, EDIFACT ORDERS,
// Shopify orders/create) builds it in its map step. Both go through prepareOrder + recordOrder
// (capture.ts), so every order gets the same mapping, pricing, credit check and lifecycle.
// The rules (idempotency key per channel, product identifiers, units, buyer prices) are in
// docs/decisions.md, "The canonical order command".
import { z } from "zod";
import type { OrderChannel } from "../../platform/db/generated/client.js";
import { isRealCalendarDate } from "../../platform/graphql/scalars.js";

const externalId = z.object({ system: z.string().trim().min(1).max(100), value: z.string().trim().min(1).max(200) });
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
  .refine(isRealCalendarDate, "is not a real calendar date");
const decimal = z.string().regex(/^\d{1,10}(\.\d{1,4})?$/, "must be a decimal amount >= 0 with at most 4 decimals");

export const orderCommandLineSchema = z.object({
  /** The document's own line number (X12 PO101, EDIFACT LIN 1082); default: position, from 1. */
  lineNumber: z.number().int().min(1).max(99_999).nullish(),
  /** Our sku, or the source's item code (mapped under `system` when a PRODUCT cross-reference says so). */
  sku: z.string().trim().min(1).max(64).nullish(),
  /** GTIN-8/12/13/14 (padded to 14 to match; a wrong check digit is a warning). */
  gtin: z.string().trim().min(1).max(20).nullish(),
  /** The buyer's own part number: a PRODUCT cross-reference with system = the customer id. */
  customerPartNumber: z.string().trim().min(1).max(100).nullish(),
  /** Other item ids (vendor part, Shopify variant...), each a PRODUCT cross-reference under its system. */
  references: z.array(externalId).max(10).nullish(),
  /** Quantity in `unit`. */
  quantity: z.number().int("must be a whole number").min(1, "must be at least 1").max(1_000_000_000),
  /** The source's unit code (X12 CA, EDIFACT PCE...), mapped under `system`; default: the product's base unit. */
  unit: z.string().trim().min(1).max(10).nullish(),
  /** Base units per `unit` as the document states it (X12 PO4, CTP), used when the item master has no conversion. */
  packSize: z.number().int().min(1).max(1_000_000).nullish(),
  /** The buyer's price per `unit`, in the order's currency; compared with ours, never trusted blindly. */
  buyerUnitPrice: decimal.nullish(),
  requestedDate: date.nullish(),
  /** The line's own delivery place when the buyer splits a line over several (EDIFACT LOC+7/QTY+11): a GLN or the buyer's code. */
  deliverTo: z.string().trim().min(1).max(35).nullish(),
});

export const orderChargeSchema = z.object({
  kind: z.enum(["ALLOWANCE", "CHARGE"]),
  code: z.string().trim().max(20).nullish(),
  description: z.string().trim().max(200).nullish(),
  /** Decimal amount >= 0 in the order's currency (an allowance is subtracted by whoever totals it). */
  amount: decimal,
  /** The document line it applies to; null for the whole order. */
  lineNumber: z.number().int().min(1).max(99_999).nullish(),
});

export const orderCommandSchema = z.object({
  channel: z.enum(["EDI", "COMMERCE", "PORTAL", "B2B_API", "MARKETPLACE", "ERP"]),
  /** The namespace of the command's codes and key: B2B_API, PORTAL, X12, EDIFACT, SHOPIFY. */
  system: z
    .string()
    .trim()
    .regex(/^[A-Z][A-Z0-9_]{1,31}$/, "must be an upper-case system name (B2B_API, X12, EDIFACT, SHOPIFY)"),
  /** Unique per system: a resend with the same key returns the order already captured. */
  idempotencyKey: z.string().trim().min(1).max(200),
  customer: z.object({
    id: z.string().trim().min(1).max(64).nullish(),
    gln: z.string().trim().min(1).max(20).nullish(),
    /** { system: "X12", value: "<ISA05>:<ISA06>" }, { system: "EDIFACT", value: <UNB sender> }... */
    references: z.array(externalId).max(5).nullish(),
  }),
  customerPo: z.string().trim().min(1).max(100).nullish(),
  /** Identifiers of this order in source systems, kept on it (X12_850 PO number, SHOPIFY order id). */
  externalRefs: z.array(externalId).max(10).nullish(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code")
    .nullish(),
  requestedShipDate: date.nullish(),
  requestedDeliveryDate: date.nullish(),
  shipTo: z
    .object({
      name: z.string().trim().max(200).nullish(),
      address: z.string().trim().max(500).nullish(),
      locationId: z.string().trim().max(64).nullish(),
      gln: z.string().trim().max(20).nullish(),
    })
    .nullish(),
  /** Warehouses (Location ids) to ship from, preferred first; default: the customer's order settings. */
  shipFrom: z.array(z.string().trim().min(1).max(64)).max(10).nullish(),
  lines: z.array(orderCommandLineSchema).min(1, "must hold at least one line").max(500, "may hold at most 500 lines"),
  /** Allowances and charges as the buyer states them (X12 SAC, EDIFACT ALC, Shopify discounts and shipping); recorded, not priced. */
  charges: z.array(orderChargeSchema).max(200).nullish(),
  /**
   * What a reply to the partner needs (the X12 855: envelope ids, the PO lines as sent), kept on
   * the order as it is. Only stable values belong here: a PO resent in a new interchange must
   * make the same command.
   */
  partnerContext: z.record(z.string(), z.unknown()).nullish(),
});

export type OrderCommand = z.infer<typeof orderCommandSchema>;
export type OrderCommandLine = z.infer<typeof orderCommandLineSchema>;
export type OrderCharge = z.infer<typeof orderChargeSchema>;

export const SOURCE_OF_CHANNEL: Record<OrderChannel, string> = {
  EDI: "edi",
  COMMERCE: "commerce",
  PORTAL: "portal",
  B2B_API: "b2b-api",
  MARKETPLACE: "marketplace",
  ERP: "erp",
};

/** Readable problems with a command, each naming its field (lines[2].quantity: must be at least 1). */
export function commandProblems(input: unknown): { command: OrderCommand | null; problems: { field: string; message: string }[] } {
  const result = orderCommandSchema.safeParse(input);
  if (result.success) {
    const problems: { field: string; message: string }[] = [];
    const numbers = new Set<number>();
    result.data.lines.forEach((l, i) => {
      if (!l.sku && !l.gtin && !l.customerPartNumber && !l.references?.length)
        problems.push({ field: `lines[${i}]`, message: "names no product: give sku, gtin, customerPartNumber or references" });
      const n = l.lineNumber ?? i + 1;
      if (numbers.has(n)) problems.push({ field: `lines[${i}].lineNumber`, message: `repeats line number ${n}` });
      numbers.add(n);
    });
    if (!result.data.customer.id && !result.data.customer.gln && !result.data.customer.references?.length)
      problems.push({ field: "customer", message: "names no customer: give id, gln or references" });
    return { command: problems.length ? null : result.data, problems };
  }
  return {
    command: null,
    problems: result.error.issues.slice(0, 20).map((i) => ({
      field:
        i.path
          .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
          .join("")
          .replace(/^\./, "") || "command",
      message: i.message,
    })),
  };
}

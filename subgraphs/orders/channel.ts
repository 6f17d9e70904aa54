// How a channel adapter (X12 850, EDIFACT ORDERS, Shopify orders/create...) takes part in order
// capture: it supplies parse, validate and toCommand (its document -> the canonical order
// command); this makes it an ingest handler whose map step is prepareOrder (mapping, pricing,
// credit check, with the message's correlation id) and whose apply step is recordOrder, in the
// pipeline's transaction. So a partner's order and placeOrder are captured by the same code.
//   - missing mappings: MAP dead letter listing every one; replay after adding them;
//   - invalid command or an idempotency key reused with other content: VALIDATE dead letter;
//   - a resend of an order already captured: PROCESSED, pointing at that order.
import { mappingError, validationError } from "../../platform/ingest/errors.js";
import type { IngestHandler } from "../../platform/ingest/handlers.js";
import type { Prisma } from "../../platform/db/generated/client.js";
import { prepareOrder, recordOrder, type OrderCaptureDeps, type PreparedOrder } from "./capture.js";

export interface OrderChannelSpec<Parsed, Valid> {
  source: string;
  kind: string;
  parse(raw: Buffer): Parsed;
  validate(parsed: Parsed): Valid;
  /** The document as the canonical order command (command.ts); codes and identifiers as the document has them. */
  toCommand(valid: Valid): unknown;
}

type Captured = Exclude<PreparedOrder, { kind: "rejected" }>;

export function orderChannelHandler<P, V>(spec: OrderChannelSpec<P, V>, deps: OrderCaptureDeps): IngestHandler<P, V, Captured> {
  return {
    source: spec.source,
    kind: spec.kind,
    parse: spec.parse,
    validate: spec.validate,
    async map(valid, db, _scope, ctx) {
      const prepared = await prepareOrder(db, deps, spec.toCommand(valid), ctx.message?.correlationId ?? "ingest");
      for (const w of prepared.kind === "ready" ? prepared.record.warnings : []) ctx.warn({ code: w.code, message: w.message, where: w.lineNumber ? `line ${w.lineNumber}` : null });
      if (prepared.kind !== "rejected") return prepared;
      if (prepared.missingMappings) throw mappingError(prepared.missingMappings);
      throw validationError(prepared.reasons.map((r) => (r.lineNumber ? `line ${r.lineNumber}: ${r.message}` : r.message)).join("; "));
    },
    async apply(prepared, tx, ctx) {
      if (prepared.kind === "existing") {
        return { state: "PROCESSED", result: { orderId: prepared.order.id, outcome: prepared.order.status, duplicateOfOrder: true } as Prisma.InputJsonObject };
      }
      const { order, created } = await recordOrder(tx, prepared, { correlationId: ctx.correlationId });
      return {
        state: "PROCESSED",
        result: { orderId: order.id, outcome: prepared.record.outcome, created, reasons: prepared.record.reasons.map((r) => r.message), warnings: prepared.record.warnings.map((w) => w.message) } as Prisma.InputJsonObject,
      };
    },
  };
}

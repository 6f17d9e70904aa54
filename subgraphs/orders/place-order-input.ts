// placeOrder's GraphQL input as the canonical order command (command.ts). The client's key is
// scoped by customer: two customers may pick the same key without colliding.
import type { PlaceOrderInput } from "./generated/resolvers-types.js";
import type { OrderCommand } from "./command.js";

const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : null);

export function placeOrderCommand(input: PlaceOrderInput): unknown {
  const channel = input.channel ?? "B2B_API";
  const command: Record<keyof OrderCommand, unknown> = {
    channel,
    system: channel === "PORTAL" ? "PORTAL" : "B2B_API",
    idempotencyKey: `${input.customerId}:${input.idempotencyKey}`,
    customer: { id: input.customerId },
    customerPo: input.customerPo ?? null,
    externalRefs: null,
    currency: input.currency ?? null,
    requestedShipDate: day(input.requestedShipDate),
    requestedDeliveryDate: day(input.requestedDeliveryDate),
    shipTo: input.shipTo ?? null,
    shipFrom: input.shipFrom ?? null,
    // Absent rather than null: the request hash of orders placed before these fields existed stays the same.
    charges: undefined,
    partnerContext: undefined,
    lines: input.lines.map((l) => ({
      lineNumber: l.lineNumber ?? null,
      sku: l.sku ?? null,
      gtin: l.gtin ?? null,
      customerPartNumber: l.customerPartNumber ?? null,
      references: null,
      quantity: l.quantity,
      unit: l.unit ?? null,
      packSize: null,
      buyerUnitPrice: l.unitPrice ?? null,
      requestedDate: day(l.requestedDate),
    })),
  };
  return command;
}

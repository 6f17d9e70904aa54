// Order rules that need no database: money arithmetic, base-unit quantities, status transitions.
import { Prisma } from "../../platform/db/generated/client.js";
import type { OrderLine, OrderStatus } from "../../platform/db/generated/client.js";

export const lineAmount = (line: Pick<OrderLine, "unitPrice" | "quantityOrdered">): Prisma.Decimal =>
  new Prisma.Decimal(line.unitPrice).mul(line.quantityOrdered).toDecimalPlaces(2, Prisma.Decimal.ROUND_HALF_UP);

export const orderTotal = (lines: Pick<OrderLine, "unitPrice" | "quantityOrdered">[]): Prisma.Decimal =>
  lines.reduce((sum, line) => sum.add(lineAmount(line)), new Prisma.Decimal(0)).toDecimalPlaces(2);

export const toBaseUnits = (quantity: number, factor: number): number => quantity * factor;

/** Quantity still to ship, in base units; never negative even when a line was over-shipped. */
export const openBaseQuantity = (line: Pick<OrderLine, "quantityOrdered" | "quantityShipped" | "unitFactor">): number =>
  Math.max(0, line.quantityOrdered - line.quantityShipped) * line.unitFactor;

/** Which status may follow which: see lifecycle.ts (the order state machine). */
export { canTransition } from "./lifecycle.js";

/** The status the shipped quantities imply, for an order that is being fulfilled. */
export function fulfilmentStatus(lines: Pick<OrderLine, "quantityOrdered" | "quantityShipped">[]): OrderStatus | null {
  const shippedAny = lines.some((l) => l.quantityShipped > 0);
  if (!shippedAny) return null;
  return lines.every((l) => l.quantityShipped >= l.quantityOrdered) ? "SHIPPED" : "PARTIALLY_SHIPPED";
}

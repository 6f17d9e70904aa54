// Pricing rules that need no database. A line is priced from the customer's price list, else the
// list price: in the line's unit if there is an entry for it, else the base-unit price times the
// unit's factor. A buyer's price is compared with ours; what a difference means is the
// customer's policy (accept with a warning, or hold).
import { Prisma } from "../../platform/db/generated/client.js";

const D = Prisma.Decimal;
type Decimal = Prisma.Decimal;

export const LIST_PRICE_LIST = "LIST";

export interface PriceEntry {
  priceList: string;
  sku: string;
  unit: string;
  unitPrice: Decimal | string;
}

export type PriceSource = "CUSTOMER_PRICE_LIST" | "LIST_PRICE" | "BUYER";

export function ourPrice(
  entries: PriceEntry[],
  customerId: string,
  line: { sku: string; unit: string; baseUnit: string; factor: number },
): { unitPrice: Decimal; source: PriceSource } | null {
  const find = (list: string, unit: string) => entries.find((e) => e.priceList === list && e.sku === line.sku && e.unit === unit);
  for (const [list, source] of [
    [customerId, "CUSTOMER_PRICE_LIST"],
    [LIST_PRICE_LIST, "LIST_PRICE"],
  ] as const) {
    const exact = find(list, line.unit);
    if (exact) return { unitPrice: new D(exact.unitPrice), source };
    const base = line.unit !== line.baseUnit ? find(list, line.baseUnit) : undefined;
    if (base) return { unitPrice: new D(base.unitPrice).mul(line.factor).toDecimalPlaces(4, D.ROUND_HALF_UP), source };
  }
  return null;
}

/** True when the buyer's price is further from ours than the tolerance (percent of ours). */
export function priceDiffers(ours: Decimal, buyer: Decimal | string, tolerancePercent: Decimal | string | number): boolean {
  const allowed = ours.mul(tolerancePercent).div(100);
  return new D(buyer).sub(ours).abs().greaterThan(allowed);
}

export const lineAmount = (unitPrice: Decimal | string, quantity: number): Decimal => new D(unitPrice).mul(quantity).toDecimalPlaces(2, D.ROUND_HALF_UP);

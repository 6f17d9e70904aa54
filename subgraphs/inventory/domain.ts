// Stock rules that need no database.
import type { InventoryPosition, UnitConversion } from "../../platform/db/generated/client.js";

export type Buckets = Pick<InventoryPosition, "onHand" | "allocated" | "reserved" | "damaged" | "qualityHold" | "safetyStock" | "inbound">;

/**
 * Bounds of the quantity buckets (README "Negative stock"; also CHECK constraints on the table).
 * On hand may be negative, as a recorded exception: a pick can arrive before its receipt, and
 * refusing it would make the result depend on arrival order. Every other bucket is 0 or more,
 * and together they hold back at most STOCK_LIMIT, so available stays a 32-bit GraphQL Int.
 */
export const STOCK_LIMIT = 1_000_000_000;
export const MIN_ON_HAND = -STOCK_LIMIT;
export const MAX_ON_HAND = STOCK_LIMIT;

/** Why on hand cannot become `target`, or null when it can. */
export function onHandBoundProblem(sku: string, locationId: string, target: number): string | null {
  if (target < MIN_ON_HAND) return `would take on hand of ${sku} at ${locationId} to ${target}, below the lowest allowed ${MIN_ON_HAND}`;
  if (target > MAX_ON_HAND) return `would take on hand of ${sku} at ${locationId} to ${target}, above the highest allowed ${MAX_ON_HAND}`;
  return null;
}

/** The buckets other than on hand: each 0..STOCK_LIMIT. */
export const BOUNDED_BUCKETS = ["allocated", "reserved", "damaged", "qualityHold", "safetyStock", "inbound"] as const;
/** The buckets that hold stock back from available: together at most STOCK_LIMIT. */
export const HELD_BUCKETS = ["allocated", "reserved", "damaged", "qualityHold", "safetyStock"] as const;

/**
 * Why a position cannot take these bucket values, or null when it can: the same bounds as the
 * table's CHECK constraints, checked first so that a breach is refused with a reason naming the
 * bucket, the value and the limit (a dead letter, 422) rather than failing in the database (an
 * APPLY failure, retried as if the database were at fault).
 */
export function bucketBoundProblem(sku: string, locationId: string, b: Buckets): string | null {
  const onHand = onHandBoundProblem(sku, locationId, b.onHand);
  if (onHand) return onHand;
  for (const bucket of BOUNDED_BUCKETS) {
    const value = b[bucket];
    if (value < 0) return `would take ${bucket} of ${sku} at ${locationId} to ${value}, below the lowest allowed 0`;
    if (value > STOCK_LIMIT) return `would take ${bucket} of ${sku} at ${locationId} to ${value}, above the highest allowed ${STOCK_LIMIT}`;
  }
  const held = HELD_BUCKETS.reduce((sum, bucket) => sum + b[bucket], 0);
  if (held > STOCK_LIMIT)
    return `would take what ${sku} at ${locationId} holds back (${HELD_BUCKETS.join(" + ")}) to ${held}, above the highest allowed ${STOCK_LIMIT}`;
  return null;
}

/** What can be promised: on hand less everything committed, blocked or held back. */
export const available = (p: Buckets): number => p.onHand - p.allocated - p.reserved - p.damaged - p.qualityHold - p.safetyStock;

/** A position's buckets with its available quantity, as InventoryChanged's before/after carry them. */
export const bucketsOf = (p: Buckets) => ({
  onHand: p.onHand,
  allocated: p.allocated,
  reserved: p.reserved,
  damaged: p.damaged,
  qualityHold: p.qualityHold,
  safetyStock: p.safetyStock,
  inbound: p.inbound,
  available: available(p),
});

export const positionId = (sku: string, locationId: string) => `${sku}@${locationId}`;

/** Base units in `quantity` of `unit`; throws when the product has no such unit. */
export function toBaseQuantity(quantity: number, unit: string, baseUnit: string, conversions: Pick<UnitConversion, "unit" | "factor">[]): number {
  if (unit === baseUnit) return quantity;
  const conversion = conversions.find((c) => c.unit === unit);
  if (!conversion) throw new Error(`no conversion from ${unit} to ${baseUnit} (known: ${[baseUnit, ...conversions.map((c) => c.unit)].join(", ")})`);
  return quantity * conversion.factor;
}

/** Ids of a location and every location below it, from the parent links of the whole tree. */
export function descendantsOf(rootId: string, tree: { id: string; parentId: string | null }[]): Set<string> {
  const children = new Map<string, string[]>();
  for (const l of tree) if (l.parentId) children.set(l.parentId, [...(children.get(l.parentId) ?? []), l.id]);
  const out = new Set<string>([rootId]);
  const stack = [rootId];
  while (stack.length) {
    for (const c of children.get(stack.pop()!) ?? []) {
      if (out.has(c)) continue;
      out.add(c);
      stack.push(c);
    }
  }
  return out;
}

// Stock rules that need no database.
import type { InventoryPosition, UnitConversion } from "../../platform/db/generated/client.js";

export type Buckets = Pick<InventoryPosition, "onHand" | "allocated" | "reserved" | "damaged" | "qualityHold" | "safetyStock" | "inbound">;

/** What can be promised: on hand less everything committed, blocked or held back. */
export const available = (p: Buckets): number => p.onHand - p.allocated - p.reserved - p.damaged - p.qualityHold - p.safetyStock;

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
  while (stack.length) for (const c of children.get(stack.pop()!) ?? []) if (!out.has(c)) out.add(c), stack.push(c);
  return out;
}

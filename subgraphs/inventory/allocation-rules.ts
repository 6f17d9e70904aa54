// Allocation rules that need no database (documented in the README, "Allocation rules"):
// 1. warehouses in order: the order's ship-from preference first, then the others by how much of
//    the order's products they have available (most first), then by id;
// 2. single location first: the first warehouse that can fill every line of the order in full;
// 3. else, per line, the first warehouse that can fill that line in full;
// 4. else split the line over warehouses in that order;
// 5. what is left is backordered. Quantities are whole line units (a case line takes whole cases),
//    and never more than a position has available, so available never goes below zero.

export interface PlanLine {
  lineId: string;
  sku: string;
  /** Base units still to allocate. */
  quantity: number;
  /** Base units per line unit: allocations are multiples of it. */
  unitFactor: number;
}

export interface PlanPosition {
  sku: string;
  locationId: string;
  /** The warehouse the position belongs to (itself when it is one). */
  warehouseId: string;
  available: number;
}

export type AllocationPlan = Map<string, { locationId: string; quantity: number }[]>;

export function planAllocation(lines: PlanLine[], positions: PlanPosition[], shipFrom: string[]): AllocationPlan {
  const left = new Map(positions.map((p) => [`${p.sku}\u0000${p.locationId}`, Math.max(0, p.available)]));
  const avail = (p: PlanPosition) => left.get(`${p.sku}\u0000${p.locationId}`)!;
  const skus = new Set(lines.map((l) => l.sku));
  const totalAt = new Map<string, number>();
  for (const p of positions) if (skus.has(p.sku)) totalAt.set(p.warehouseId, (totalAt.get(p.warehouseId) ?? 0) + Math.max(0, p.available));
  const preferred = shipFrom.filter((id) => totalAt.has(id));
  const others = [...totalAt.keys()].filter((w) => !preferred.includes(w)).sort((a, b) => totalAt.get(b)! - totalAt.get(a)! || a.localeCompare(b));
  const warehouses = [...new Set([...preferred, ...others])];
  const positionsIn = (warehouseId: string, sku: string) =>
    positions.filter((p) => p.warehouseId === warehouseId && p.sku === sku).sort((a, b) => avail(b) - avail(a) || a.locationId.localeCompare(b.locationId));
  const wholeUnits = (q: number, factor: number) => Math.floor(q / factor) * factor;
  const canFill = (warehouseId: string, line: PlanLine) =>
    positionsIn(warehouseId, line.sku).reduce((s, p) => s + wholeUnits(avail(p), line.unitFactor), 0) >= line.quantity;

  const plan: AllocationPlan = new Map(lines.map((l) => [l.lineId, []]));
  const take = (warehouseId: string, line: PlanLine, upTo: number) => {
    let need = upTo;
    for (const p of positionsIn(warehouseId, line.sku)) {
      if (need <= 0) break;
      const q = wholeUnits(Math.min(avail(p), need), line.unitFactor);
      if (q <= 0) continue;
      left.set(`${p.sku}\u0000${p.locationId}`, avail(p) - q);
      need -= q;
      const entries = plan.get(line.lineId)!;
      const same = entries.find((e) => e.locationId === p.locationId);
      if (same) same.quantity += q;
      else entries.push({ locationId: p.locationId, quantity: q });
    }
    return upTo - need;
  };

  // Rule 2: one warehouse for the whole order. canFill is checked line by line against what the
  // earlier lines left, since two lines may want the same product.
  for (const w of warehouses) {
    const snapshot = new Map(left);
    if (lines.every((l) => canFill(w, l) && take(w, l, l.quantity) === l.quantity)) return plan;
    for (const [k, v] of snapshot) left.set(k, v);
    for (const l of lines) plan.set(l.lineId, []);
  }
  for (const line of lines) {
    // Rule 3: one warehouse for the line; rule 4: split.
    const whole = warehouses.find((w) => canFill(w, line));
    if (whole) {
      take(whole, line, line.quantity);
      continue;
    }
    let need = line.quantity;
    for (const w of warehouses) {
      if (need <= 0) break;
      need -= take(w, line, need);
    }
  }
  return plan;
}

/** The warehouse a location belongs to: itself or its nearest WAREHOUSE ancestor (else itself). */
export function warehouseOf(locationId: string, locations: Map<string, { id: string; kind: string; parentId: string | null }>): string {
  for (let id: string | null = locationId; id;) {
    const l = locations.get(id);
    if (!l) break;
    if (l.kind === "WAREHOUSE") return l.id;
    id = l.parentId;
  }
  return locationId;
}

// Available to promise: how much of a product can be promised by a date, from where and when.
// Supply is what is available now at each position (on hand less allocated, reserved, damaged,
// on quality hold and safety stock) and the expected receipts by their dates. Demand already
// promised but not yet allocated (open backorders) is served first, oldest supply first; what is
// left is promised to the request, now before later, preferred (given) locations in their order.
import type { Db } from "../../platform/db/client.js";
import { invalidArgument } from "../../platform/errors.js";
import { available, descendantsOf } from "./domain.js";

export interface Promise_ {
  locationId: string;
  /** YYYY-MM-DD: today for stock on hand, the expected date for a receipt. */
  date: string;
  quantity: number;
  source: "ON_HAND" | "INBOUND";
  /** The expected receipt's reference (purchase order, transfer, ASN). */
  reference: string | null;
}

export interface AvailableToPromise {
  sku: string;
  requestedQuantity: number;
  requestedDate: string;
  availableNow: number;
  inbound: number;
  backordered: number;
  promisableQuantity: number;
  canPromiseInFull: boolean;
  fullQuantityDate: string | null;
  promises: Promise_[];
}

const today = () => new Date().toISOString().slice(0, 10);

export async function availableToPromise(
  db: Db,
  args: { sku: string; quantity: number; requestedDate?: Date | null; locationIds?: string[] | null },
): Promise<AvailableToPromise> {
  if (!Number.isInteger(args.quantity) || args.quantity < 1) throw invalidArgument("quantity", `must be a whole number >= 1, got ${args.quantity}`);
  const now = today();
  const requestedDate = args.requestedDate ? args.requestedDate.toISOString().slice(0, 10) : now;
  // Given locations (and everything under them) in the order given: promised from in that order.
  const given = args.locationIds ?? [];
  let subtrees: Set<string>[] = [];
  let within: Set<string> | null = null;
  if (given.length) {
    const tree = await db.location.findMany({ select: { id: true, parentId: true } });
    const unknown = given.find((id) => !tree.some((l) => l.id === id));
    if (unknown) throw invalidArgument("locationIds", `names unknown location "${unknown}"`);
    subtrees = given.map((id) => descendantsOf(id, tree));
    within = new Set(subtrees.flatMap((t) => [...t]));
  }
  const rank = (locationId: string) => {
    const i = subtrees.findIndex((t) => t.has(locationId));
    return i < 0 ? subtrees.length : i;
  };
  const [positions, receipts, backorders] = await Promise.all([
    db.inventoryPosition.findMany({ where: { sku: args.sku, ...(within && { locationId: { in: [...within] } }) } }),
    db.expectedReceipt.findMany({
      where: { sku: args.sku, quantity: { gt: 0 }, ...(within && { locationId: { in: [...within] } }) },
      orderBy: [{ expectedDate: "asc" }, { locationId: "asc" }],
    }),
    db.allocationRequest.findMany({ where: { sku: args.sku, status: "OPEN" }, select: { quantity: true, allocated: true } }),
  ]);
  const supply: (Promise_ & { left: number })[] = [
    ...positions
      .map((p) => ({ locationId: p.locationId, date: now, quantity: Math.max(0, available(p)), source: "ON_HAND" as const, reference: null }))
      .filter((s) => s.quantity > 0)
      .sort((a, b) => rank(a.locationId) - rank(b.locationId) || b.quantity - a.quantity || a.locationId.localeCompare(b.locationId)),
    ...receipts.map((r) => {
      const date = r.expectedDate.toISOString().slice(0, 10);
      return { locationId: r.locationId, date: date < now ? now : date, quantity: r.quantity, source: "INBOUND" as const, reference: r.reference };
    }),
  ].map((s) => ({ ...s, left: s.quantity }));
  const availableNow = supply.filter((s) => s.source === "ON_HAND").reduce((n, s) => n + s.quantity, 0);
  const inbound = supply.filter((s) => s.source === "INBOUND").reduce((n, s) => n + s.quantity, 0);
  const backordered = backorders.reduce((n, b) => n + Math.max(0, b.quantity - b.allocated), 0);
  let owed = backordered;
  for (const s of supply) {
    const used = Math.min(owed, s.left);
    s.left -= used;
    owed -= used;
  }
  const promises: Promise_[] = [];
  let need = args.quantity;
  for (const s of supply) {
    if (need <= 0) break;
    const q = Math.min(need, s.left);
    if (q <= 0) continue;
    promises.push({ locationId: s.locationId, date: s.date, quantity: q, source: s.source, reference: s.reference });
    need -= q;
  }
  const promisableQuantity = promises.filter((p) => p.date <= requestedDate).reduce((n, p) => n + p.quantity, 0);
  return {
    sku: args.sku,
    requestedQuantity: args.quantity,
    requestedDate,
    availableNow,
    inbound,
    backordered,
    promisableQuantity,
    canPromiseInFull: promisableQuantity >= args.quantity,
    fullQuantityDate: need <= 0 ? promises.at(-1)!.date : null,
    promises,
  };
}

export interface ExpectedReceiptInput {
  reference: string;
  sku: string;
  locationId: string;
  quantity: number;
  expectedDate: Date;
}

/** Records expected receipts (quantity 0 closes one) and keeps InventoryPosition.inbound as their sum. */
export async function recordExpectedReceipts(db: Db, receipts: ExpectedReceiptInput[]) {
  if (receipts.length > 10_000) throw invalidArgument("receipts", "at most 10,000 per call");
  receipts.forEach((r, i) => {
    if (!Number.isInteger(r.quantity) || r.quantity < 0) throw invalidArgument(`receipts[${i}].quantity`, `must be a whole number >= 0, got ${r.quantity}`);
    if (!r.reference.trim()) throw invalidArgument(`receipts[${i}].reference`, "must not be empty");
  });
  const skus = [...new Set(receipts.map((r) => r.sku))];
  const locations = [...new Set(receipts.map((r) => r.locationId))];
  const [knownSkus, knownLocations] = await Promise.all([
    db.product.findMany({ where: { sku: { in: skus } }, select: { sku: true } }),
    db.location.findMany({ where: { id: { in: locations } }, select: { id: true } }),
  ]);
  const badSku = receipts.findIndex((r) => !knownSkus.some((k) => k.sku === r.sku));
  if (badSku >= 0) throw invalidArgument(`receipts[${badSku}].sku`, `is not a known product: ${receipts[badSku].sku}`);
  const badLocation = receipts.findIndex((r) => !knownLocations.some((k) => k.id === r.locationId));
  if (badLocation >= 0) throw invalidArgument(`receipts[${badLocation}].locationId`, `is not a known location: ${receipts[badLocation].locationId}`);
  return db.$transaction(async (tx) => {
    const out = [];
    for (const r of receipts) {
      const key = { reference: r.reference.trim(), sku: r.sku, locationId: r.locationId };
      out.push(
        await tx.expectedReceipt.upsert({
          where: { reference_sku_locationId: key },
          create: { ...key, quantity: r.quantity, expectedDate: r.expectedDate },
          update: { quantity: r.quantity, expectedDate: r.expectedDate },
        }),
      );
    }
    const pairs = [...new Set(receipts.map((r) => `${r.sku}\u0000${r.locationId}`))].map((k) => k.split("\u0000"));
    for (const [sku, locationId] of pairs) {
      const { _sum } = await tx.expectedReceipt.aggregate({ where: { sku, locationId }, _sum: { quantity: true } });
      await tx.$executeRaw`
        INSERT INTO "inventory"."InventoryPosition" ("sku", "locationId", "asOf", "version", "inbound") VALUES (${sku}, ${locationId}, now(), 1, ${_sum.quantity ?? 0})
        ON CONFLICT ("sku", "locationId") DO UPDATE SET "inbound" = EXCLUDED."inbound"`;
    }
    return out;
  });
}

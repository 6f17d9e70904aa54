// Reconciliation: a stock snapshot against the current positions, reported per position and per
// location, applied (optionally) through the same absolute-level rule as every other source.
// A snapshot touches only the positions it lists. Only when the caller says it is a full count
// (full: true) do the positions it leaves out at its locations count as 0; the dry run
// (apply: false) names each of them (listed: false) before anything is zeroed.
import type { Db } from "../../platform/db/client.js";
import { DomainError, ErrorCode, invalidArgument } from "../../platform/errors.js";
import { IngestError } from "../../platform/ingest/errors.js";
import { checkSourceTime, DEFAULT_INGEST_POLICY, type IngestPolicy } from "../../platform/ingest/handlers.js";
import { applyStockChanges, type StockChange } from "./stock-sync.js";
import { STOCK_LIMIT } from "./domain.js";

export interface Snapshot {
  asOf: Date;
  source?: string | null;
  full?: boolean | null;
  positions: { sku: string; locationId: string; onHand: number }[];
}

export type DriftOutcome = "NOT_APPLIED" | "APPLIED" | "STALE";

export interface DriftLine {
  sku: string;
  locationId: string;
  current: number;
  snapshot: number;
  drift: number;
  /** false: not in the snapshot, counted as 0 because the snapshot is a full count. */
  listed: boolean;
  outcome: DriftOutcome;
}

const key = (sku: string, locationId: string) => `${sku}\u0000${locationId}`;

export async function reconcile(db: Db, snapshot: Snapshot, apply: boolean, correlationId: string, policy: IngestPolicy = DEFAULT_INGEST_POLICY) {
  if (snapshot.positions.length > 100_000) throw invalidArgument("snapshot.positions", "holds more than 100,000 positions: split it by location");
  try {
    checkSourceTime(policy, policy.now?.() ?? new Date(), snapshot.asOf, "snapshot.asOf");
  } catch (err) {
    throw invalidArgument("snapshot.asOf", (err as Error).message.replace(/ \(at snapshot\.asOf\)$/, ""));
  }
  const full = snapshot.full === true;
  const seen = new Set<string>();
  for (const [i, p] of snapshot.positions.entries()) {
    if (!Number.isInteger(p.onHand) || p.onHand < 0 || p.onHand > STOCK_LIMIT)
      throw invalidArgument(`snapshot.positions[${i}].onHand`, `must be a whole number from 0 to ${STOCK_LIMIT}, got ${p.onHand}`);
    if (seen.has(key(p.sku, p.locationId))) throw invalidArgument(`snapshot.positions[${i}]`, `repeats ${p.sku} at ${p.locationId}`);
    seen.add(key(p.sku, p.locationId));
  }
  const locations = [...new Set(snapshot.positions.map((p) => p.locationId))];
  const skus = [...new Set(snapshot.positions.map((p) => p.sku))];
  // Array parameters, not one parameter per value: a snapshot may name up to 100,000 positions.
  const [knownLocations, knownSkus] = await Promise.all([
    db.$queryRaw<{ id: string }[]>`SELECT "id" FROM "inventory"."Location" WHERE "id" = ANY(${locations}::text[])`,
    db.$queryRaw<{ sku: string }[]>`SELECT "sku" FROM "inventory"."Product" WHERE "sku" = ANY(${skus}::text[])`,
  ]);
  const locationSet = new Set(knownLocations.map((k) => k.id));
  const missingLocation = locations.find((l) => !locationSet.has(l));
  if (missingLocation)
    throw new DomainError(ErrorCode.INVALID_ARGUMENT, `snapshot names unknown location "${missingLocation}"`, { argument: "snapshot.positions" });
  const skuSet = new Set(knownSkus.map((k) => k.sku));
  const missingSku = skus.find((s) => !skuSet.has(s));
  if (missingSku) throw new DomainError(ErrorCode.INVALID_ARGUMENT, `snapshot names unknown sku "${missingSku}"`, { argument: "snapshot.positions" });

  const current = full
    ? await db.$queryRaw<{ sku: string; locationId: string; onHand: number }[]>`
        SELECT "sku", "locationId", "onHand" FROM "inventory"."InventoryPosition" WHERE "locationId" = ANY(${locations}::text[])`
    : await db.$queryRaw<{ sku: string; locationId: string; onHand: number }[]>`
        SELECT p."sku", p."locationId", p."onHand" FROM "inventory"."InventoryPosition" p
        JOIN unnest(${snapshot.positions.map((x) => x.sku)}::text[], ${snapshot.positions.map((x) => x.locationId)}::text[]) AS k(sku, location_id)
          ON p."sku" = k.sku AND p."locationId" = k.location_id`;
  const currentByKey = new Map(current.map((c) => [key(c.sku, c.locationId), c.onHand]));
  const compared = new Map<string, DriftLine>();
  for (const p of snapshot.positions) {
    const now = currentByKey.get(key(p.sku, p.locationId)) ?? 0;
    compared.set(key(p.sku, p.locationId), {
      sku: p.sku,
      locationId: p.locationId,
      current: now,
      snapshot: p.onHand,
      drift: p.onHand - now,
      listed: true,
      outcome: "NOT_APPLIED",
    });
  }
  if (full) {
    for (const c of current) {
      if (!compared.has(key(c.sku, c.locationId)))
        compared.set(key(c.sku, c.locationId), {
          sku: c.sku,
          locationId: c.locationId,
          current: c.onHand,
          snapshot: 0,
          drift: -c.onHand,
          listed: false,
          outcome: "NOT_APPLIED",
        });
    }
  }
  const lines = [...compared.values()].sort((a, b) => (a.locationId + a.sku < b.locationId + b.sku ? -1 : 1));
  const drifting = lines.filter((l) => l.drift !== 0);

  if (apply && drifting.length) {
    const source = snapshot.source || "reconciliation";
    const changes: StockChange[] = drifting.map((l) => ({
      type: "level",
      bucket: "onHand",
      sku: l.sku,
      locationId: l.locationId,
      quantity: l.snapshot,
      occurredAt: snapshot.asOf,
      sourceEventId: `${source}:${snapshot.asOf.toISOString()}`,
    }));
    const outcomes = await db
      .$transaction((tx) => applyStockChanges(tx, changes, { correlationId, messageId: null, source }), { timeout: 120_000, maxWait: 30_000 })
      .catch((err) => {
        // A stock bound (later deltas re-added on top of a level): the caller's to fix, nothing applied.
        if (err instanceof IngestError)
          throw new DomainError(ErrorCode.INVALID_ARGUMENT, `snapshot not applied: ${err.message}`, { argument: "snapshot.positions" });
        throw err;
      });
    outcomes.forEach((o, i) => (drifting[i].outcome = o.outcome === "stale" ? "STALE" : "APPLIED"));
  }

  const byLocation = new Map<string, { locationId: string; positionsCompared: number; positionsWithDrift: number; totalAbsoluteDrift: number }>();
  for (const l of lines) {
    const agg = byLocation.get(l.locationId) ?? { locationId: l.locationId, positionsCompared: 0, positionsWithDrift: 0, totalAbsoluteDrift: 0 };
    agg.positionsCompared++;
    if (l.drift) agg.positionsWithDrift++;
    agg.totalAbsoluteDrift += Math.abs(l.drift);
    byLocation.set(l.locationId, agg);
  }
  return {
    applied: apply,
    asOf: snapshot.asOf,
    positionsCompared: lines.length,
    positionsWithDrift: drifting.length,
    positionsZeroed: drifting.filter((l) => !l.listed).length,
    totalAbsoluteDrift: drifting.reduce((s, l) => s + Math.abs(l.drift), 0),
    byLocation: [...byLocation.values()],
    lines: drifting,
  };
}

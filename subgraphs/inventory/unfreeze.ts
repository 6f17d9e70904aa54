// Unfreezing a position. An absolute level dated in the future (a COUNT typed as 9999-12-31,
// accepted before source times were checked against the clock skew) makes every later change
// look older than it, so each is RECONCILED and nothing applies any more. Unfreezing brings the
// position's level time back to its newest level that is not in the future, and re-dates its
// future-dated journal entries to now (otherwise they would be added back on top of every later
// level). Quantities do not change. It is audited: an InventoryPositionUnfrozen event with the
// reason, who asked (correlation id) and the times before and after.
import type { Db } from "../../platform/db/client.js";
import { appendEvents } from "../../platform/events/event-log.js";
import { DomainError, ErrorCode, invalidArgument } from "../../platform/errors.js";
import type { InventoryPosition, Prisma } from "../../platform/db/generated/client.js";
import { positionId } from "./domain.js";

import { InventoryPositionUnfrozen } from "./events.js";

export const INVENTORY_POSITION_UNFROZEN = InventoryPositionUnfrozen.name;

export async function unfreezePosition(
  db: Db,
  input: { sku: string; locationId: string; reason: string },
  context: { correlationId: string; maxClockSkewMs: number; now?: Date },
): Promise<InventoryPosition> {
  const reason = input.reason.trim();
  if (!reason || reason.length > 500) throw invalidArgument("reason", "must say why, in 1 to 500 characters");
  const now = context.now ?? new Date();
  const horizon = new Date(now.getTime() + context.maxClockSkewMs);
  return db.$transaction(async (tx) => {
    const [position] = await tx.$queryRaw<InventoryPosition[]>`
      SELECT * FROM "inventory"."InventoryPosition" WHERE "sku" = ${input.sku} AND "locationId" = ${input.locationId} FOR UPDATE`;
    if (!position) throw new DomainError(ErrorCode.NOT_FOUND, `no inventory position for ${input.sku} at ${input.locationId}`, { argument: "locationId" });
    const frozen = (position.levelAsOf && position.levelAsOf > horizon) || position.asOf > horizon;
    if (!frozen) {
      throw invalidArgument(
        "sku",
        `${input.sku} at ${input.locationId} is not frozen: neither its level time (${position.levelAsOf?.toISOString() ?? "none"}) nor its source time (${position.asOf.toISOString()}) is ahead of this server's clock`,
      );
    }
    const redated = await tx.$executeRaw`
      UPDATE "inventory"."StockMovement" SET "occurredAt" = ${now}
      WHERE "sku" = ${input.sku} AND "locationId" = ${input.locationId} AND "occurredAt" > ${horizon}`;
    const [times] = await tx.$queryRaw<{ level: Date | null; latest: Date | null }[]>`
      SELECT MAX("occurredAt") FILTER (WHERE "kind" = 'LEVEL') AS "level", MAX("occurredAt") AS "latest"
      FROM "inventory"."StockMovement" WHERE "sku" = ${input.sku} AND "locationId" = ${input.locationId}`;
    const levelAsOf = times.level;
    const asOf = times.latest ?? (position.asOf > horizon ? now : position.asOf);
    const after = await tx.inventoryPosition.update({
      where: { sku_locationId: { sku: input.sku, locationId: input.locationId } },
      data: { levelAsOf, asOf, version: { increment: 1 } },
    });
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    await appendEvents(tx, context.correlationId, [
      {
        type: INVENTORY_POSITION_UNFROZEN,
        aggregateType: "InventoryPosition",
        aggregateId: positionId(input.sku, input.locationId),
        aggregateVersion: after.version,
        occurredAt: now,
        payload: {
          sku: input.sku,
          locationId: input.locationId,
          reason,
          before: { levelAsOf: iso(position.levelAsOf), asOf: iso(position.asOf) },
          after: { levelAsOf: iso(levelAsOf), asOf: iso(asOf) },
          redatedMovements: redated,
        } satisfies Prisma.InputJsonObject,
      },
    ]);
    return after;
  });
}

// Shipment commands: a milestone, the status it implies, and the event, in one transaction.
import { randomUUID } from "node:crypto";
import type { Db } from "../../platform/db/client.js";
import type { MilestoneCode, ShipmentStatus } from "../../platform/db/generated/client.js";
import { DomainError, ErrorCode } from "../../platform/errors.js";
import { appendEvents, type Tx } from "../../platform/events/event-log.js";
import { statusFromMilestones } from "./domain.js";
import { ShipmentMilestoneRecorded } from "./events.js";

export { SHIPMENT_MILESTONE_RECORDED } from "./events.js";

export interface MilestoneInput {
  shipmentId: string;
  code: MilestoneCode;
  occurredAt: Date;
  location?: string | null;
  source?: string | null;
  note?: string | null;
}

export async function recordShipmentMilestone(db: Db, input: MilestoneInput, correlationId: string) {
  return db.$transaction(async (tx) => {
    const shipment = await recordMilestoneIn(tx, input, correlationId);
    if (!shipment) throw new DomainError(ErrorCode.NOT_FOUND, `no shipment ${input.shipmentId}`, { argument: "input.shipmentId" });
    return shipment;
  });
}

/**
 * Records a milestone in the caller's transaction (the 214 and TMS adapters apply through this).
 * A milestone with the same code, time and source as one already recorded is not recorded twice.
 * Returns null when there is no such shipment.
 */
export async function recordMilestoneIn(tx: Tx, input: MilestoneInput, correlationId: string) {
  const [current] = await tx.$queryRaw<{ status: ShipmentStatus; orderId: string }[]>`
    SELECT "status"::text AS "status", "orderId" FROM "shipments"."Shipment" WHERE "id" = ${input.shipmentId} FOR UPDATE`;
  if (!current) return null;
  const source = input.source || "api";
  const same = await tx.milestone.findFirst({ where: { shipmentId: input.shipmentId, code: input.code, occurredAt: input.occurredAt, source } });
  if (same) return tx.shipment.findUniqueOrThrow({ where: { id: input.shipmentId } });
  const milestone = await tx.milestone.create({
    data: {
      id: `MS-${randomUUID()}`,
      shipmentId: input.shipmentId,
      code: input.code,
      occurredAt: input.occurredAt,
      location: input.location ?? null,
      source,
      note: input.note ?? null,
    },
  });
  const all = await tx.milestone.findMany({ where: { shipmentId: input.shipmentId }, select: { code: true, occurredAt: true } });
  // Status follows the latest milestone by time, so a late-arriving older one does not regress it.
  const newStatus = statusFromMilestones(all);
  const shipment = await tx.shipment.update({
    where: { id: input.shipmentId },
    data: { status: newStatus, version: { increment: 1 }, ...(newStatus === "DELIVERED" && input.code === "DELIVERED" && { deliveredAt: input.occurredAt }) },
  });
  await appendEvents(tx, correlationId, [
    ShipmentMilestoneRecorded.event({
      aggregateId: input.shipmentId,
      aggregateVersion: shipment.version,
      occurredAt: input.occurredAt,
      payload: {
        shipmentId: input.shipmentId,
        orderId: current.orderId,
        previousStatus: current.status,
        newStatus,
        milestone: {
          id: milestone.id,
          code: milestone.code,
          occurredAt: milestone.occurredAt.toISOString(),
          location: milestone.location,
          source: milestone.source,
          note: milestone.note,
        },
      },
    }),
  ]);
  return shipment;
}

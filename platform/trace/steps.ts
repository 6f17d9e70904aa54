// trace(correlationId): the shape of one step, and the steps every domain reads the same way
// (its own events in the shared event log, its outbound documents). Each subgraph contributes its
// steps to the federated Trace entity; operations merges them in time order (Trace.steps).
import type { Db } from "../db/client.js";

export interface TraceStepModel {
  at: Date;
  subgraph: string;
  kind: string;
  description: string;
  durationMs: number | null;
}

/** As the gateway passes required fields to operations: times as strings. */
export interface WireTraceStep {
  at: string | Date;
  subgraph: string;
  kind: string;
  description: string;
  durationMs?: number | null;
}

/** Earliest first; steps at the same instant keep the order they were given in (contributors list causes first). */
export function inTimeOrder<T extends { at: Date | string }>(steps: T[]): T[] {
  return steps
    .map((s, i) => ({ s, i, t: new Date(s.at).getTime() }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.s);
}

export const msBetween = (from: Date | null | undefined, to: Date | null | undefined) => (from && to ? Math.max(0, to.getTime() - from.getTime()) : null);

/** The events of these aggregate types (the domain's own) under one correlation id, as steps, in log order. */
export async function eventSteps(db: Db, correlationId: string, subgraph: string, aggregateTypes: readonly string[]): Promise<TraceStepModel[]> {
  const events = await db.eventLog.findMany({
    where: { correlationId, aggregateType: { in: [...aggregateTypes] } },
    orderBy: { sequence: "asc" },
    select: { sequence: true, type: true, aggregateType: true, aggregateId: true, aggregateVersion: true, recordedAt: true },
  });
  return events.map((e) => ({
    at: e.recordedAt,
    subgraph,
    kind: "EVENT",
    description: `${e.type} ${e.aggregateType} ${e.aggregateId} v${e.aggregateVersion} (event ${e.sequence})`,
    durationMs: null,
  }));
}

/** Outbound documents of these types under one correlation id, and what became of their deliveries. */
export async function documentSteps(db: Db, correlationId: string, subgraph: string, types: readonly string[]): Promise<TraceStepModel[]> {
  const docs = await db.outboundDocument.findMany({
    where: { correlationId, type: { in: [...types] } },
    orderBy: { createdAt: "asc" },
    select: { id: true, type: true, partner: true, controlNumber: true, createdAt: true },
  });
  if (!docs.length) return [];
  const deliveries = await db.documentDelivery.findMany({ where: { documentId: { in: docs.map((d) => d.id) } }, orderBy: { createdAt: "asc" } });
  const steps: TraceStepModel[] = [];
  for (const d of docs) {
    steps.push({
      at: d.createdAt,
      subgraph,
      kind: "DOCUMENT",
      description: `${d.type} ${d.id} for ${d.partner}, control number ${d.controlNumber}`,
      durationMs: null,
    });
    for (const v of deliveries.filter((x) => x.documentId === d.id)) {
      if (v.state === "DELIVERED") {
        steps.push({
          at: v.deliveredAt!,
          subgraph,
          kind: "DELIVERY",
          description: `${d.type} ${d.id} delivered to ${v.target} after ${v.attempts} attempt(s)`,
          durationMs: msBetween(v.createdAt, v.deliveredAt),
        });
      } else if (v.state === "FAILED") {
        steps.push({
          at: v.exceptionRaisedAt ?? v.createdAt,
          subgraph,
          kind: "ERROR",
          description: `${d.type} ${d.id} not delivered to ${v.target} after ${v.attempts} attempt(s): ${v.lastError ?? v.exceptionReason ?? "failed"}`,
          durationMs: null,
        });
      } else {
        steps.push({
          at: v.createdAt,
          subgraph,
          kind: "DELIVERY",
          description: `${d.type} ${d.id} waiting for delivery to ${v.target} (${v.attempts} attempt(s) so far${v.lastError ? `, last: ${v.lastError}` : ""})`,
          durationMs: null,
        });
      }
    }
  }
  return steps;
}

/** The Trace entity as a subgraph sees it: its key, and (operations) the other subgraphs' steps the gateway fetched first. */
export interface TraceReference {
  correlationId: string;
  orderSteps?: WireTraceStep[] | null;
  inventorySteps?: WireTraceStep[] | null;
  financeSteps?: WireTraceStep[] | null;
  shipmentSteps?: WireTraceStep[] | null;
}

/** The contributed fields and the subgraph behind each, as operations merges them. */
export const CONTRIBUTED_STEPS = [
  ["orderSteps", "orders"],
  ["inventorySteps", "inventory"],
  ["financeSteps", "erp-finance"],
  ["shipmentSteps", "shipments"],
] as const;

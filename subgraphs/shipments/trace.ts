// shipments' steps of a transaction (Trace.shipmentSteps): its events (shipments confirmed,
// milestones) and the warehouse shipping orders it sent (940, WMS JSON) with their deliveries.
import type { Db } from "../../platform/db/client.js";
import { documentSteps, eventSteps, type TraceStepModel } from "../../platform/trace/steps.js";

const SUBGRAPH = "shipments";

export async function shipmentTraceSteps(db: Db, correlationId: string): Promise<TraceStepModel[]> {
  const [events, documents] = await Promise.all([
    eventSteps(db, correlationId, SUBGRAPH, ["Shipment"]),
    documentSteps(db, correlationId, SUBGRAPH, ["940", "WMS_SHIPPING_ORDER"]),
  ]);
  return [...documents, ...events];
}

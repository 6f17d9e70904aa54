// inventory's steps of a transaction (Trace.inventorySteps): its events (stock changes,
// allocations of orders, products, unfreezes).
import type { Db } from "../../platform/db/client.js";
import { eventSteps, type TraceStepModel } from "../../platform/trace/steps.js";

export const inventoryTraceSteps = (db: Db, correlationId: string): Promise<TraceStepModel[]> =>
  eventSteps(db, correlationId, "inventory", ["InventoryPosition", "OrderAllocation", "Product"]);

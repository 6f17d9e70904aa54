// orders' steps of a transaction (Trace.orderSteps): its events, status changes (with the time
// spent in the previous status), and the partner documents it wrote (855, 856, 810).
import type { Db } from "../../platform/db/client.js";
import { documentSteps, eventSteps, msBetween, type TraceStepModel } from "../../platform/trace/steps.js";

const SUBGRAPH = "orders";

export async function orderTraceSteps(db: Db, correlationId: string): Promise<TraceStepModel[]> {
  const [events, changes, documents] = await Promise.all([
    eventSteps(db, correlationId, SUBGRAPH, ["Order", "Return"]),
    db.orderStatusChange.findMany({ where: { correlationId }, orderBy: { id: "asc" }, include: { order: { select: { orderNumber: true } } } }),
    documentSteps(db, correlationId, SUBGRAPH, ["855", "856", "810"]),
  ]);
  // The time in the previous status: the change before this one of the same order, whatever its correlation id.
  const previous = changes.length
    ? await db.orderStatusChange.findMany({
        where: { orderId: { in: [...new Set(changes.map((c) => c.orderId))] } },
        orderBy: { id: "asc" },
        select: { id: true, orderId: true, changedAt: true },
      })
    : [];
  const status = changes.map((c) => {
    const before = previous.filter((p) => p.orderId === c.orderId && p.id < c.id).at(-1);
    return {
      at: c.changedAt,
      subgraph: SUBGRAPH,
      kind: "STATUS",
      description: `order ${c.order.orderNumber}: ${c.fromStatus ?? "(new)"} -> ${c.toStatus} by ${c.source}${c.reason ? ` (${c.reason})` : ""}`,
      durationMs: msBetween(before?.changedAt, c.changedAt),
    };
  });
  return [...status, ...events, ...documents];
}

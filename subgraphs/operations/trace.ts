// trace(correlationId): operations' own steps (inbound messages, their warnings and outcome, the
// 997s, parked events) and the merge of every subgraph's steps, which the gateway fetched from
// their owners (@requires) before asking operations for Trace.steps.
import type { Db } from "../../platform/db/client.js";
import { warningsOf } from "../../platform/ingest/warnings.js";
import { CONTRIBUTED_STEPS, documentSteps, inTimeOrder, msBetween, type TraceReference, type TraceStepModel } from "../../platform/trace/steps.js";

const SUBGRAPH = "operations";

/** The trace's key when anything stored carries the id (an inbound message or an event); else null. */
export async function findTrace(db: Db, correlationId: string): Promise<TraceReference | null> {
  const [message, event] = await Promise.all([
    db.inboundMessage.findFirst({ where: { correlationId }, select: { id: true } }),
    db.eventLog.findFirst({ where: { correlationId }, select: { sequence: true } }),
  ]);
  return message || event ? { correlationId } : null;
}

export async function operationTraceSteps(db: Db, correlationId: string): Promise<TraceStepModel[]> {
  const [messages, acknowledgements, parked] = await Promise.all([
    db.inboundMessage.findMany({ where: { correlationId }, orderBy: { id: "asc" }, omit: { raw: true } }),
    documentSteps(db, correlationId, SUBGRAPH, ["997"]),
    db.$queryRaw<
      { consumer: string; sequence: bigint; attempts: number; error: string; parkedAt: Date; resolvedAt: Date | null; exceptionState: string; type: string }[]
    >`
      SELECT p."consumer", p."sequence", p."attempts", p."error", p."parkedAt", p."resolvedAt", p."exceptionState"::text AS "exceptionState", e."type"
      FROM "platform"."ParkedEvent" p JOIN "platform"."EventLog" e ON e."sequence" = p."sequence" WHERE e."correlationId" = ${correlationId}`,
  ]);
  const steps: TraceStepModel[] = [];
  for (const m of messages) {
    const what = `${m.source} ${m.kind} message ${m.id}`;
    steps.push({
      at: m.receivedAt,
      subgraph: SUBGRAPH,
      kind: "RECEIVED",
      description: `${what} received (key ${m.idempotencyKey}, ${m.sizeBytes} bytes)`,
      durationMs: null,
    });
    for (const w of warningsOf(m.warnings)) {
      steps.push({
        at: m.receivedAt,
        subgraph: SUBGRAPH,
        kind: "WARNING",
        description: `${what}: ${w.step} ${w.code}: ${w.message}${w.where ? ` (${w.where})` : ""}`,
        durationMs: null,
      });
    }
    const took = msBetween(m.receivedAt, m.processedAt);
    if (m.state === "PROCESSED") {
      const result = m.result == null ? "" : `: ${JSON.stringify(m.result).slice(0, 300)}`;
      steps.push({
        at: m.processedAt ?? m.receivedAt,
        subgraph: SUBGRAPH,
        kind: "APPLIED",
        description: `${what} parsed, mapped and applied after ${m.attempts} attempt(s)${result}`,
        durationMs: took,
      });
    } else if (m.state === "RECONCILED") {
      steps.push({
        at: m.processedAt ?? m.receivedAt,
        subgraph: SUBGRAPH,
        kind: "APPLIED",
        description: `${what} older than what the data reflects: recorded, not applied`,
        durationMs: took,
      });
    } else if (m.state === "DUPLICATE") {
      steps.push({
        at: m.receivedAt,
        subgraph: SUBGRAPH,
        kind: "DUPLICATE",
        description: `${what} repeats message ${m.duplicateOfId}: not applied again`,
        durationMs: null,
      });
    } else if (m.state === "DEAD_LETTER" || m.state === "FAILED") {
      const at = m.exceptionRaisedAt ?? m.processedAt ?? m.receivedAt;
      steps.push({
        at,
        subgraph: SUBGRAPH,
        kind: "ERROR",
        description: `${what} ${m.state === "FAILED" ? "failed (will be retried)" : "dead-lettered"} at ${m.failedStep ?? "APPLY"}: ${m.error ?? m.exceptionReason ?? ""}`,
        durationMs: msBetween(m.receivedAt, at),
      });
    }
    if (m.exceptionState && m.exceptionState !== "OPEN" && m.resolvedAt && m.state !== "PROCESSED") {
      steps.push({
        at: m.resolvedAt,
        subgraph: SUBGRAPH,
        kind: "RESOLVED",
        description: `${what} ${m.exceptionState.toLowerCase()}: ${m.resolutionNote ?? ""}`,
        durationMs: null,
      });
    }
  }
  for (const p of parked) {
    steps.push({
      at: p.parkedAt,
      subgraph: SUBGRAPH,
      kind: "ERROR",
      description: `consumer ${p.consumer} set aside ${p.type} (event ${p.sequence}) after ${p.attempts} attempts: ${p.error}`,
      durationMs: null,
    });
    if (p.resolvedAt)
      steps.push({
        at: p.resolvedAt,
        subgraph: SUBGRAPH,
        kind: "RESOLVED",
        description: `consumer ${p.consumer}, event ${p.sequence}: ${p.exceptionState.toLowerCase()}`,
        durationMs: msBetween(p.parkedAt, p.resolvedAt),
      });
  }
  return [...steps, ...acknowledgements];
}

/** Every subgraph's steps in time order (the gateway asks only when every subgraph answered). */
export async function allTraceSteps(db: Db, trace: TraceReference): Promise<TraceStepModel[]> {
  const own = await operationTraceSteps(db, trace.correlationId);
  const others = CONTRIBUTED_STEPS.flatMap(([field]) => (trace[field] ?? []).map((s) => ({ ...s, at: new Date(s.at), durationMs: s.durationMs ?? null })));
  return inTimeOrder([...own, ...others]);
}

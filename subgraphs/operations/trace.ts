// trace(correlationId): operations' own steps (inbound messages, their warnings, the time of each
// pipeline step and the outcome, the 997s, the consumers' handling of each event, parked events) and the merge of every subgraph's steps, which the gateway fetched from
// their owners (@requires) before asking operations for Trace.steps.
import type { Db } from "../../platform/db/client.js";
import { warningsOf } from "../../platform/ingest/warnings.js";
import { stepTimingsOf, type StepTimings } from "../../platform/ingest/step-timings.js";
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
  const [messages, acknowledgements, parked, handled] = await Promise.all([
    db.inboundMessage.findMany({ where: { correlationId }, orderBy: { id: "asc" }, omit: { raw: true } }),
    documentSteps(db, correlationId, SUBGRAPH, ["997"]),
    db.$queryRaw<
      { consumer: string; sequence: bigint; attempts: number; error: string; parkedAt: Date; resolvedAt: Date | null; exceptionState: string; type: string }[]
    >`
      SELECT p."consumer", p."sequence", p."attempts", p."error", p."parkedAt", p."resolvedAt", p."exceptionState"::text AS "exceptionState", e."type"
      FROM "platform"."ParkedEvent" p JOIN "platform"."EventLog" e ON e."sequence" = p."sequence" WHERE e."correlationId" = ${correlationId}`,
    db.$queryRaw<{ consumer: string; sequence: bigint; handledAt: Date; durationMs: number; batchSize: number; type: string }[]>`
      SELECT h."consumer", h."sequence", h."handledAt", h."durationMs", h."batchSize", e."type"
      FROM "platform"."ConsumerHandling" h JOIN "platform"."EventLog" e ON e."sequence" = h."sequence"
      WHERE e."correlationId" = ${correlationId} ORDER BY h."handledAt", h."sequence", h."consumer"`,
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
    const timings = stepTimingsOf(m.stepTimings);
    if (timings) steps.push(...pipelineSteps(what, timings));
    if (m.state === "PROCESSED") {
      const result = m.result == null ? "" : `: ${JSON.stringify(m.result).slice(0, 300)}`;
      const applied =
        timings?.applyMs == null
          ? "parsed, mapped and applied"
          : `applied${timings.appliedWith && timings.appliedWith > 1 ? ` together with ${timings.appliedWith - 1} other message(s)` : ""}`;
      steps.push({
        at: m.processedAt ?? m.receivedAt,
        subgraph: SUBGRAPH,
        kind: "APPLIED",
        // processedAt is the applying transaction's start (PostgreSQL's now()), so this is the wait
        // before the apply, not including it.
        description: `${what} ${applied} after ${m.attempts} attempt(s); its transaction began ${took ?? 0} ms after receipt${result}`,
        // The apply step's own time where it was measured; before that, receipt to applied.
        durationMs: timings?.applyMs ?? took,
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
  for (const h of handled) {
    steps.push({
      at: h.handledAt,
      subgraph: h.consumer.split(".")[0],
      kind: "HANDLED",
      description: `consumer ${h.consumer} handled ${h.type} (event ${h.sequence})${h.batchSize > 1 ? ` in a batch of ${h.batchSize} events` : ""}`,
      durationMs: h.durationMs,
    });
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

/**
 * The pipeline's steps before apply, from the times the last attempt recorded: PARSED (parse and
 * validate) and MAPPED, each placed at the time it ended.
 */
function pipelineSteps(what: string, t: StepTimings): TraceStepModel[] {
  const start = new Date(t.startedAt).getTime();
  const steps: TraceStepModel[] = [];
  if (t.parseMs == null) return steps;
  const parsed = t.parseMs + (t.validateMs ?? 0);
  steps.push({
    at: new Date(start + parsed),
    subgraph: SUBGRAPH,
    kind: "PARSED",
    description: `${what} parsed (${t.parseMs} ms)${t.validateMs == null ? "" : ` and validated (${t.validateMs} ms)`}`,
    durationMs: parsed,
  });
  if (t.mapMs != null)
    steps.push({
      at: new Date(start + parsed + t.mapMs),
      subgraph: SUBGRAPH,
      kind: "MAPPED",
      description: `${what} mapped to canonical commands`,
      durationMs: t.mapMs,
    });
  return steps;
}

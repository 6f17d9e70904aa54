// Runs stored messages through parse -> validate -> map -> apply. Apply, the events it appends and
// the message's new state commit together, so a crash leaves a message RECEIVED (re-run on
// recovery) or PROCESSED, never half-applied. Bad input is dead-lettered at once, with a reason
// for the sender (never the database's own error text).
//
// A batch (one request's messages, or a recovery sweep) is applied in one transaction, in
// arrival order; if that transaction fails, each message is applied on its own, so one bad
// message cannot block or roll back the others. Transient database failures (a lock or statement
// timeout, a deadlock, the database away) are retried at once with a short backoff; if they
// persist the messages are FAILED with a next attempt time that doubles each time, and the
// retry sweep picks them up. Other apply errors are dead-lettered after MAX_APPLY_ATTEMPTS.
import { Prisma, type InboundMessage, type IngestStep } from "../db/generated/client.js";
import type { Db } from "../db/client.js";
import { classifyDbError, describeDbFailure, isTransient, type DbFailure } from "../db/errors.js";
import { IngestError, storableText } from "./errors.js";
import { checkSourceTime, type HandlerRegistry, type IngestHandler, type StepContext } from "./handlers.js";
import { receiveMessages, withoutRaw, type StoredMessage } from "./message-store.js";
import { envelopeRouteOf, splitBody } from "./routes.js";
import { warning, WarningList, warningsOf, type IngestWarning } from "./warnings.js";
import { logFor } from "../telemetry/log.js";
import { StepClock, timedApply, type StepTimings } from "./step-timings.js";

/** Attempts before an apply that fails for an unexpected reason is dead-lettered. */
export const MAX_APPLY_ATTEMPTS = 3;
/** Attempts before a message that keeps meeting transient database failures is dead-lettered. */
export const MAX_TRANSIENT_ATTEMPTS = 10;
/** Retries within one request, before answering 503, and their waits. */
const INLINE_RETRY_DELAYS_MS = [100, 400];
/** Backoff of the retry sweep: 1 s after the first failure, doubling, at most 5 minutes. */
export const retryDelayMs = (attempts: number) => Math.min(1000 * 2 ** Math.max(0, attempts - 1), 5 * 60_000);

export type ProcessOutcome = Pick<StoredMessage, "id" | "state" | "error" | "failedStep" | "correlationId" | "result" | "warnings" | "conflictWithId">;

interface Prepared {
  message: InboundMessage;
  handler: IngestHandler;
  command: unknown;
  /** Warnings up to and including map; apply adds its own on top, per attempt. */
  warnings: WarningList;
  /** Parse, validate and map times; apply's is added when it runs. */
  timings: StepTimings;
}

type PrepareFailure = { failedStep: IngestStep; error: string; warnings: WarningList; transient?: DbFailure; timings?: StepTimings };

const pending = (state: string) => state === "RECEIVED" || state === "FAILED";
/** Steps that run again each time a message is processed; RECEIVE warnings come from the envelope and stay. */
const rerunSteps: IngestStep[] = ["PARSE", "VALIDATE", "MAP", "APPLY"];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const json = (warnings: IngestWarning[]) => warnings as unknown as Prisma.InputJsonValue;

export async function processMessage(db: Db, registry: HandlerRegistry, messageId: string): Promise<ProcessOutcome> {
  const [outcome] = await processMessages(db, registry, [messageId]);
  if (!outcome) throw new Error(`no inbound message ${messageId}`);
  return outcome;
}

/** Processes the given messages in the order given; returns their outcomes in that order. */
export async function processMessages(db: Db, registry: HandlerRegistry, ids: string[]): Promise<ProcessOutcome[]> {
  const loaded = await db.inboundMessage.findMany({ where: { id: { in: ids } } });
  const byId = new Map(loaded.map((m) => [m.id, m]));
  return processReceivedMessages(
    db,
    registry,
    ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])),
  );
}

/**
 * processMessages for messages the caller has just stored (it holds their rows and raw bytes),
 * so they are not read back.
 */
export async function processReceivedMessages(db: Db, registry: HandlerRegistry, messages: InboundMessage[]): Promise<ProcessOutcome[]> {
  const ids = messages.map((m) => m.id);
  const outcomes = new Map<string, ProcessOutcome>();
  const ready: Prepared[] = [];
  // Mapping lookups (items, locations) are shared by the batch's messages, not across batches,
  // so a mapping fix is seen by the next request.
  const mappingScope = {};
  for (const message of messages) if (!pending(message.state)) outcomes.set(message.id, message);
  const todo = messages.filter((m) => pending(m.state));
  // Map steps that only read run at once: their lookups (items, locations) go out together, batched
  // by the mappers, rather than one round trip per message. The others (with effects, such as a
  // credit reservation) run one after another in arrival order.
  let inOrder: Promise<unknown> = Promise.resolve();
  const preparedAll = await Promise.all(
    todo.map((message) => {
      if (registry.get(message.source, message.kind)?.mapsConcurrently) return prepare(db, registry, message, mappingScope);
      const next = inOrder.then(() => prepare(db, registry, message, mappingScope));
      inOrder = next.catch(() => {});
      return next;
    }),
  );
  for (const [i, prepared] of preparedAll.entries()) {
    const message = todo[i];
    const id = message.id;
    if ("failedStep" in prepared) {
      outcomes.set(
        id,
        prepared.transient
          ? await markFailed(db, message, prepared.transient, prepared.warnings, prepared.failedStep, prepared.timings)
          : await deadLetter(db, message, prepared.failedStep, prepared.error, prepared.warnings, prepared.timings),
      );
    } else ready.push(prepared);
  }
  if (ready.length) {
    let together: Map<string, ProcessOutcome> | null = null;
    if (ready.length > 1) {
      const attempt = await withInlineRetries(() => applyTogether(db, ready));
      if (attempt.ok) together = attempt.value;
      else if (attempt.failure && isTransient(attempt.failure)) {
        // The whole batch met the same lock or outage: applying each alone would wait as long again, per message.
        for (const p of ready) outcomes.set(p.message.id, await markFailed(db, p.message, attempt.failure, p.warnings));
      }
    }
    for (const p of ready) if (!outcomes.has(p.message.id)) outcomes.set(p.message.id, together?.get(p.message.id) ?? (await applyAlone(db, p)));
  }
  return ids.flatMap((id) => (outcomes.has(id) ? [outcomes.get(id)!] : []));
}

function stepContext(registry: HandlerRegistry, warnings: WarningList, step: () => IngestStep): StepContext {
  const now = registry.policy.now?.() ?? new Date();
  return {
    warn: (w) => warnings.add(step(), w),
    sourceTime: (at, where) => checkSourceTime(registry.policy, now, at, where),
  };
}

async function prepare(db: Db, registry: HandlerRegistry, message: InboundMessage, mappingScope: object): Promise<Prepared | PrepareFailure> {
  const warnings = new WarningList(warningsOf(message.warnings)).without(rerunSteps);
  const handler = registry.get(message.source, message.kind);
  if (!handler) {
    const accepted = registry.kindsOf(message.source);
    return {
      failedStep: "VALIDATE",
      error: `${message.source} "${message.kind}" is not supported${accepted.length ? ` (accepted: ${accepted.join(", ")})` : ""}`,
      warnings,
    };
  }
  let step: IngestStep = "PARSE";
  const ctx = stepContext(registry, warnings, () => step);
  const clock = new StepClock();
  try {
    const parsed = handler.parse(Buffer.from(message.raw), ctx);
    clock.lap("parseMs");
    step = "VALIDATE";
    const valid = handler.validate(parsed, ctx);
    clock.lap("validateMs");
    step = "MAP";
    const command = await handler.map(valid, db, mappingScope, {
      ...ctx,
      message: { id: message.id, correlationId: message.correlationId, idempotencyKey: message.idempotencyKey },
    });
    clock.lap("mapMs");
    return { message, handler, command, warnings, timings: clock.timings };
  } catch (err) {
    // Only the steps that completed: the failing one is the message's error (failedStep).
    const timings = clock.timings;
    if (err instanceof IngestError) return { failedStep: err.step, error: storableText(err.message).slice(0, 4000), warnings, timings };
    const failure = classifyDbError(err);
    if (isTransient(failure)) return { failedStep: step, error: describeDbFailure(failure), warnings, transient: failure, timings };
    return { failedStep: step, error: unexpected(err, message, step), warnings, timings };
  }
}

/**
 * Logs the details of an unexpected error; the message keeps a sentence for people. A database
 * client's error text (SQL, file paths) stays in the log; another error's first line is kept.
 */
function unexpected(err: unknown, message: Pick<InboundMessage, "id" | "correlationId">, step: IngestStep): string {
  logFor(message.correlationId).error({ messageId: message.id, step, error: String(err), stack: (err as Error)?.stack }, "unexpected ingest error");
  const e = err as { name?: string; clientVersion?: unknown; message?: unknown };
  const fromDatabase = e?.clientVersion !== undefined || /^Prisma|DriverAdapter/.test(e?.name ?? "") || classifyDbError(err).code !== null;
  const detail = !fromDatabase && typeof e?.message === "string" ? `: ${storableText(e.message.split("\n")[0]).slice(0, 300)}` : "";
  return `an unexpected error occurred at step ${step}${detail} (logged on the server with correlation id ${message.correlationId})`;
}

type Attempt<T> = { ok: true; value: T } | { ok: false; error: unknown; failure: DbFailure | null };

/** Runs fn, again after a short wait while it fails for a transient database reason. */
async function withInlineRetries<T>(fn: () => Promise<T>): Promise<Attempt<T>> {
  for (let i = 0; ; i++) {
    try {
      return { ok: true, value: await fn() };
    } catch (error) {
      if (error instanceof IngestError) return { ok: false, error, failure: null };
      const failure = classifyDbError(error);
      if (!isTransient(failure) || i >= INLINE_RETRY_DELAYS_MS.length) return { ok: false, error, failure };
      await sleep(INLINE_RETRY_DELAYS_MS[i]);
    }
  }
}

const txOptions = { timeout: 60_000, maxWait: 30_000 };

function applyContext(p: Prepared, warnings: WarningList) {
  return {
    messageId: p.message.id,
    correlationId: p.message.correlationId,
    source: p.message.source,
    warn: (w: Parameters<StepContext["warn"]>[0]) => warnings.add("APPLY", w),
  };
}

/** The columns of a ProcessOutcome, for RETURNING and the lock's SELECT (never the raw body). */
const OUTCOME_COLUMNS = Prisma.sql`"id", "state"::text AS "state", "error", "failedStep"::text AS "failedStep", "correlationId", "result", "warnings", "conflictWithId"`;

/**
 * Locks the messages and applies the still-pending ones in one transaction, in the order given:
 * consecutive messages of a handler with applyMany go to it together. A constant number of
 * statements for the batch: the lock, the handlers' own, and one update of the messages' states.
 */
async function applyTogether(db: Db, batch: Prepared[]): Promise<Map<string, ProcessOutcome>> {
  return db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<ProcessOutcome[]>`
      SELECT ${OUTCOME_COLUMNS} FROM "platform"."InboundMessage" WHERE "id" = ANY(${batch.map((p) => p.message.id)}::text[]) ORDER BY "id" FOR UPDATE`;
    const results = new Map<string, ProcessOutcome>(locked.map((m) => [m.id, m]));
    // Another process may have got to some of them first: those keep the state it gave them.
    const todo = batch.filter((p) => pending(results.get(p.message.id)?.state ?? ""));
    const updates: { id: string; state: "PROCESSED" | "RECONCILED"; result: Prisma.InputJsonValue; warnings: IngestWarning[]; timings: StepTimings }[] = [];
    for (let i = 0; i < todo.length;) {
      const handler = todo[i].handler;
      let j = i + 1;
      while (handler.applyMany && j < todo.length && todo[j].handler === handler) j++;
      const run = todo.slice(i, j).map((p) => ({ p, warnings: new WarningList(p.warnings.items) }));
      const items = run.map(({ p, warnings }) => ({ command: p.command, context: applyContext(p, warnings) }));
      const {
        value: outcomes,
        applyMs,
        appliedWith,
      } = await timedApply(items.length, async () =>
        handler.applyMany && run.length > 1 ? await handler.applyMany(items, tx) : [await handler.apply(items[0].command, tx, items[0].context)],
      );
      run.forEach(({ p, warnings }, k) =>
        updates.push({ id: p.message.id, ...outcomes[k], warnings: warnings.items, timings: { ...p.timings, applyMs, appliedWith } }),
      );
      i = j;
    }
    if (updates.length) {
      const done = await tx.$queryRaw<ProcessOutcome[]>`
        UPDATE "platform"."InboundMessage" AS m SET "state" = v.state::"platform"."InboundState", "result" = v.result, "warnings" = v.warnings,
          "processedAt" = now(), "attempts" = m."attempts" + 1, "error" = NULL, "failedStep" = NULL, "nextAttemptAt" = NULL, "stepTimings" = v.timings
        FROM unnest(${updates.map((u) => u.id)}::text[], ${updates.map((u) => u.state)}::text[], ${updates.map((u) => JSON.stringify(u.result))}::jsonb[],
          ${updates.map((u) => JSON.stringify(u.warnings))}::jsonb[], ${updates.map((u) => JSON.stringify(u.timings))}::jsonb[]) AS v(id, state, result, warnings, timings)
        WHERE m."id" = v.id
        RETURNING ${Prisma.sql`m."id", m."state"::text AS "state", m."error", m."failedStep"::text AS "failedStep", m."correlationId", m."result", m."warnings", m."conflictWithId"`}`;
      for (const m of done) results.set(m.id, m);
    }
    return results;
  }, txOptions);
}

async function applyAlone(db: Db, p: Prepared): Promise<ProcessOutcome> {
  const attempt = await withInlineRetries(async () => (await applyTogether(db, [p])).get(p.message.id)!);
  if (attempt.ok) return attempt.value;
  if (attempt.error instanceof IngestError) return deadLetter(db, p.message, attempt.error.step, storableText(attempt.error.message), p.warnings, p.timings);
  if (attempt.failure && isTransient(attempt.failure)) return markFailed(db, p.message, attempt.failure, p.warnings);
  const attempts = p.message.attempts + 1;
  const dead = attempts >= MAX_APPLY_ATTEMPTS;
  return db.inboundMessage.update({
    where: { id: p.message.id },
    data: {
      state: dead ? "DEAD_LETTER" : "FAILED",
      attempts,
      failedStep: "APPLY",
      error: unexpected(attempt.error, p.message, "APPLY"),
      warnings: json(p.warnings.items),
      nextAttemptAt: dead ? null : new Date(Date.now() + retryDelayMs(attempts)),
    },
    omit: withoutRaw,
  });
}

/** A transient failure: stored as FAILED, retried by the sweep after a growing delay; dead-lettered only after MAX_TRANSIENT_ATTEMPTS. */
function markFailed(db: Db, message: InboundMessage, failure: DbFailure, warnings: WarningList, step: IngestStep = "APPLY", timings?: StepTimings) {
  const attempts = message.attempts + 1;
  const dead = attempts >= MAX_TRANSIENT_ATTEMPTS;
  return db.inboundMessage.update({
    where: { id: message.id },
    data: {
      state: dead ? "DEAD_LETTER" : "FAILED",
      attempts,
      failedStep: step,
      error: `${describeDbFailure(failure)}; ${dead ? `gave up after ${attempts} attempts: replay it when the database is healthy` : "the message is stored and will be retried"}`,
      warnings: json(warnings.items),
      nextAttemptAt: dead ? null : new Date(Date.now() + retryDelayMs(attempts)),
      ...(timings && { stepTimings: timings as unknown as Prisma.InputJsonValue }),
    },
    omit: withoutRaw,
  });
}

function deadLetter(db: Db, message: Pick<InboundMessage, "id">, step: IngestStep, error: string, warnings: WarningList, timings?: StepTimings) {
  return db.inboundMessage.update({
    where: { id: message.id },
    data: {
      state: "DEAD_LETTER",
      failedStep: step,
      error: error.slice(0, 4000),
      attempts: { increment: 1 },
      warnings: json(warnings.items),
      nextAttemptAt: null,
      ...(timings && { stepTimings: timings as unknown as Prisma.InputJsonValue }),
    },
    omit: withoutRaw,
  });
}

/**
 * Re-runs a dead-lettered or failed message from its stored raw bytes (after a mapping fix, say).
 * The result is the same as a first-time success: the message's own state guards against applying
 * twice. A body that could not be split is split again; its messages are stored and processed
 * like a new request's. A conflict, or an oversized body kept only in part, cannot succeed and is
 * returned unchanged.
 */
export async function replayMessage(db: Db, registry: HandlerRegistry, messageId: string): Promise<ProcessOutcome> {
  const message = await db.inboundMessage.findUnique({ where: { id: messageId }, omit: withoutRaw });
  if (!message) throw new Error(`no inbound message ${messageId}`);
  if (message.state !== "DEAD_LETTER" && message.state !== "FAILED") return message;
  if (message.failedStep === "IDEMPOTENCY" || message.failedStep === "RECEIVE") return message;
  const route = registry.get(message.source, message.kind) ? undefined : envelopeRouteOf(message.source, message.kind);
  if (route) return resplit(db, registry, message, route);
  await db.inboundMessage.updateMany({ where: { id: messageId, state: message.state }, data: { state: "RECEIVED", attempts: 0, nextAttemptAt: null } });
  return processMessage(db, registry, messageId);
}

async function resplit(
  db: Db,
  registry: HandlerRegistry,
  envelope: StoredMessage,
  route: NonNullable<ReturnType<typeof envelopeRouteOf>>,
): Promise<ProcessOutcome> {
  const { raw } = (await db.inboundMessage.findUnique({ where: { id: envelope.id }, select: { raw: true } }))!;
  let parts;
  try {
    parts = splitBody(route, Buffer.from(raw), () => undefined);
  } catch (err) {
    const e = err as IngestError;
    return db.inboundMessage.update({
      where: { id: envelope.id },
      data: { failedStep: e.step, error: storableText(e.message).slice(0, 4000), attempts: { increment: 1 } },
      omit: withoutRaw,
    });
  }
  const received = await receiveMessages(
    db,
    parts.map((m) => ({
      source: envelope.source,
      kind: m.kind,
      idempotencyKey: m.idempotencyKey,
      correlationId: envelope.correlationId,
      contentType: envelope.contentType,
      raw: m.raw,
      contentHash: m.contentHash,
      warnings: (m.warnings ?? []).map((w) => warning("RECEIVE", w)),
    })),
  );
  const processed = new Map(
    (
      await processMessages(
        db,
        registry,
        received.filter((r) => r.message.state === "RECEIVED").map((r) => r.message.id),
      )
    ).map((o) => [o.id, o]),
  );
  const splitInto = received.map((r) => {
    const m = processed.get(r.message.id) ?? r.message;
    return { messageId: m.id, idempotencyKey: r.message.idempotencyKey, state: m.state, ...(m.failedStep && { failedStep: m.failedStep, error: m.error }) };
  });
  return db.inboundMessage.update({
    where: { id: envelope.id },
    data: { state: "PROCESSED", result: { splitInto }, processedAt: new Date(), error: null, failedStep: null, attempts: { increment: 1 } },
    omit: withoutRaw,
  });
}

/**
 * Messages left RECEIVED (a crash, a restart) or FAILED (a transient apply error): processed in
 * arrival order. `settledForMs` skips RECEIVED messages younger than that, which a request may
 * still be processing (processing twice would be harmless, only wasted). `respectBackoff` skips
 * FAILED messages whose next attempt is not due yet (the periodic sweep; start-up retries all).
 */
export async function recoverPending(
  db: Db,
  registry: HandlerRegistry,
  options: { batchSize?: number; settledForMs?: number; respectBackoff?: boolean } = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 200;
  const now = new Date();
  const cutoff = new Date(now.getTime() - (options.settledForMs ?? 0));
  const failed: Prisma.InboundMessageWhereInput = options.respectBackoff
    ? { state: "FAILED", OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] }
    : { state: "FAILED" };
  let total = 0;
  let after = "";
  for (;;) {
    const batch = await db.inboundMessage.findMany({
      where: { id: { gt: after }, OR: [failed, { state: "RECEIVED", receivedAt: { lte: cutoff } }] },
      orderBy: { id: "asc" }, // ids are time-ordered: arrival order
      select: { id: true },
      take: batchSize,
    });
    if (!batch.length) return total;
    await processMessages(
      db,
      registry,
      batch.map((b) => b.id),
    );
    total += batch.length;
    after = batch.at(-1)!.id;
  }
}

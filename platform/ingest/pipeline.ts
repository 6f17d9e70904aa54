// Runs stored messages through parse -> validate -> map -> apply. Apply, the events it appends and
// the message's new state commit together, so a crash leaves a message RECEIVED (re-run on
// recovery) or PROCESSED, never half-applied. Bad input is dead-lettered at once; an apply
// failure is FAILED and retried until MAX_APPLY_ATTEMPTS, then dead-lettered.
//
// A batch (one request's messages, or a recovery sweep) is applied in one transaction, in
// arrival order; if that transaction fails, each message is applied on its own, so one bad
// message cannot block or roll back the others.
import { Prisma, type InboundMessage, type IngestStep } from "../db/generated/client.js";
import type { Db } from "../db/client.js";
import { lockOutbox, type Tx } from "../events/event-log.js";
import { IngestError } from "./errors.js";
import type { HandlerRegistry, IngestHandler } from "./handlers.js";

export const MAX_APPLY_ATTEMPTS = 3;

export type ProcessOutcome = Pick<InboundMessage, "id" | "state" | "error" | "failedStep" | "correlationId" | "result">;

interface Prepared {
  message: InboundMessage;
  handler: IngestHandler;
  command: unknown;
}

const pending = (state: string) => state === "RECEIVED" || state === "FAILED";

export async function processMessage(db: Db, registry: HandlerRegistry, messageId: string): Promise<ProcessOutcome> {
  const [outcome] = await processMessages(db, registry, [messageId]);
  if (!outcome) throw new Error(`no inbound message ${messageId}`);
  return outcome;
}

/** Processes the given messages in the order given; returns their outcomes in that order. */
export async function processMessages(db: Db, registry: HandlerRegistry, ids: string[]): Promise<ProcessOutcome[]> {
  const loaded = await db.inboundMessage.findMany({ where: { id: { in: ids } } });
  const byId = new Map(loaded.map((m) => [m.id, m]));
  const outcomes = new Map<string, ProcessOutcome>();
  const ready: Prepared[] = [];
  // Mapping lookups (items, locations) are shared by the batch's messages, not across batches,
  // so a mapping fix is seen by the next request.
  const mappingScope = {};
  for (const id of ids) {
    const message = byId.get(id);
    if (!message) continue;
    if (!pending(message.state)) {
      outcomes.set(id, message);
      continue;
    }
    const prepared = await prepare(db, registry, message, mappingScope);
    if ("failedStep" in prepared) outcomes.set(id, await deadLetter(db, message, prepared.failedStep, prepared.error));
    else ready.push(prepared);
  }
  if (ready.length) {
    const applied = ready.length > 1 ? await applyTogether(db, ready).catch(() => null) : null;
    for (const p of ready) outcomes.set(p.message.id, applied?.get(p.message.id) ?? (await applyAlone(db, p)));
  }
  return ids.flatMap((id) => (outcomes.has(id) ? [outcomes.get(id)!] : []));
}

async function prepare(db: Db, registry: HandlerRegistry, message: InboundMessage, mappingScope: object): Promise<Prepared | { failedStep: IngestStep; error: string }> {
  const handler = registry.get(message.source, message.kind);
  if (!handler) {
    const accepted = registry.kindsOf(message.source);
    return { failedStep: "VALIDATE", error: `${message.source} "${message.kind}" is not supported${accepted.length ? ` (accepted: ${accepted.join(", ")})` : ""}` };
  }
  let step: IngestStep = "PARSE";
  try {
    const parsed = handler.parse(Buffer.from(message.raw));
    step = "VALIDATE";
    const valid = handler.validate(parsed);
    step = "MAP";
    return { message, handler, command: await handler.map(valid, db, mappingScope) };
  } catch (err) {
    return { failedStep: err instanceof IngestError ? err.step : step, error: errorText(err) };
  }
}

const txOptions = { timeout: 60_000, maxWait: 30_000 };

/** Locks the messages and applies the still-pending ones in one transaction. */
async function applyTogether(db: Db, batch: Prepared[]): Promise<Map<string, ProcessOutcome>> {
  return db.$transaction(async (tx) => {
    await lockOutbox(tx); // before any row lock: see lockOutbox
    const locked = await tx.$queryRaw<{ id: string; state: string }[]>`
      SELECT "id", "state"::text AS "state" FROM "platform"."InboundMessage" WHERE "id" = ANY(${batch.map((p) => p.message.id)}) ORDER BY "id" FOR UPDATE`;
    const stillPending = new Set(locked.filter((r) => pending(r.state)).map((r) => r.id));
    const results = new Map<string, ProcessOutcome>();
    const updates: { id: string; state: "PROCESSED" | "RECONCILED"; result: Prisma.InputJsonValue }[] = [];
    for (const p of batch) {
      if (!stillPending.has(p.message.id)) continue; // another process got to it first
      const outcome = await p.handler.apply(p.command, tx, { messageId: p.message.id, correlationId: p.message.correlationId, source: p.message.source });
      updates.push({ id: p.message.id, ...outcome });
    }
    if (updates.length) {
      const rows = updates.map((u) => Prisma.sql`(${u.id}, ${u.state}, ${JSON.stringify(u.result)}::jsonb)`);
      await tx.$executeRaw`
        UPDATE "platform"."InboundMessage" AS m SET "state" = v.state::"platform"."InboundState", "result" = v.result,
          "processedAt" = now(), "attempts" = m."attempts" + 1, "error" = NULL, "failedStep" = NULL
        FROM (VALUES ${Prisma.join(rows)}) AS v(id, state, result) WHERE m."id" = v.id`;
    }
    const fresh = await tx.inboundMessage.findMany({ where: { id: { in: batch.map((p) => p.message.id) } } });
    for (const m of fresh) results.set(m.id, m);
    return results;
  }, txOptions);
}

async function applyAlone(db: Db, p: Prepared): Promise<ProcessOutcome> {
  try {
    return await db.$transaction(async (tx: Tx) => {
      await lockOutbox(tx);
      const [row] = await tx.$queryRaw<{ state: string }[]>`
        SELECT "state"::text AS "state" FROM "platform"."InboundMessage" WHERE "id" = ${p.message.id} FOR UPDATE`;
      if (!pending(row.state)) return (await tx.inboundMessage.findUnique({ where: { id: p.message.id } }))!;
      const outcome = await p.handler.apply(p.command, tx, { messageId: p.message.id, correlationId: p.message.correlationId, source: p.message.source });
      return tx.inboundMessage.update({
        where: { id: p.message.id },
        data: { state: outcome.state, result: outcome.result, processedAt: new Date(), attempts: { increment: 1 }, error: null, failedStep: null },
      });
    }, txOptions);
  } catch (err) {
    const attempts = p.message.attempts + 1;
    return db.inboundMessage.update({
      where: { id: p.message.id },
      data: { state: attempts >= MAX_APPLY_ATTEMPTS ? "DEAD_LETTER" : "FAILED", attempts, failedStep: "APPLY", error: errorText(err) },
    });
  }
}

function deadLetter(db: Db, message: InboundMessage, step: IngestStep, error: string) {
  return db.inboundMessage.update({
    where: { id: message.id },
    data: { state: "DEAD_LETTER", failedStep: step, error, attempts: { increment: 1 } },
  });
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 4000);

/**
 * Re-runs a dead-lettered or failed message from its stored raw bytes (after a mapping fix, say).
 * The result is the same as a first-time success: the message's own state guards against applying twice.
 */
export async function replayMessage(db: Db, registry: HandlerRegistry, messageId: string): Promise<ProcessOutcome> {
  const message = await db.inboundMessage.findUnique({ where: { id: messageId } });
  if (!message) throw new Error(`no inbound message ${messageId}`);
  if (message.state !== "DEAD_LETTER" && message.state !== "FAILED") return message;
  await db.inboundMessage.updateMany({ where: { id: messageId, state: message.state }, data: { state: "RECEIVED", attempts: 0 } });
  return processMessage(db, registry, messageId);
}

/**
 * Messages left RECEIVED (a crash, a restart) or FAILED (a transient apply error): processed in
 * arrival order. `settledForMs` skips RECEIVED messages younger than that, which a request may
 * still be processing (processing twice would be harmless, only wasted).
 */
export async function recoverPending(db: Db, registry: HandlerRegistry, options: { batchSize?: number; settledForMs?: number } = {}): Promise<number> {
  const batchSize = options.batchSize ?? 200;
  const cutoff = new Date(Date.now() - (options.settledForMs ?? 0));
  let total = 0;
  let after = "";
  for (;;) {
    const batch = await db.inboundMessage.findMany({
      where: { id: { gt: after }, OR: [{ state: "FAILED" }, { state: "RECEIVED", receivedAt: { lte: cutoff } }] },
      orderBy: { id: "asc" }, // ids are time-ordered: arrival order
      select: { id: true },
      take: batchSize,
    });
    if (!batch.length) return total;
    await processMessages(db, registry, batch.map((b) => b.id));
    total += batch.length;
    after = batch.at(-1)!.id;
  }
}

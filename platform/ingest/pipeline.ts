// Runs stored messages through parse -> validate -> map -> apply. Apply, the events it appends and
// the message's new state commit together, so a crash leaves the message RECEIVED (re-run on
// recovery) or PROCESSED, never half-applied. Bad input is dead-lettered at once; an apply
// failure is FAILED and retried until MAX_APPLY_ATTEMPTS, then dead-lettered.
import type { Db } from "../db/client.js";
import type { InboundMessage, IngestStep } from "../db/generated/client.js";
import { IngestError } from "./errors.js";
import type { HandlerRegistry } from "./handlers.js";

export const MAX_APPLY_ATTEMPTS = 3;

export type ProcessOutcome = Pick<InboundMessage, "id" | "state" | "error" | "failedStep" | "correlationId" | "result">;

export async function processMessage(db: Db, registry: HandlerRegistry, messageId: string): Promise<ProcessOutcome> {
  const message = await db.inboundMessage.findUnique({ where: { id: messageId } });
  if (!message) throw new Error(`no inbound message ${messageId}`);
  if (message.state !== "RECEIVED" && message.state !== "FAILED") return message;

  const handler = registry.get(message.source, message.kind);
  if (!handler) {
    const accepted = registry.kindsOf(message.source);
    return deadLetter(db, message, "VALIDATE", `${message.source} "${message.kind}" is not supported${accepted.length ? ` (accepted: ${accepted.join(", ")})` : ""}`);
  }

  let command: unknown;
  let step: IngestStep = "PARSE";
  try {
    const parsed = handler.parse(Buffer.from(message.raw));
    step = "VALIDATE";
    const valid = handler.validate(parsed);
    step = "MAP";
    command = await handler.map(valid, db);
  } catch (err) {
    const failedStep = err instanceof IngestError ? err.step : step;
    return deadLetter(db, message, failedStep, errorText(err));
  }

  try {
    return await db.$transaction(
      async (tx) => {
        // Lock the message: of two processes racing on it (recovery and a replay), one applies.
        const [row] = await tx.$queryRaw<{ state: string }[]>`
          SELECT "state"::text AS "state" FROM "platform"."InboundMessage" WHERE "id" = ${message.id} FOR UPDATE`;
        if (row.state !== "RECEIVED" && row.state !== "FAILED") return (await tx.inboundMessage.findUnique({ where: { id: message.id } }))!;
        const outcome = await handler.apply(command, tx, { messageId: message.id, correlationId: message.correlationId, source: message.source });
        return tx.inboundMessage.update({
          where: { id: message.id },
          data: { state: outcome.state, result: outcome.result, processedAt: new Date(), attempts: { increment: 1 }, error: null, failedStep: null },
        });
      },
      { timeout: 30_000, maxWait: 30_000 },
    );
  } catch (err) {
    const attempts = message.attempts + 1;
    const state = attempts >= MAX_APPLY_ATTEMPTS ? "DEAD_LETTER" : "FAILED";
    return db.inboundMessage.update({
      where: { id: message.id },
      data: { state, attempts, failedStep: "APPLY", error: errorText(err) },
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

/** Messages left RECEIVED or FAILED (a crash, a restart): processed in arrival order. */
export async function recoverPending(db: Db, registry: HandlerRegistry, batchSize = 500): Promise<number> {
  let total = 0;
  for (;;) {
    const pending = await db.inboundMessage.findMany({
      where: { state: { in: ["RECEIVED", "FAILED"] } },
      orderBy: { id: "asc" }, // ids are time-ordered: arrival order
      select: { id: true },
      take: batchSize,
    });
    if (!pending.length) return total;
    let progressed = 0;
    for (const { id } of pending) {
      const out = await processMessage(db, registry, id);
      if (out.state !== "FAILED") progressed++;
    }
    total += pending.length;
    if (!progressed) return total; // only failing messages remain; leave them for the next sweep
  }
}

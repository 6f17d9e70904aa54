// Inbound messages are stored before anything else happens to them, raw bytes included. The
// first message with a (source, idempotency key) is the original. A repeat with the same content
// is recorded as a DUPLICATE pointing at it and never applied; a repeat with other content is a
// conflict: recorded as a dead letter naming both messages, never applied, never silently
// acknowledged. A constant number of statements per batch of up to 1,000 messages.
import { timeOrderedId } from "../ids.js";
import { Prisma, type InboundMessage } from "../db/generated/client.js";
import type { Db } from "../db/client.js";
import { storableText } from "./errors.js";
import { sha256 } from "./json-body.js";
import type { IngestWarning } from "./warnings.js";

export interface IncomingMessage {
  source: string;
  kind: string;
  idempotencyKey: string;
  correlationId: string;
  contentType: string | null;
  raw: Buffer;
  /** See InboundMessage.contentHash; null compares as "same content" (messages stored before hashes). */
  contentHash?: string | null;
  /** Found before the message was stored (the envelope's, when a body is split). */
  warnings?: IngestWarning[];
}

/** An inbound message without its raw body: what lists and states need (bodies are read in pages). */
export type StoredMessage = Omit<InboundMessage, "raw">;

/** Prisma `omit` that leaves the raw body in the database. */
export const withoutRaw = { raw: true } as const;

/** Every column but the raw body, as Prisma returns them (enums as their names). */
const STORED_COLUMNS = Prisma.sql`"id", "source", "kind", "idempotencyKey", "dedupeKey", "duplicateOfId", "conflictWithId", "contentHash", "correlationId",
  "state"::text AS "state", "contentType", "sizeBytes", "rawPurgedAt", "receivedAt", "processedAt", "attempts", "nextAttemptAt", "failedStep"::text AS "failedStep",
  "error", "warnings", "result"`;

export interface ReceivedMessage {
  message: StoredMessage;
  /** Set on DUPLICATE and conflict records: the original they repeat. */
  original: StoredMessage | null;
}

// Source names contain no ":", so the first ":" separates source from key unambiguously.
export const dedupeKeyOf = (m: Pick<IncomingMessage, "source" | "idempotencyKey">) => `${m.source}:${m.idempotencyKey}`;

const sameContent = (a: string | null | undefined, b: string | null | undefined) => !a || !b || a === b;

export function conflictError(key: string, original: Pick<InboundMessage, "id" | "receivedAt">, id: string): string {
  return storableText(
    `conflict: idempotency key "${key}" was first used by message ${original.id} (received ${original.receivedAt.toISOString()}) with different content; ` +
      `this message ${id} was not applied. Send changed content under a new key.`,
  );
}

export const MAX_KEY_LENGTH = 500;
/** Rows per INSERT: 1,000 rows of 12 columns stay far below PostgreSQL's 65,535 parameters. */
const ROWS_PER_STATEMENT = 1000;

const chunks = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * A key as stored. Text columns cannot hold NUL, so control characters become visible escapes;
 * a key longer than MAX_KEY_LENGTH (beyond what a unique index row can hold) is replaced by its
 * hash, which keeps distinct keys distinct.
 */
export function storableKey(key: string): string {
  const text = storableText(key);
  return text.length > MAX_KEY_LENGTH ? `sha256-of-long-key:${sha256(text)}` : text;
}

export async function receiveMessages(db: Db, incoming: IncomingMessage[]): Promise<ReceivedMessage[]> {
  if (!incoming.length) return [];
  const messages = incoming.map((m) => ({ ...m, idempotencyKey: storableKey(m.idempotencyKey) }));
  const ids = messages.map(() => timeOrderedId());
  const values = messages.map(
    (m, i) =>
      Prisma.sql`(${ids[i]}, ${m.source}, ${m.kind}, ${m.idempotencyKey}, ${dedupeKeyOf(m)}, ${m.correlationId}, 'RECEIVED'::"platform"."InboundState",
        ${m.contentType}, ${m.raw}, ${m.raw.length}, ${m.contentHash ?? null}, ${JSON.stringify(m.warnings ?? [])}::jsonb)`,
  );
  const stored = new Map<string, StoredMessage>();
  // In chunks: one statement may carry at most 65,535 parameters. The rows come back without
  // their bodies, in the same statement: nothing is read back afterwards.
  for (const chunk of chunks(values, ROWS_PER_STATEMENT)) {
    const rows = await db.$queryRaw<StoredMessage[]>`
      INSERT INTO "platform"."InboundMessage" ("id", "source", "kind", "idempotencyKey", "dedupeKey", "correlationId", "state", "contentType", "raw", "sizeBytes", "contentHash", "warnings")
      VALUES ${Prisma.join(chunk)}
      ON CONFLICT ("dedupeKey") DO NOTHING
      RETURNING ${STORED_COLUMNS}`;
    for (const row of rows) stored.set(row.id, row);
  }
  const insertedIds = new Set(stored.keys());
  const repeats = messages.map((m, i) => ({ m, i })).filter(({ i }) => !insertedIds.has(ids[i]));
  const originals = repeats.length
    ? await db.inboundMessage.findMany({ where: { dedupeKey: { in: [...new Set(repeats.map(({ m }) => dedupeKeyOf(m)))] } }, omit: withoutRaw })
    : [];
  const originalByKey = new Map(originals.map((o) => [o.dedupeKey!, o]));
  if (repeats.length) {
    const now = new Date();
    const rows = repeats.map(({ m, i }) => {
      const original = originalByKey.get(dedupeKeyOf(m)) ?? null;
      const conflict = original && !sameContent(original.contentHash, m.contentHash);
      return Prisma.sql`(${ids[i]}, ${m.source}, ${m.kind}, ${m.idempotencyKey}, ${m.correlationId}, ${m.contentType}, ${m.contentHash ?? null}, ${m.raw}, ${m.raw.length},
        ${JSON.stringify(m.warnings ?? [])}::jsonb, ${conflict ? null : (original?.id ?? null)}, ${conflict ? original.id : null},
        ${conflict ? "DEAD_LETTER" : "DUPLICATE"}::"platform"."InboundState", ${conflict ? "IDEMPOTENCY" : null}::"platform"."IngestStep",
        ${conflict ? 1 : 0}, ${conflict ? conflictError(m.idempotencyKey, original, ids[i]) : null}, ${conflict ? null : now})`;
    });
    // Raw INSERTs, as above: several times faster than createMany for thousands of repeats.
    for (const chunk of chunks(rows, ROWS_PER_STATEMENT)) {
      const inserted = await db.$queryRaw<StoredMessage[]>`
        INSERT INTO "platform"."InboundMessage" ("id", "source", "kind", "idempotencyKey", "correlationId", "contentType", "contentHash", "raw", "sizeBytes",
          "warnings", "duplicateOfId", "conflictWithId", "state", "failedStep", "attempts", "error", "processedAt")
        VALUES ${Prisma.join(chunk)}
        RETURNING ${STORED_COLUMNS}`;
      for (const row of inserted) stored.set(row.id, row);
    }
  }
  return ids.map((id, i) => {
    const message = stored.get(id)!;
    return { message, original: insertedIds.has(id) ? null : (originalByKey.get(dedupeKeyOf(messages[i])) ?? null) };
  });
}

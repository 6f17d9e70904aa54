// Inbound messages are stored before anything else happens to them, raw bytes included. The
// first message with a (source, idempotency key) is the original. A repeat with the same content
// is recorded as a DUPLICATE pointing at it and never applied; a repeat with other content is a
// conflict: recorded as a dead letter naming both messages, never applied, never silently
// acknowledged. A constant number of statements per batch, whatever its size.
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
  const inserted = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO "platform"."InboundMessage" ("id", "source", "kind", "idempotencyKey", "dedupeKey", "correlationId", "state", "contentType", "raw", "sizeBytes", "contentHash", "warnings")
    VALUES ${Prisma.join(values)}
    ON CONFLICT ("dedupeKey") DO NOTHING
    RETURNING "id"`;
  const insertedIds = new Set(inserted.map((r) => r.id));
  const repeats = messages.map((m, i) => ({ m, i })).filter(({ i }) => !insertedIds.has(ids[i]));
  const originals = repeats.length
    ? await db.inboundMessage.findMany({ where: { dedupeKey: { in: [...new Set(repeats.map(({ m }) => dedupeKeyOf(m)))] } }, omit: withoutRaw })
    : [];
  const originalByKey = new Map(originals.map((o) => [o.dedupeKey!, o]));
  if (repeats.length) {
    const now = new Date();
    await db.inboundMessage.createMany({
      data: repeats.map(({ m, i }) => {
        const original = originalByKey.get(dedupeKeyOf(m)) ?? null;
        const common = {
          id: ids[i],
          source: m.source,
          kind: m.kind,
          idempotencyKey: m.idempotencyKey,
          dedupeKey: null,
          correlationId: m.correlationId,
          contentType: m.contentType,
          contentHash: m.contentHash ?? null,
          raw: new Uint8Array(m.raw),
          sizeBytes: m.raw.length,
          warnings: (m.warnings ?? []) as unknown as Prisma.InputJsonValue,
        };
        if (original && !sameContent(original.contentHash, m.contentHash)) {
          return { ...common, conflictWithId: original.id, state: "DEAD_LETTER" as const, failedStep: "IDEMPOTENCY" as const, attempts: 1, error: conflictError(m.idempotencyKey, original, ids[i]) };
        }
        return { ...common, duplicateOfId: original?.id ?? null, state: "DUPLICATE" as const, processedAt: now };
      }),
    });
  }
  const stored = await db.inboundMessage.findMany({ where: { id: { in: ids } }, omit: withoutRaw });
  const byId = new Map(stored.map((s) => [s.id, s]));
  return ids.map((id, i) => {
    const message = byId.get(id)!;
    return { message, original: insertedIds.has(id) ? null : originalByKey.get(dedupeKeyOf(messages[i])) ?? null };
  });
}

// Inbound messages are stored before anything else happens to them, raw bytes included. The
// first message with a (source, idempotency key) is the original; every repeat is recorded as a
// DUPLICATE pointing at it and is never applied. A constant number of statements per batch, whatever its size.
import { timeOrderedId } from "../ids.js";
import { Prisma, type InboundMessage } from "../db/generated/client.js";
import type { Db } from "../db/client.js";

export interface IncomingMessage {
  source: string;
  kind: string;
  idempotencyKey: string;
  correlationId: string;
  contentType: string | null;
  raw: Buffer;
}

export interface ReceivedMessage {
  message: InboundMessage;
  /** Set on DUPLICATE records: the original they repeat. */
  original: InboundMessage | null;
}

// Source names contain no ":", so the first ":" separates source from key unambiguously.
export const dedupeKeyOf = (m: Pick<IncomingMessage, "source" | "idempotencyKey">) => `${m.source}:${m.idempotencyKey}`;

export async function receiveMessages(db: Db, incoming: IncomingMessage[]): Promise<ReceivedMessage[]> {
  if (!incoming.length) return [];
  const ids = incoming.map(() => timeOrderedId());
  const values = incoming.map(
    (m, i) =>
      Prisma.sql`(${ids[i]}, ${m.source}, ${m.kind}, ${m.idempotencyKey}, ${dedupeKeyOf(m)}, ${m.correlationId}, 'RECEIVED'::"platform"."InboundState", ${m.contentType}, ${m.raw})`,
  );
  const inserted = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO "platform"."InboundMessage" ("id", "source", "kind", "idempotencyKey", "dedupeKey", "correlationId", "state", "contentType", "raw")
    VALUES ${Prisma.join(values)}
    ON CONFLICT ("dedupeKey") DO NOTHING
    RETURNING "id"`;
  const insertedIds = new Set(inserted.map((r) => r.id));
  const repeats = incoming.map((m, i) => ({ m, i })).filter(({ i }) => !insertedIds.has(ids[i]));
  const originals = repeats.length
    ? await db.inboundMessage.findMany({ where: { dedupeKey: { in: [...new Set(repeats.map(({ m }) => dedupeKeyOf(m)))] } } })
    : [];
  const originalByKey = new Map(originals.map((o) => [o.dedupeKey!, o]));
  if (repeats.length) {
    await db.inboundMessage.createMany({
      data: repeats.map(({ m, i }) => ({
        id: ids[i],
        source: m.source,
        kind: m.kind,
        idempotencyKey: m.idempotencyKey,
        dedupeKey: null,
        duplicateOfId: originalByKey.get(dedupeKeyOf(m))?.id ?? null,
        correlationId: m.correlationId,
        state: "DUPLICATE",
        contentType: m.contentType,
        raw: new Uint8Array(m.raw),
        processedAt: new Date(),
      })),
    });
  }
  const stored = await db.inboundMessage.findMany({ where: { id: { in: ids } } });
  const byId = new Map(stored.map((s) => [s.id, s]));
  return ids.map((id, i) => {
    const message = byId.get(id)!;
    return { message, original: insertedIds.has(id) ? null : originalByKey.get(dedupeKeyOf(incoming[i])) ?? null };
  });
}

// Operations' own exceptions: dead-lettered inbound messages and idempotency conflicts
// (platform.InboundMessage) and events a consumer parked (platform.ParkedEvent); and the queue
// that merges them with what the other domains contribute (erp-finance's failed postings,
// shipments' failed deliveries), each read by its owner through its own API.
import { Prisma } from "../../platform/db/generated/client.js";
import type { Db } from "../../platform/db/client.js";
import {
  assertOpen,
  exceptionConditions,
  exceptionId,
  exceptionNotFound,
  mergeExceptionPages,
  parseExceptionId,
  resolutionNote,
  wanted,
  type ExceptionKind,
  type ExceptionPage,
  type ExceptionQuery,
  type ExceptionRecord,
  type ExceptionContributor,
  type ExceptionState,
} from "../../platform/exceptions/queue.js";
import { replayMessage } from "../../platform/ingest/pipeline.js";
import { retryParkedEvent, type ConsumerDefinition } from "../../platform/events/consumer.js";
import type { HandlerRegistry } from "../../platform/ingest/handlers.js";
import { DomainError, ErrorCode, invalidArgument } from "../../platform/errors.js";
import { parseSequence } from "./service.js";

/** Raw bytes shown in rawPayload, at most (the whole body pages through inboundMessage.raw). */
export const RAW_PAYLOAD_LIMIT = 64 * 1024;

interface InboundRow {
  id: string;
  source: string;
  failedStep: string | null;
  reason: string | null;
  correlationId: string;
  state: ExceptionState;
  raisedAt: Date;
  resolvedAt: Date | null;
  resolutionNote: string | null;
}

interface ParkedRow {
  consumer: string;
  sequence: bigint;
  error: string;
  state: ExceptionState;
  raisedAt: Date;
  resolvedAt: Date | null;
  resolutionNote: string | null;
  correlationId: string | null;
  type: string | null;
}

const inboundKind = (failedStep: string | null): ExceptionKind => (failedStep === "IDEMPOTENCY" ? "CONFLICT" : "DEAD_LETTER");

const inboundRecord = (r: InboundRow): ExceptionRecord => ({
  id: exceptionId(inboundKind(r.failedStep), r.id),
  domain: "operations",
  source: r.source,
  kind: inboundKind(r.failedStep),
  state: r.state,
  reason: r.reason ?? "dead-lettered",
  correlationId: r.correlationId,
  raisedAt: r.raisedAt,
  resolvedAt: r.resolvedAt,
  resolutionNote: r.resolutionNote,
});

const parkedRecord = (r: ParkedRow): ExceptionRecord => ({
  id: exceptionId("PARKED_EVENT", `${r.consumer}:${r.sequence}`),
  domain: "operations",
  source: r.consumer,
  kind: "PARKED_EVENT",
  state: r.state,
  reason: r.type ? `${r.type} (event ${r.sequence}): ${r.error}` : r.error,
  correlationId: r.correlationId,
  raisedAt: r.raisedAt,
  resolvedAt: r.resolvedAt,
  resolutionNote: r.resolutionNote,
});

const and = (parts: Prisma.Sql[]) => (parts.length ? Prisma.join(parts, " AND ") : Prisma.sql`true`);

const INBOUND_COLUMNS = Prisma.sql`m."id", m."source", m."failedStep"::text AS "failedStep", COALESCE(m."exceptionReason", m."error") AS "reason", m."correlationId",
  m."exceptionState"::text AS "state", m."exceptionRaisedAt" AS "raisedAt", m."resolvedAt", m."resolutionNote"`;

async function listInbound(db: Db, q: ExceptionQuery, kind: "DEAD_LETTER" | "CONFLICT"): Promise<ExceptionPage> {
  const prefix = `${kind}:`;
  const where = and([
    Prisma.sql`m."exceptionState" IS NOT NULL`,
    kind === "CONFLICT" ? Prisma.sql`m."failedStep" = 'IDEMPOTENCY'` : Prisma.sql`m."failedStep" IS DISTINCT FROM 'IDEMPOTENCY'`,
    ...exceptionConditions(q, {
      raisedAt: Prisma.sql`m."exceptionRaisedAt"`,
      state: Prisma.sql`m."exceptionState"`,
      source: Prisma.sql`m."source"`,
      idSql: Prisma.sql`${prefix} || m."id"`,
    }),
  ]);
  // The cursor's condition is not part of the count: totalCount counts the whole filtered queue.
  const countWhere = and([
    Prisma.sql`m."exceptionState" IS NOT NULL`,
    kind === "CONFLICT" ? Prisma.sql`m."failedStep" = 'IDEMPOTENCY'` : Prisma.sql`m."failedStep" IS DISTINCT FROM 'IDEMPOTENCY'`,
    ...exceptionConditions(
      { ...q, after: null },
      { raisedAt: Prisma.sql`m."exceptionRaisedAt"`, state: Prisma.sql`m."exceptionState"`, source: Prisma.sql`m."source"`, idSql: Prisma.sql`m."id"` },
    ),
  ]);
  const [rows, [{ n }]] = await Promise.all([
    db.$queryRaw<InboundRow[]>`SELECT ${INBOUND_COLUMNS} FROM "platform"."InboundMessage" m WHERE ${where}
      ORDER BY m."exceptionRaisedAt" DESC, m."id" COLLATE "C" DESC LIMIT ${q.limit}`,
    db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "platform"."InboundMessage" m WHERE ${countWhere}`,
  ]);
  return { rows: rows.map(inboundRecord), total: n };
}

const PARKED_ID = Prisma.sql`'PARKED_EVENT:' || p."consumer" || ':' || p."sequence"::text`;
const PARKED_COLUMNS = Prisma.sql`p."consumer", p."sequence", p."error", p."exceptionState"::text AS "state", p."parkedAt" AS "raisedAt", p."resolvedAt", p."resolutionNote",
  e."correlationId", e."type"`;

async function listParked(db: Db, q: ExceptionQuery): Promise<ExceptionPage> {
  const cols = { raisedAt: Prisma.sql`p."parkedAt"`, state: Prisma.sql`p."exceptionState"`, source: Prisma.sql`p."consumer"`, idSql: PARKED_ID };
  const [rows, [{ n }]] = await Promise.all([
    db.$queryRaw<ParkedRow[]>`SELECT ${PARKED_COLUMNS} FROM "platform"."ParkedEvent" p LEFT JOIN "platform"."EventLog" e ON e."sequence" = p."sequence"
      WHERE ${and(exceptionConditions(q, cols))} ORDER BY p."parkedAt" DESC, (${PARKED_ID}) COLLATE "C" DESC LIMIT ${q.limit}`,
    db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "platform"."ParkedEvent" p WHERE ${and(exceptionConditions({ ...q, after: null }, cols))}`,
  ]);
  return { rows: rows.map(parkedRecord), total: n };
}

function parkedKey(ownerId: string, id: string) {
  const at = ownerId.lastIndexOf(":");
  if (at <= 0) throw invalidArgument("id", `must be PARKED_EVENT:<consumer>:<sequence>, got ${JSON.stringify(id)}`);
  return { consumer: ownerId.slice(0, at), sequence: parseSequence(ownerId.slice(at + 1), "id") };
}

export interface OperationsExceptionDeps {
  db: Db;
  handlers: HandlerRegistry;
  consumerByName: (name: string) => ConsumerDefinition | undefined;
}

/** Dead letters, conflicts and parked events, over operations' (the platform's) own tables. */
export function operationsExceptions({ db, handlers, consumerByName }: OperationsExceptionDeps): ExceptionContributor {
  async function get(id: string): Promise<ExceptionRecord | null> {
    const { kind, ownerId } = parseExceptionId(id);
    if (kind === "DEAD_LETTER" || kind === "CONFLICT") {
      const [row] = await db.$queryRaw<
        InboundRow[]
      >`SELECT ${INBOUND_COLUMNS} FROM "platform"."InboundMessage" m WHERE m."id" = ${ownerId} AND m."exceptionState" IS NOT NULL`;
      return row && inboundKind(row.failedStep) === kind ? inboundRecord(row) : null;
    }
    if (kind === "PARKED_EVENT") {
      const { consumer, sequence } = parkedKey(ownerId, id);
      const [row] = await db.$queryRaw<
        ParkedRow[]
      >`SELECT ${PARKED_COLUMNS} FROM "platform"."ParkedEvent" p LEFT JOIN "platform"."EventLog" e ON e."sequence" = p."sequence"
        WHERE p."consumer" = ${consumer} AND p."sequence" = ${sequence}`;
      return row ? parkedRecord(row) : null;
    }
    return null;
  }
  async function existing(id: string) {
    const record = await get(id);
    if (!record) throw exceptionNotFound(id);
    return record;
  }
  return {
    domain: "operations",
    kinds: ["DEAD_LETTER", "CONFLICT", "PARKED_EVENT"],
    async list(q) {
      const pages = await Promise.all([
        wanted(q, "DEAD_LETTER") ? listInbound(db, q, "DEAD_LETTER") : null,
        wanted(q, "CONFLICT") ? listInbound(db, q, "CONFLICT") : null,
        wanted(q, "PARKED_EVENT") ? listParked(db, q) : null,
      ]);
      const present = pages.filter((p): p is ExceptionPage => p !== null);
      return { rows: present.flatMap((p) => p.rows), total: present.reduce((n, p) => n + p.total, 0) };
    },
    get,
    async retry(id) {
      const record = await existing(id);
      assertOpen(record, "retried");
      const { ownerId } = parseExceptionId(id);
      if (record.kind === "CONFLICT") {
        throw new DomainError(
          ErrorCode.INVALID_STATUS_TRANSITION,
          `exception ${id} is an idempotency conflict: the key was used by other content, so it can never be applied as it is; resolve or discard it`,
          { argument: "id" },
        );
      }
      if (record.kind === "DEAD_LETTER") {
        const message = (await db.inboundMessage.findUnique({ where: { id: ownerId }, select: { failedStep: true } }))!;
        if (message.failedStep === "RECEIVE") {
          throw new DomainError(
            ErrorCode.INVALID_STATUS_TRANSITION,
            `exception ${id} failed on receipt (the body was kept only in part), so it cannot be replayed; resolve or discard it`,
            { argument: "id" },
          );
        }
        await replayMessage(db, handlers, ownerId);
      } else {
        const { consumer, sequence } = parkedKey(ownerId, id);
        const definition = consumerByName(consumer);
        if (!definition) throw invalidArgument("id", `names a consumer this deployment does not run: ${JSON.stringify(consumer)}`);
        await retryParkedEvent(db, definition, sequence);
      }
      return existing(id);
    },
    async settle(id, state, note) {
      const text = resolutionNote(note);
      const record = await existing(id);
      assertOpen(record, state === "RESOLVED" ? "resolved" : "discarded");
      const { ownerId } = parseExceptionId(id);
      // Conditional on OPEN: a concurrent retry or settle that got there first wins, and this one reports it.
      const changed =
        record.kind === "PARKED_EVENT"
          ? await db.parkedEvent.updateMany({
              where: { ...parkedKey(ownerId, id), exceptionState: "OPEN" },
              data: { exceptionState: state, resolvedAt: new Date(), resolutionNote: text },
            })
          : await db.inboundMessage.updateMany({
              where: { id: ownerId, exceptionState: "OPEN" },
              data: { exceptionState: state, resolvedAt: new Date(), resolutionNote: text },
            });
      const after = await existing(id);
      if (!changed.count) assertOpen(after, state === "RESOLVED" ? "resolved" : "discarded");
      return after;
    },
  };
}

/** The raw payload of an operations exception, read when selected. */
export async function operationsRawPayload(db: Db, record: ExceptionRecord): Promise<string | null> {
  const { kind, ownerId } = parseExceptionId(record.id);
  if (kind === "DEAD_LETTER" || kind === "CONFLICT") {
    const [row] = await db.$queryRaw<{ raw: Uint8Array | null; purged: boolean }[]>`
      SELECT substring(m."raw" FROM 1 FOR ${RAW_PAYLOAD_LIMIT}) AS "raw", m."rawPurgedAt" IS NOT NULL AS "purged" FROM "platform"."InboundMessage" m WHERE m."id" = ${ownerId}`;
    return row && !row.purged && row.raw ? Buffer.from(row.raw).toString("utf8") : null;
  }
  if (kind === "PARKED_EVENT") {
    const { sequence } = parkedKey(ownerId, record.id);
    const event = await db.eventLog.findUnique({ where: { sequence }, select: { payload: true } });
    return event ? JSON.stringify(event.payload) : null;
  }
  return null;
}

/** Which contributors a filter's domain and kind lists leave in. */
export function contributorsFor(
  all: readonly ExceptionContributor[],
  domains: readonly string[] | null | undefined,
  kinds: readonly ExceptionKind[] | null,
): ExceptionContributor[] {
  return all.filter((c) => (!domains?.length || domains.includes(c.domain)) && (!kinds || c.kinds.some((k) => kinds.includes(k))));
}

/** The contributor that owns an exception id (by its kind). */
export function ownerOf(all: readonly ExceptionContributor[], id: string): ExceptionContributor {
  const { kind } = parseExceptionId(id);
  const owner = all.find((c) => c.kinds.includes(kind));
  if (!owner) throw new DomainError(ErrorCode.NOT_FOUND, `no exception ${id}: this deployment has no domain that owns ${kind} exceptions`, { argument: "id" });
  return owner;
}

export { mergeExceptionPages, type ExceptionContributor };

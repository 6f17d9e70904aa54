// Operations queries over the platform tables: inbound messages, the event log, parked events.
import { buildConnection, cursorWhere, pageSize, pageWindow, readDirection, type PageArgs } from "../../platform/graphql/connection.js";
import { invalidArgument } from "../../platform/errors.js";
import type { Db } from "../../platform/db/client.js";
import type { InboundState, IngestStep, Prisma } from "../../platform/db/generated/client.js";
import { withoutRaw } from "../../platform/ingest/message-store.js";
import { countEventsAfter, readEventsAfter } from "../../platform/events/event-log.js";

export interface MessageFilter {
  state?: InboundState[] | null;
  source?: string | null;
  kind?: string | null;
  correlationId?: string | null;
  idempotencyKey?: string | null;
  failedStep?: IngestStep | null;
}

export function messageWhere(f: MessageFilter | null | undefined): Prisma.InboundMessageWhereInput {
  const where: Prisma.InboundMessageWhereInput = {};
  if (f?.state?.length) where.state = { in: f.state };
  if (f?.source) where.source = f.source;
  if (f?.kind) where.kind = f.kind;
  if (f?.correlationId) where.correlationId = f.correlationId;
  if (f?.idempotencyKey) where.idempotencyKey = f.idempotencyKey;
  if (f?.failedStep) where.failedStep = f.failedStep;
  return where;
}

export async function listMessages(db: Db, filter: MessageFilter | null | undefined, page: PageArgs = {}) {
  const window = pageWindow(page, 1);
  const dir = readDirection("desc", window);
  const where = messageWhere(filter);
  // Ids are time-ordered, so id order is arrival order.
  const rows = await db.inboundMessage.findMany({
    where: { AND: [where, cursorWhere(window, null, "desc") as Prisma.InboundMessageWhereInput] },
    orderBy: { id: dir },
    take: window.limit + 1,
    omit: withoutRaw, // bodies are read per field, within the request's byte budget
  });
  return buildConnection(
    rows,
    window,
    (m) => [m.id],
    () => db.inboundMessage.count({ where }),
  );
}

export function parseSequence(value: string, argument: string): bigint {
  if (!/^\d{1,19}$/.test(value)) throw invalidArgument(argument, `must be a sequence number (digits), got ${JSON.stringify(value)}`);
  return BigInt(value);
}

/** Events after the event numbered `after`, in log order (see platform/events/event-log.ts). */
export async function listEvents(db: Db, after: string, types: string[] | null | undefined, aggregateId: string | null | undefined, first?: number | null) {
  return readEventsAfter(db, parseSequence(after, "after"), pageSize(first), types, aggregateId);
}

export const deadLetterWhere = (
  f: { source?: string | null; kind?: string | null; failedStep?: IngestStep | null } | null | undefined,
): Prisma.InboundMessageWhereInput => ({
  state: "DEAD_LETTER",
  ...(f?.source && { source: f.source }),
  ...(f?.kind && { kind: f.kind }),
  ...(f?.failedStep && { failedStep: f.failedStep }),
});

/**
 * Each consumer's position and how far behind it is: in events, and in seconds since the oldest
 * event it has not handled was recorded (a consumer held up by a lock or an outage shows a growing
 * wait even when few events are waiting). Both times come from the database's clock.
 */
export async function consumerStatuses(db: Db) {
  const [offsets, parked] = await Promise.all([
    db.consumerOffset.findMany({ orderBy: { consumer: "asc" } }),
    db.parkedEvent.groupBy({ by: ["consumer"], where: { resolvedAt: null }, _count: { _all: true } }),
  ]);
  // Sequences can have gaps (rolled-back appends), so lag counts events, not the difference.
  const lags = await Promise.all(
    offsets.map(async (o) => {
      const row = await countEventsAfter(db, { txOrder: o.txOrder, sequence: o.position });
      return { lag: row.count, lagSeconds: row.oldest ? Math.max(0, (row.now.getTime() - row.oldest.getTime()) / 1000) : 0 };
    }),
  );
  return offsets.map((o, i) => ({
    name: o.consumer,
    position: String(o.position),
    ...lags[i],
    parked: parked.find((p) => p.consumer === o.consumer)?._count._all ?? 0,
  }));
}

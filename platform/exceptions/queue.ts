// The exception queue's shared shape (Query.exceptions): what every domain's contribution looks
// like, the stable ids (KIND:<owner's id>), the paging key, and the merge of the domains' pages.
// Nothing domain-specific: each subgraph reads its own tables into ExceptionRecords
// (operations: dead letters, conflicts, parked events; erp-finance: postings; shipments:
// deliveries), and operations merges them. See docs/decisions.md "One exception queue, owned by
// the domains".
import { Prisma } from "../db/generated/client.js";
import { DomainError, ErrorCode, invalidArgument } from "../errors.js";
import { decodeCursor, encodeCursor, pageSize, type ConnectionModel } from "../graphql/connection.js";

export const EXCEPTION_KINDS = ["DEAD_LETTER", "PARKED_EVENT", "FAILED_POSTING", "CONFLICT", "FAILED_DELIVERY"] as const;
export type ExceptionKind = (typeof EXCEPTION_KINDS)[number];
export const EXCEPTION_STATES = ["OPEN", "RESOLVED", "DISCARDED"] as const;
export type ExceptionState = (typeof EXCEPTION_STATES)[number];

export interface ExceptionRecord {
  id: string;
  domain: string;
  source: string | null;
  kind: ExceptionKind;
  state: ExceptionState;
  reason: string;
  correlationId: string | null;
  raisedAt: Date;
  resolvedAt: Date | null;
  resolutionNote: string | null;
  /** Undefined: not read yet (the owner loads it when selected). */
  rawPayload?: string | null;
}

/**
 * What a domain that owns exceptions answers: operations itself (in process), or erp-finance and
 * shipments through their own API (remote.ts). Ids are exception ids (KIND:<owner's id>).
 */
export interface ExceptionContributor {
  domain: string;
  kinds: readonly ExceptionKind[];
  list(q: ExceptionQuery): Promise<ExceptionPage>;
  get(id: string): Promise<ExceptionRecord | null>;
  retry(id: string): Promise<ExceptionRecord>;
  settle(id: string, state: Exclude<ExceptionState, "OPEN">, note: string): Promise<ExceptionRecord>;
}

/** What one domain is asked for: its rows matching the filter after the cursor, newest first. */
export interface ExceptionQuery {
  kinds: ExceptionKind[] | null;
  sources: string[] | null;
  states: ExceptionState[] | null;
  olderThan: Date | null;
  /** After this (raisedAt, id) in the queue's order (raisedAt desc, id desc). */
  after: { raisedAt: Date; id: string } | null;
  /** Rows to return at most (the page size plus one, to tell whether more exist). */
  limit: number;
}

export interface ExceptionPage {
  rows: ExceptionRecord[];
  total: number;
}

/** The GraphQL filter and paging arguments as a query; rejects a bad cursor or page size. */
export function exceptionQuery(
  filter:
    | { kind?: readonly ExceptionKind[] | null; source?: readonly string[] | null; state?: readonly ExceptionState[] | null; olderThan?: Date | null }
    | null
    | undefined,
  first: number | null | undefined,
  after: string | null | undefined,
): ExceptionQuery & { pageSize: number } {
  const size = pageSize(first);
  const cursor = decodeCursor(after, 2);
  return {
    kinds: filter?.kind?.length ? [...filter.kind] : null,
    sources: filter?.source?.length ? [...filter.source] : null,
    states: filter?.state?.length ? [...filter.state] : null,
    olderThan: filter?.olderThan ?? null,
    after: cursor ? { raisedAt: new Date(cursor[0]), id: cursor[1]! } : null,
    limit: size + 1,
    pageSize: size,
  };
}

/** The queue's order: newest first, then by id (code-unit order, as COLLATE "C" in SQL). */
export function compareExceptions(a: Pick<ExceptionRecord, "raisedAt" | "id">, b: Pick<ExceptionRecord, "raisedAt" | "id">): number {
  const t = b.raisedAt.getTime() - a.raisedAt.getTime();
  if (t !== 0) return t;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export interface ExceptionConnectionModel extends ConnectionModel<ExceptionRecord> {
  unavailableDomains: string[];
}

/** One connection from the domains' pages: their rows merged in the queue's order, their totals added. */
export function mergeExceptionPages(
  pages: ExceptionPage[],
  query: { pageSize: number; after: unknown },
  unavailableDomains: string[] = [],
): ExceptionConnectionModel {
  const all = pages.flatMap((p) => p.rows).sort(compareExceptions);
  const nodes = all.slice(0, query.pageSize);
  const edges = nodes.map((node) => ({ cursor: encodeCursor([node.raisedAt.toISOString(), node.id]), node }));
  const total = pages.reduce((n, p) => n + p.total, 0);
  return {
    edges,
    nodes,
    pageInfo: {
      hasNextPage: all.length > query.pageSize,
      hasPreviousPage: query.after != null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: async () => total,
    unavailableDomains,
  };
}

export function exceptionId(kind: ExceptionKind, ownerId: string): string {
  return `${kind}:${ownerId}`;
}

/** KIND:<owner's id> into its parts; INVALID_ARGUMENT naming the argument when it is not one. */
export function parseExceptionId(id: string, argument = "id"): { kind: ExceptionKind; ownerId: string } {
  const at = id.indexOf(":");
  const kind = at > 0 ? id.slice(0, at) : "";
  const ownerId = at > 0 ? id.slice(at + 1) : "";
  if (!(EXCEPTION_KINDS as readonly string[]).includes(kind) || !ownerId) {
    throw invalidArgument(argument, `must be an exception id KIND:<id> with KIND one of ${EXCEPTION_KINDS.join(", ")}, got ${JSON.stringify(id)}`);
  }
  return { kind: kind as ExceptionKind, ownerId };
}

export const exceptionNotFound = (id: string) => new DomainError(ErrorCode.NOT_FOUND, `no exception ${id}`, { argument: "id" });

/** Only OPEN exceptions can be retried, resolved or discarded: say so, naming the state it is in. */
export function assertOpen(record: ExceptionRecord, action: string): void {
  if (record.state !== "OPEN") {
    throw new DomainError(
      ErrorCode.INVALID_STATUS_TRANSITION,
      `exception ${record.id} is ${record.state}${record.resolutionNote ? ` (${record.resolutionNote})` : ""}; only OPEN exceptions can be ${action}`,
      {
        argument: "id",
        state: record.state,
      },
    );
  }
}

/** A resolution note: required, trimmed, at most 2000 characters. */
export function resolutionNote(note: string): string {
  const trimmed = note.trim();
  if (!trimmed) throw invalidArgument("note", "must say why (it is empty)");
  if (trimmed.length > 2000) throw invalidArgument("note", `must be at most 2000 characters, got ${trimmed.length}`);
  return trimmed;
}

/**
 * SQL conditions shared by every contributor's query over its own table: `raisedAt` and `state`
 * name that table's columns, `idSql` the exception id as an expression (compared in code-unit
 * order, like compareExceptions).
 */
export function exceptionConditions(
  q: ExceptionQuery,
  cols: { raisedAt: Prisma.Sql; state: Prisma.Sql; source?: Prisma.Sql; idSql: Prisma.Sql },
): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (q.states) where.push(Prisma.sql`${cols.state}::text = ANY(${q.states}::text[])`);
  if (q.sources) where.push(cols.source ? Prisma.sql`${cols.source} = ANY(${q.sources}::text[])` : Prisma.sql`false`);
  if (q.olderThan) where.push(Prisma.sql`${cols.raisedAt} < ${q.olderThan}`);
  if (q.after) {
    where.push(
      Prisma.sql`(${cols.raisedAt} < ${q.after.raisedAt} OR (${cols.raisedAt} = ${q.after.raisedAt} AND (${cols.idSql}) COLLATE "C" < ${q.after.id}))`,
    );
  }
  return where;
}

export const wanted = (q: ExceptionQuery, kind: ExceptionKind) => !q.kinds || q.kinds.includes(kind);

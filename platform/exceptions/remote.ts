// How a domain other than operations contributes to the exception queue: it serves four internal
// fields over its own tables (hidden from the public API with @inaccessible, so only operations
// calls them, directly on the subgraph like the credit check), and operations reads them with
// the client below. The same operation runs in process (embedded) or over HTTP (one process per
// subgraph). Strings stand in for the kind and state enums, so the public enums stay operations'.
//
// SDL a contributor adds, with <P> its prefix (Finance, Shipment) and <p> the same in lower case:
//   <p>Exceptions(query: <P>ExceptionQuery!): <P>ExceptionPage!
//   <p>Exception(id: ID!): <P>Exception
//   retry<P>Exception(id: ID!): <P>Exception!
//   settle<P>Exception(id: ID!, state: String!, note: String!): <P>Exception!
import { GraphQLError } from "graphql";
import { callSubgraph, type SubgraphTransport } from "../graphql/subgraph-client.js";
import type { ExceptionContributor, ExceptionKind, ExceptionQuery, ExceptionRecord, ExceptionState } from "./queue.js";
import { EXCEPTION_STATES, resolutionNote } from "./queue.js";
import { invalidArgument } from "../errors.js";

const ROW = "id domain source kind state reason correlationId raisedAt resolvedAt resolutionNote rawPayload";

/** The query as the internal field takes it. */
export interface WireExceptionQuery {
  kinds?: string[] | null;
  sources?: string[] | null;
  states?: string[] | null;
  olderThan?: Date | string | null;
  afterRaisedAt?: Date | string | null;
  afterId?: string | null;
  limit: number;
}

interface WireRecord extends Omit<ExceptionRecord, "raisedAt" | "resolvedAt"> {
  raisedAt: string;
  resolvedAt: string | null;
}

const toWire = (q: ExceptionQuery): WireExceptionQuery => ({
  kinds: q.kinds,
  sources: q.sources,
  states: q.states,
  olderThan: q.olderThan?.toISOString() ?? null,
  afterRaisedAt: q.after?.raisedAt.toISOString() ?? null,
  afterId: q.after?.id ?? null,
  limit: q.limit,
});

export function fromWire(q: WireExceptionQuery): ExceptionQuery {
  const date = (v: Date | string | null | undefined) => (v == null ? null : new Date(v));
  const afterRaisedAt = date(q.afterRaisedAt);
  return {
    kinds: (q.kinds as ExceptionKind[] | null | undefined) ?? null,
    sources: q.sources ?? null,
    states: (q.states as ExceptionState[] | null | undefined) ?? null,
    olderThan: date(q.olderThan),
    after: afterRaisedAt && q.afterId ? { raisedAt: afterRaisedAt, id: q.afterId } : null,
    limit: q.limit,
  };
}

const fromWireRecord = (r: WireRecord): ExceptionRecord => ({ ...r, raisedAt: new Date(r.raisedAt), resolvedAt: r.resolvedAt ? new Date(r.resolvedAt) : null });

export interface RemoteExceptionsOptions {
  domain: string;
  kinds: readonly ExceptionKind[];
  /** Finance, Shipment: names the internal fields and types. */
  prefix: string;
  transport: SubgraphTransport;
  correlationId: string;
  /** Deadline per call (default 5000 ms): a domain that does not answer in time is left out of a list. */
  timeoutMs?: number;
}

/** Operations' client of another domain's contribution. */
export function remoteExceptions(options: RemoteExceptionsOptions): ExceptionContributor {
  const p = options.prefix;
  const lower = p[0].toLowerCase() + p.slice(1);
  async function call<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const res = await callSubgraph<T>(options.transport, { query, variables }, options.correlationId, options.timeoutMs ?? 5000);
    if (res.errors?.length) {
      // The owner's error as it gave it (NOT_FOUND, INVALID_STATUS_TRANSITION…), code and all.
      const e = res.errors[0];
      throw new GraphQLError(e.message, { extensions: e.extensions });
    }
    if (!res.data) throw new Error(`${options.domain} answered without data`);
    return res.data;
  }
  return {
    domain: options.domain,
    kinds: options.kinds,
    async list(q) {
      const data = await call<Record<string, { rows: WireRecord[]; total: number }>>(
        `query($q: ${p}ExceptionQuery!) { page: ${lower}Exceptions(query: $q) { total rows { ${ROW} } } }`,
        { q: toWire(q) },
      );
      return { rows: data.page.rows.map(fromWireRecord), total: data.page.total };
    },
    async get(id) {
      const data = await call<Record<string, WireRecord | null>>(`query($id: ID!) { one: ${lower}Exception(id: $id) { ${ROW} } }`, { id });
      return data.one ? fromWireRecord(data.one) : null;
    },
    async retry(id) {
      const data = await call<Record<string, WireRecord>>(`mutation($id: ID!) { one: retry${p}Exception(id: $id) { ${ROW} } }`, { id });
      return fromWireRecord(data.one);
    },
    async settle(id, state, note) {
      const data = await call<Record<string, WireRecord>>(
        `mutation($id: ID!, $state: String!, $note: String!) { one: settle${p}Exception(id: $id, state: $state, note: $note) { ${ROW} } }`,
        {
          id,
          state,
          note,
        },
      );
      return fromWireRecord(data.one);
    },
  };
}

/** The settle field's state argument, checked (the internal API takes it as a string). */
export function settleState(state: string): Exclude<ExceptionState, "OPEN"> {
  if (state === "OPEN" || !(EXCEPTION_STATES as readonly string[]).includes(state))
    throw invalidArgument("state", `must be RESOLVED or DISCARDED, got ${JSON.stringify(state)}`);
  return state as Exclude<ExceptionState, "OPEN">;
}

/** The four internal fields' resolvers, over a contributor built per request from the context. */
export function contributionResolvers<C>(prefix: string, contributor: (ctx: C) => ExceptionContributor) {
  const lower = prefix[0].toLowerCase() + prefix.slice(1);
  return {
    Query: {
      [`${lower}Exceptions`]: (_: unknown, { query }: { query: WireExceptionQuery }, ctx: C) => contributor(ctx).list(fromWire(query)),
      [`${lower}Exception`]: (_: unknown, { id }: { id: string }, ctx: C) => contributor(ctx).get(id),
    },
    Mutation: {
      [`retry${prefix}Exception`]: (_: unknown, { id }: { id: string }, ctx: C) => contributor(ctx).retry(id),
      [`settle${prefix}Exception`]: (_: unknown, { id, state, note }: { id: string; state: string; note: string }, ctx: C) =>
        contributor(ctx).settle(id, settleState(state), resolutionNote(note)),
    },
  };
}

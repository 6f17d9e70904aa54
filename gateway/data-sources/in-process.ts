// Embedded mode: the gateway calls each subgraph's Apollo Server in the same process, which skips
// a loopback HTTP hop but keeps a fresh context (fresh DataLoaders) per fetch, as HTTP would. The
// operation's budget goes with the fetch, so the subgraph's resolvers count against it and stop
// when it is spent or the operation times out.
//
// Identical queries in flight at once for the same caller identity run once (shared-fetches.ts,
// SUBGRAPH_SHARE_INFLIGHT), as over HTTP: on one PGlite connection every execution waits behind
// the others, so a page many viewers refresh at once would otherwise queue one copy per viewer.
// The shared execution runs on a budget of its own (the operation's limits), so that one caller's
// timeout does not stop it for the others; each operation is then charged with what it produced
// and received, on its own budget, as if it had run alone. A shareable fetch first yields one turn
// of the event loop: execution on PGlite never waits for I/O, so a fetch would otherwise run to its
// end before the next request is even read, and nobody could ever join it.
import { timedFetch } from "./timing.js";
import { withUniqueRepresentations } from "./unique-representations.js";
import { isMutation, SharedFetches } from "./shared-fetches.js";
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import type { Subgraph } from "../../platform/graphql/subgraph-server.js";
import type { Db } from "../../platform/db/client.js";
import { countListItems, type OperationBudget } from "../../platform/limits/operation-budget.js";
import type { Identity } from "../../platform/auth/identity.js";
import { encodeIdentity } from "../../platform/auth/gateway-credential.js";
import type { GatewayContext } from "../context.js";
import { subgraphUnavailable } from "./subgraph-errors.js";
import { DomainError } from "../../platform/errors.js";

export interface InProcessDataSourceOptions {
  /** Ask for each distinct entity once per _entities fetch (SUBGRAPH_DEDUPE_REPRESENTATIONS, default true). */
  dedupeRepresentations?: boolean;
  /** Run identical concurrent queries for the same identity once (SUBGRAPH_SHARE_INFLIGHT, default true). */
  shareInFlight?: boolean;
}

/** A shared execution's answer and the list items its resolvers produced (charged to every caller). */
interface SharedAnswer {
  response: GatewayGraphQLResponse;
  produced: number;
  /** The response as JSON, made for the first copy (the original is never handed out when copies are). */
  text?: string;
}

export class InProcessDataSource implements GraphQLDataSource<GatewayContext> {
  // Each caller of a shared answer gets its own copy: the gateway writes into what it merges.
  private readonly shared: SharedFetches<SharedAnswer>;

  constructor(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each subgraph has its own context type
    private readonly subgraph: Subgraph<any>,
    private readonly db: Db,
    private readonly options: InProcessDataSourceOptions = {},
  ) {
    // Serialised once, parsed per caller: a third of structuredClone's cost on a page of 50's answers.
    this.shared = new SharedFetches<SharedAnswer>(subgraph.name, (a) => {
      a.text ??= JSON.stringify(a.response);
      return { response: JSON.parse(a.text) as GatewayGraphQLResponse, produced: a.produced };
    });
  }

  process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    if (this.options.dedupeRepresentations === false) return timedFetch(this.subgraph.name, () => this.fetchOnce(options));
    return timedFetch(this.subgraph.name, () =>
      withUniqueRepresentations(this.subgraph.name, options.request, (request) => this.fetchOnce({ ...options, request })),
    );
  }

  private async fetchOnce({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    // The caller's identity goes with every fetch: the subgraph checks row-level access with it.
    const { correlationId = "internal", budget, identity = null } = (context ?? {}) as Partial<GatewayContext>;
    budget?.throwIfStopped();
    // Shared only within operations (a budget to take the limits from) and only for queries.
    const shareable = budget !== undefined && this.options.shareInFlight !== false && !isMutation(request.query);
    let response: GatewayGraphQLResponse;
    if (shareable) {
      const key = `${encodeIdentity(identity)}\n${JSON.stringify([request.query, request.variables ?? null, request.operationName ?? null])}`;
      let answer: SharedAnswer;
      try {
        answer = await this.shared.run(key, budget.signal, (signal) => this.executeShared(request, correlationId, identity, budget, signal));
      } catch (err) {
        budget.throwIfStopped();
        // The shared execution hit a limit of its own (items, memory): its count is part of what this
        // operation would have counted, so the operation stops as it would have alone.
        if (err instanceof DomainError && typeof err.extensions.limit === "string") budget.stop(err);
        throw err;
      }
      // The shared execution's resolvers counted on its own budget: this operation pays for them too.
      budget.countProduced(answer.produced);
      response = answer.response;
    } else {
      response = await this.execute(request, correlationId, identity, budget);
    }
    if (budget && response.data) {
      budget.countReceived(countListItems(response.data));
      budget.throwIfStopped();
    }
    return response;
  }

  /** Runs the query for every operation waiting for it, on a budget with the first caller's limits, stopped when nobody waits any more. */
  private async executeShared(
    request: GatewayGraphQLRequest,
    correlationId: string,
    identity: Identity | null,
    callerBudget: OperationBudget,
    signal: AbortSignal,
  ): Promise<SharedAnswer> {
    const own = callerBudget.forSharedWork();
    const stop = () => own.stop(own.cancelled("no operation waits for this subgraph query any more"));
    signal.addEventListener("abort", stop, { once: true });
    try {
      // Yield to the event loop first. In-process execution on PGlite never waits for I/O, so
      // without this a fetch runs from start to end before the next request is even read, and
      // nobody could join it; after one turn, the operations that arrived meanwhile have.
      await new Promise<void>((resolve) => setImmediate(resolve));
      own.throwIfStopped();
      return { response: await this.execute(request, correlationId, identity, own), produced: own.producedItems };
    } finally {
      signal.removeEventListener("abort", stop);
      own.dispose();
    }
  }

  private async execute(
    request: GatewayGraphQLRequest,
    correlationId: string,
    identity: Identity | null,
    budget: OperationBudget | undefined,
  ): Promise<GatewayGraphQLResponse> {
    let response;
    try {
      response = await this.subgraph.server.executeOperation(
        { query: request.query, variables: request.variables, operationName: request.operationName },
        { contextValue: this.subgraph.createContext({ db: this.db, correlationId, budget, identity }) },
      );
    } catch (err) {
      // A stopped server (shutdown) is an unreachable subgraph, as a refused connection is over HTTP.
      throw subgraphUnavailable(this.subgraph.name, err instanceof Error ? err.message : String(err));
    }
    budget?.throwIfStopped();
    if (response.body.kind !== "single") throw new Error(`subgraph ${this.subgraph.name} answered with an incremental result`);
    const { data, errors, extensions } = response.body.singleResult;
    return { data: data as GatewayGraphQLResponse["data"], errors, extensions };
  }
}

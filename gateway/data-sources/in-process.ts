// Embedded mode: the gateway calls each subgraph's Apollo Server in the same process, which skips
// a loopback HTTP hop but keeps a fresh context (fresh DataLoaders) per fetch, as HTTP would. The
// operation's budget goes with the fetch, so the subgraph's resolvers count against it and stop
// when it is spent or the operation times out.
import { timedFetch } from "./timing.js";
import { withUniqueRepresentations } from "./unique-representations.js";
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import type { Subgraph } from "../../platform/graphql/subgraph-server.js";
import type { Db } from "../../platform/db/client.js";
import { countListItems } from "../../platform/limits/operation-budget.js";
import type { GatewayContext } from "../context.js";
import { subgraphUnavailable } from "./subgraph-errors.js";

export class InProcessDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each subgraph has its own context type
    private readonly subgraph: Subgraph<any>,
    private readonly db: Db,
    /** Ask for each distinct entity once per _entities fetch (SUBGRAPH_DEDUPE_REPRESENTATIONS, default true). */
    private readonly dedupeRepresentations = true,
  ) {}

  process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    if (!this.dedupeRepresentations) return timedFetch(this.subgraph.name, () => this.fetchOnce(options));
    return timedFetch(this.subgraph.name, () =>
      withUniqueRepresentations(this.subgraph.name, options.request, (request) => this.fetchOnce({ ...options, request })),
    );
  }

  private async fetchOnce({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    // The caller's identity goes with every fetch: the subgraph checks row-level access with it.
    const { correlationId = "internal", budget, identity = null } = (context ?? {}) as Partial<GatewayContext>;
    budget?.throwIfStopped();
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
    if (budget && data) {
      budget.countReceived(countListItems(data));
      budget.throwIfStopped();
    }
    return { data: data as GatewayGraphQLResponse["data"], errors, extensions };
  }
}

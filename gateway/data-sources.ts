// How the gateway reaches a subgraph: over HTTP (distributed) or by calling its Apollo Server in
// the same process (embedded), which skips a loopback HTTP hop but keeps a fresh context, and so
// fresh DataLoaders, per subgraph fetch exactly as HTTP would.
import { RemoteGraphQLDataSource, type GraphQLDataSource, type GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import type { Subgraph } from "../platform/graphql/subgraph-server.js";
import type { Db } from "../platform/db/client.js";
import type { GatewayContext } from "./context.js";
import { CORRELATION_HEADER } from "../platform/telemetry/correlation.js";
import { DomainError, ErrorCode } from "../platform/errors.js";
import { subgraphFetchSeconds } from "../platform/telemetry/metrics.js";
import { injectTraceContext } from "../platform/telemetry/tracing.js";

/** Times one subgraph fetch into gateway_subgraph_fetch_duration_seconds. */
async function timed<T extends GatewayGraphQLResponse>(subgraph: string, fetch: () => Promise<T>): Promise<T> {
  const end = subgraphFetchSeconds.startTimer({ subgraph });
  try {
    const response = await fetch();
    end({ outcome: response.errors?.length ? "error" : "ok" });
    return response;
  } catch (err) {
    end({ outcome: "unavailable" });
    throw err;
  }
}


export class InProcessDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each subgraph has its own context type
    private readonly subgraph: Subgraph<any>,
    private readonly db: Db,
  ) {}

  process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    return timed(this.subgraph.name, () => this.execute(options));
  }

  private async execute({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const correlationId = (context as Partial<GatewayContext>)?.correlationId ?? "internal";
    const response = await this.subgraph.server.executeOperation(
      { query: request.query, variables: request.variables, operationName: request.operationName },
      { contextValue: this.subgraph.createContext({ db: this.db, correlationId }) },
    );
    if (response.body.kind !== "single") throw new Error(`subgraph ${this.subgraph.name} answered with an incremental result`);
    const { data, errors, extensions } = response.body.singleResult;
    return { data: data as GatewayGraphQLResponse["data"], errors, extensions };
  }
}

/**
 * HTTP data source that forwards the caller's correlation id, and turns a subgraph that cannot be
 * reached into SUBGRAPH_UNAVAILABLE naming it, instead of a masked internal error: the other
 * subgraphs' data is still returned.
 */
export class CorrelatedRemoteDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(private readonly subgraphName: string, url: string) {
    super({ url });
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    try {
      return await timed(this.subgraphName, () => super.process(options));
    } catch (err) {
      const reason = err instanceof Error ? err.message.replace(/^request to \S+ failed, reason: /, "") : String(err);
      throw new DomainError(ErrorCode.SUBGRAPH_UNAVAILABLE, `The ${this.subgraphName} subgraph is unavailable (${reason})`, { subgraph: this.subgraphName });
    }
  }

  override willSendRequest({ request, context }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>["willSendRequest"]>>[0]) {
    const id = (context as Partial<GatewayContext>)?.correlationId;
    if (id) request.http?.headers.set(CORRELATION_HEADER, id);
    if (request.http) injectTraceContext(request.http.headers);
  }
}

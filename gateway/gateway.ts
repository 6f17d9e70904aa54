// The Apollo Server that fronts the supergraph. Holds no domain logic: planning and execution
// belong to @apollo/gateway; we choose how subgraphs are reached and guard each operation's cost.
import { requestMetrics } from "../platform/graphql/metrics-plugin.js";
import { log } from "../platform/telemetry/log.js";
import { ApolloGateway, type GraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import type { GraphQLSchema } from "graphql";
import type { GatewayInterface } from "@apollo/server-gateway-interface";
import { formatError, isDevelopment } from "../platform/errors.js";
import type { MemoryGuard } from "../platform/limits/memory-guard.js";
import type { OperationLimits } from "../platform/limits/operation-budget.js";
import type { GatewayContext } from "./context.js";
import { ideLandingPage, type IdeChoice } from "./ide.js";
import { guardGateway } from "./limits/operation-guard.js";
import { overloadStatusPlugin } from "./limits/overload-status.js";
import { logUnexpectedErrors } from "../platform/graphql/error-logging.js";
import { secureGateway } from "./security/secure-executor.js";
import type { GatewaySecurity } from "./security/index.js";
import { cachingGateway } from "./cache/caching-executor.js";
import type { EntityCacheFeed } from "./cache/event-feed.js";

// @apollo/gateway reports usage to Apollo and probes cloud metadata endpoints unless told not to;
// neither belongs in a self-hosted gateway that may run with no network.
process.env.APOLLO_TELEMETRY_DISABLED ??= "true";

export interface GatewayOptions {
  supergraphSdl: string;
  buildService: (def: { name: string; url?: string }) => GraphQLDataSource<GatewayContext>;
  limits: OperationLimits;
  memory: MemoryGuard;
  /** The page a browser gets at the GraphQL path (GRAPHQL_IDE; default GraphiQL, served locally). */
  ide?: IdeChoice;
  /** Authentication, authorization, limits (gateway/security). */
  security: GatewaySecurity;
  /** The entity cache (GATEWAY_CACHE), fed by this replica's event follower; absent when off. */
  entityCache?: EntityCacheFeed | null;
}

export interface GatewayServer {
  server: ApolloServer<GatewayContext>;
  /** The public (API) schema once loaded; subscriptions validate and execute against it. */
  apiSchema: () => GraphQLSchema;
  /** The data source of each subgraph, once the gateway has started (readiness probes use them). */
  dataSources: Map<string, GraphQLDataSource<GatewayContext>>;
}

export function createGatewayServer(options: GatewayOptions): GatewayServer {
  const dataSources = new Map<string, GraphQLDataSource<GatewayContext>>();
  const gateway = new ApolloGateway({
    supergraphSdl: withoutSecurityPurpose(options.supergraphSdl),
    buildService: (def) => {
      const source = options.buildService(def);
      dataSources.set(def.name, source);
      return source as GraphQLDataSource;
    },
    logger: quietLogger,
  });
  let apiSchema: GraphQLSchema | null = null;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: schema }) => (apiSchema = schema));
  const schema = () => {
    if (!apiSchema) throw new Error("the supergraph is not loaded yet");
    return apiSchema;
  };
  const { security } = options;
  const server = new ApolloServer<GatewayContext>({
    // Authorization first (denied fields never reach the planner), then the operation's budget.
    gateway: withEntityCache(
      secureGateway(guardGateway(gateway, { limits: options.limits, memory: options.memory }), schema, {
        authorizer: security.authorizer,
        enforce: security.authenticator.enabled,
      }),
      schema,
      options.entityCache,
    ),
    formatError,
    includeStacktraceInErrorResponses: isDevelopment(),
    introspection: security.options.introspection,
    // A JSON array of operations runs as one HTTP request; its size is limited before this server
    // sees it (platform/http/graphql-requests.ts, GRAPHQL_BATCH_MAX).
    allowBatchedHttpRequests: true,
    plugins: [ideLandingPage(options.ide ?? "graphiql"), overloadStatusPlugin(), logUnexpectedErrors(), requestMetrics("gateway"), ...security.plugins],
  });
  return { server, dataSources, apiSchema: schema };
}

// Outermost: a cached answer was authorized and budgeted when it was computed, for the same access.
const withEntityCache = (gateway: GatewayInterface, schema: () => GraphQLSchema, feed: EntityCacheFeed | null | undefined) =>
  feed ? cachingGateway(gateway, schema, feed) : gateway;

const quietLogger = {
  debug: () => {},
  info: () => {},
  warn: (m: unknown) => log.warn({ component: "gateway" }, String(m)),
  error: (m: unknown) => log.error({ component: "gateway" }, String(m)),
};

/**
 * @apollo/gateway refuses a supergraph whose @authenticated/@requiresScopes links say
 * `for: SECURITY`, since it does not enforce them itself (a safe default). This gateway does
 * (security/authorize.ts reads them from the same document), so it hands @apollo/gateway the
 * supergraph with that purpose dropped from those two links only.
 */
export function withoutSecurityPurpose(supergraphSdl: string): string {
  return supergraphSdl.replace(/(@link\(url: "https:\/\/specs\.apollo\.dev\/(?:authenticated|requiresScopes)\/v[\d.]+"), for: SECURITY\)/g, "$1)");
}

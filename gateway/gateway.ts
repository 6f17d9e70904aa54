// The Apollo Server that fronts the supergraph. Holds no domain logic: planning and execution
// belong to @apollo/gateway; we only choose how subgraphs are reached.
import { ApolloGateway, type GraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import type { GraphQLSchema } from "graphql";
import { formatError, isDevelopment } from "../platform/errors.js";
import type { GatewayContext } from "./context.js";
import { ideLandingPage, type IdeChoice } from "./ide.js";

// @apollo/gateway reports usage to Apollo and probes cloud metadata endpoints unless told not to;
// neither belongs in a self-hosted gateway that may run with no network.
process.env.APOLLO_TELEMETRY_DISABLED ??= "true";

export interface GatewayOptions {
  supergraphSdl: string;
  buildService: (def: { name: string; url?: string }) => GraphQLDataSource;
  /** The page a browser gets at the GraphQL path (GRAPHQL_IDE; default GraphiQL, served locally). */
  ide?: IdeChoice;
}

export interface GatewayServer {
  server: ApolloServer<GatewayContext>;
  /** The public (API) schema once loaded; subscriptions validate and execute against it. */
  apiSchema: () => GraphQLSchema;
}

export function createGatewayServer(options: GatewayOptions): GatewayServer {
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: options.buildService,
    logger: quietLogger,
  });
  let apiSchema: GraphQLSchema | null = null;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: schema }) => (apiSchema = schema));
  const server = new ApolloServer<GatewayContext>({
    gateway,
    formatError,
    includeStacktraceInErrorResponses: isDevelopment(),
    introspection: true,
    // A JSON array of operations runs as one HTTP request; its size is limited before this server
    // sees it (platform/http/graphql-requests.ts, GRAPHQL_BATCH_MAX).
    allowBatchedHttpRequests: true,
    plugins: [ideLandingPage(options.ide ?? "graphiql")],
  });
  return {
    server,
    apiSchema: () => {
      if (!apiSchema) throw new Error("the supergraph is not loaded yet");
      return apiSchema;
    },
  };
}

const quietLogger = {
  debug: () => {},
  info: () => {},
  warn: (m: unknown) => console.warn(JSON.stringify({ level: "warn", component: "gateway", msg: String(m) })),
  error: (m: unknown) => console.error(JSON.stringify({ level: "error", component: "gateway", msg: String(m) })),
};

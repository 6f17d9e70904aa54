// Builds a subgraph's Apollo Server from its SDL and resolvers. It never listens: the embedded
// app and the standalone entry point (subgraphs/<name>/index.ts) mount it where they need it.
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/resolverMap.js";
import type { DocumentNode, GraphQLSchema } from "graphql";
import { formatError, isDevelopment } from "../errors.js";
import { DateScalar, DateTimeScalar, DecimalScalar } from "./scalars.js";
import type { Db } from "../db/client.js";
import type { OperationBudget } from "../limits/operation-budget.js";
import { enforceOperationBudget, operationBudgetPlugin } from "./budget-plugin.js";
import { logUnexpectedErrors } from "./error-logging.js";
import { requestMetrics } from "./metrics-plugin.js";
import type { Identity } from "../auth/identity.js";

export interface SubgraphRequestContext {
  db: Db;
  correlationId: string;
  /** The operation's limits: the gateway's (embedded) or this request's (over HTTP). */
  budget?: OperationBudget;
  /**
   * The caller as the gateway verified it (platform/auth/gateway-credential.ts); row-level rules
   * (a customer's token sees its own rows) are checked with it. Absent: a trusted internal call.
   */
  identity?: Identity | null;
}

export interface Subgraph<C> {
  name: string;
  schema: GraphQLSchema;
  server: ApolloServer<C & SubgraphRequestContext>;
  /** A fresh context per request: new DataLoaders, so nothing is cached across requests. */
  createContext(base: SubgraphRequestContext): C & SubgraphRequestContext;
}

const scalarResolvers = { DateTime: DateTimeScalar, Date: DateScalar, Decimal: DecimalScalar };

export function createSubgraph<C>(name: string, typeDefs: DocumentNode, resolvers: object, extendContext: (base: SubgraphRequestContext) => C): Subgraph<C> {
  const declared = new Set(typeDefs.definitions.flatMap((d) => (d.kind === "ScalarTypeDefinition" ? [d.name.value] : [])));
  const scalars = Object.fromEntries(Object.entries(scalarResolvers).filter(([n]) => declared.has(n)));
  const schema = enforceOperationBudget(buildSubgraphSchema({ typeDefs, resolvers: { ...scalars, ...resolvers } as GraphQLResolverMap<unknown> }));
  const server = new ApolloServer<C & SubgraphRequestContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: isDevelopment(),
    introspection: true,
    plugins: [
      // Inline traces are for Apollo's hosted studio; this graph reports through its own telemetry.
      ApolloServerPluginInlineTraceDisabled(),
      // Apollo Server installs its cache-control plugin by default, and it wraps every field's
      // resolution to collect @cacheControl hints nobody here sets or reads (no CDN caches these
      // answers): bench/subgraph-field-hooks.ts measures what that wrapper costs.
      ApolloServerPluginCacheControlDisabled(),
      operationBudgetPlugin(),
      logUnexpectedErrors(),
      requestMetrics(name),
    ],
  });
  return { name, schema, server, createContext: (base) => ({ ...base, ...extendContext(base) }) };
}

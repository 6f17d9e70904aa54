// Readiness of the subgraphs behind the gateway: each is asked `{ __typename }` through the same
// data source queries use (in-process or HTTP), so "ready" means the gateway can reach it now.
import { HEALTH_CHECK_QUERY, type GraphQLDataSource } from "@apollo/gateway";
import { GraphQLDataSourceRequestKind } from "@apollo/gateway/dist/datasources/types.js";
import type { ReadinessCheck } from "../platform/http/health.js";
import type { GatewayContext } from "./context.js";

export function subgraphReadinessChecks(dataSources: Map<string, GraphQLDataSource<GatewayContext>>): ReadinessCheck[] {
  return [...dataSources].map(([name, source]) => ({
    name: `subgraph:${name}`,
    run: async () => {
      const res = await source.process({
        kind: GraphQLDataSourceRequestKind.HEALTH_CHECK,
        request: { query: HEALTH_CHECK_QUERY },
        context: { correlationId: "readiness-probe" },
      });
      if (res.errors?.length || !res.data?.__typename) throw new Error(`unexpected answer: ${JSON.stringify(res).slice(0, 200)}`);
    },
  }));
}

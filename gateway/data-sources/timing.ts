// gateway_subgraph_fetch_duration_seconds: how long each subgraph fetch took, by outcome.
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { subgraphFetchSeconds } from "../../platform/telemetry/metrics.js";

export async function timedFetch<T extends GatewayGraphQLResponse>(subgraph: string, fetch: () => Promise<T>): Promise<T> {
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

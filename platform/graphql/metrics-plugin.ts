// Counts GraphQL operations by server, operation name and outcome (graphql_requests_total).
import type { ApolloServerPlugin } from "@apollo/server";
import { graphqlRequests } from "../telemetry/metrics.js";

/** Operation names are the client's; long ones are cut so a label cannot grow without bound. */
const operationLabel = (name: string | null | undefined) => (name ? name.slice(0, 64) : "anonymous");

export function requestMetrics(server: string): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, operationName }) {
          const body = response.body;
          const failed = body.kind === "single" ? Boolean(body.singleResult.errors?.length) : false;
          graphqlRequests.inc({ server, operation: operationLabel(operationName), outcome: failed ? "error" : "ok" });
        },
      };
    },
  };
}

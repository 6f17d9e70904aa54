// Runs an operation through the gateway's own executor (query planning included), for callers
// inside the gateway process: subscription follow-ups and operations sent over the WebSocket.
import { GraphQLError, type ExecutionResult } from "graphql";
import type { ApolloServer } from "@apollo/server";
import type { GatewayContext } from "./context.js";

export async function executeThroughGateway(
  gateway: ApolloServer<GatewayContext>,
  request: { query: string; variables?: Record<string, unknown>; operationName?: string },
  context: GatewayContext,
): Promise<ExecutionResult> {
  const response = await gateway.executeOperation(request, { contextValue: context });
  if (response.body.kind !== "single") return { errors: [new GraphQLError("incremental delivery is not supported here")] };
  const { data, errors } = response.body.singleResult;
  // graphql-ws serialises errors with toJSON: formatted (plain) errors become GraphQLErrors again.
  return { data: data as ExecutionResult["data"], errors: errors?.map((e) => new GraphQLError(e.message, { extensions: e.extensions })) };
}

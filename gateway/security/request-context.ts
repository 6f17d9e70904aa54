// The one place a gateway operation's context is built: identity (authenticate.ts), correlation id
// and client name, for an HTTP request, a graphql-ws connection (onConnect, then each operation on
// it) and a subscription's follow-up queries (which run as the subscriber).
import type { Request } from "express";
import { randomUUID } from "node:crypto";
import type { GatewayContext } from "../context.js";
import type { Authenticator } from "./authenticate.js";
import { correlationIdOf } from "../../platform/http/server.js";
import { isAcceptableCorrelationId } from "../../platform/telemetry/correlation.js";

export const CLIENT_NAME_HEADER = "apollographql-client-name";

const cleanName = (v: unknown) => (typeof v === "string" && /^[\w .:@/-]{1,64}$/.test(v) ? v : null);

export interface RequestContextBuilder {
  authenticator: Authenticator;
  /** HTTP: the authorization and client-name headers, the request's correlation id. */
  fromHttp(req: Request): Promise<GatewayContext>;
  /** graphql-ws: the connection_init payload ({ authorization: "Bearer …", clientName? }). */
  fromConnectionParams(params: Record<string, unknown> | undefined | null): Promise<GatewayContext>;
  /** One operation on a connection: the connection's identity, a fresh correlation id. */
  forOperation(connection: GatewayContext, correlationId?: string): GatewayContext;
  /** A subscription follow-up query: runs as its subscriber. */
  forFollowUp(subscriber: GatewayContext): GatewayContext;
}

export function createRequestContextBuilder(authenticator: Authenticator): RequestContextBuilder {
  return {
    authenticator,
    async fromHttp(req) {
      const identity = await authenticator.authenticate(req.header("authorization"));
      return { correlationId: correlationIdOf(req), identity, clientName: cleanName(req.header(CLIENT_NAME_HEADER)) ?? identity?.clientName ?? null };
    },
    async fromConnectionParams(params) {
      const authorization = params?.authorization ?? params?.Authorization;
      const identity = await authenticator.authenticate(typeof authorization === "string" ? authorization : null);
      return { correlationId: randomUUID(), identity, clientName: cleanName(params?.clientName) ?? identity?.clientName ?? null };
    },
    forOperation(connection, correlationId) {
      return { ...connection, correlationId: isAcceptableCorrelationId(correlationId) ? correlationId : randomUUID() };
    },
    forFollowUp(subscriber) {
      return { ...subscriber, correlationId: `${subscriber.correlationId}:follow-up` };
    },
  };
}

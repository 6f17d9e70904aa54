// graphql-ws on the same port and path as HTTP /graphql (on ws through ws-transport.ts). Subscriptions run on the gateway's
// subscription engine; queries and mutations sent over the socket go through the gateway as
// HTTP ones do. A socket that sends no connection_init within the timeout is closed (4408);
// the caps on sockets, operations per socket and message size are in ws-caps.ts.
// Security (gateway/security): connection_init's { authorization: "Bearer …" } is verified once
// (a bad or missing token closes the socket with 4401), every operation runs with that identity,
// is rate-limited and checked against the document limits and the trusted documents like an HTTP
// request, and the socket is closed (4401) when the token expires.
import { randomUUID } from "node:crypto";
import type http from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import { CloseCode } from "graphql-ws";
import { getOperationAST, GraphQLError, print, type DocumentNode, type ExecutionResult, type GraphQLSchema } from "graphql";
import type { ApolloServer } from "@apollo/server";
import type { GatewayContext } from "../context.js";
import { executeThroughGateway } from "../execute.js";
import { CORRELATION_HEADER, isAcceptableCorrelationId, traceIdOf } from "../../platform/telemetry/correlation.js";
import type { SubscriptionEngine } from "./engine.js";
import { capConnections, capSubscriptions, type WsCaps } from "./ws-caps.js";
import { serveGraphqlWs } from "./ws-transport.js";
import type { GatewaySecurity } from "../security/index.js";
import { AuthenticationError } from "../security/authenticate.js";
import { gateOperation, rateKey } from "../security/http-gate.js";
import { checkOperation } from "../security/operation-limits.js";
import { ErrorCode } from "../../platform/errors.js";

export interface WsOptions {
  path: string;
  schema: () => GraphQLSchema;
  engine: SubscriptionEngine;
  gateway: ApolloServer<GatewayContext>;
  /** WS_INIT_TIMEOUT_MS: how long a socket may stay without connection_init (default 3000). */
  connectionInitWaitTimeout: number;
  caps: WsCaps;
  security: GatewaySecurity;
}

export interface WsHandle {
  wss: WebSocketServer;
  close(): Promise<void>;
}

function socketCorrelationId(params: Readonly<Record<string, unknown>> | undefined, request: http.IncomingMessage | undefined): string {
  const given = typeof params?.correlationId === "string" ? params.correlationId : undefined;
  if (isAcceptableCorrelationId(given)) return given;
  const header = request?.headers[CORRELATION_HEADER];
  if (typeof header === "string" && isAcceptableCorrelationId(header)) return header;
  const traceparent = request?.headers.traceparent;
  return traceIdOf(typeof traceparent === "string" ? traceparent : undefined) ?? randomUUID();
}
type Extra = { socket: WebSocket; request: http.IncomingMessage; gatewayContext?: GatewayContext; expiry?: NodeJS.Timeout };

export function attachSubscriptions(httpServer: http.Server, options: WsOptions): WsHandle {
  const { security } = options;
  const wss = new WebSocketServer({ server: httpServer, path: options.path, maxPayload: options.caps.maxMessageBytes });
  capConnections(wss, options.caps);
  const refuse = capSubscriptions(options.caps);
  const disposable = serveGraphqlWs<Record<string, unknown> | undefined, Extra>(
    {
      schema: () => options.schema(),
      connectionInitWaitTimeout: options.connectionInitWaitTimeout,
      onConnect: async (ctx) => {
        try {
          const context = await security.contexts.fromConnectionParams(ctx.connectionParams);
          ctx.extra.gatewayContext = context;
          const exp = context.identity?.expiresAt;
          if (exp) {
            // Subscriptions end when the token that opened them does: the client reconnects with a new one.
            ctx.extra.expiry = setTimeout(() => ctx.extra.socket.close(CloseCode.Unauthorized, "token expired"), Math.max(0, exp * 1000 - Date.now()));
            ctx.extra.expiry.unref();
          }
          return true;
        } catch (err) {
          if (!(err instanceof AuthenticationError)) throw err;
          ctx.extra.socket.close(CloseCode.Unauthorized, `Not authenticated: ${err.message}`.slice(0, 120));
          return false;
        }
      },
      onClose: (ctx) => clearTimeout(ctx.extra.expiry),
      onSubscribe: (ctx, _id, payload) => {
        const capped = refuse(ctx);
        if (capped) return capped;
        const context = ctx.extra.gatewayContext!;
        const rate = security.rateLimiter.take(rateKey(context, ctx.extra.request.socket.remoteAddress));
        if (!rate.allowed)
          return [
            new GraphQLError(`Too many requests; retry in ${rate.retryAfterSeconds} s`, {
              extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds: rate.retryAfterSeconds },
            }),
          ];
        const refused = gateOperation(payload as unknown as Record<string, unknown>, security.options.limits, security.trusted);
        return refused ? [refused] : undefined;
      },
      // Per operation: the client's correlation id (connectionParams.correlationId, else the upgrade
      // request's x-correlation-id or traceparent trace id), else a new one; the identity is the socket's.
      context: (ctx) => security.contexts.forOperation(ctx.extra.gatewayContext!, socketCorrelationId(ctx.connectionParams, ctx.extra.request)),
      subscribe: (args) => {
        const refused = refuseSubscription(
          options,
          args.document,
          args.operationName,
          args.variableValues as Record<string, unknown>,
          args.contextValue as GatewayContext,
        );
        return refused ?? options.engine.subscribe(args);
      },
      execute: (args) =>
        executeThroughGateway(
          options.gateway,
          { query: print(args.document), variables: args.variableValues as Record<string, unknown>, operationName: args.operationName ?? undefined },
          args.contextValue as GatewayContext,
        ),
    },
    wss,
  );
  return {
    wss,
    close: async () => {
      // 1001 (going away) tells clients to reconnect elsewhere; dispose() sends it and waits for
      // the sockets to close. A client that does not answer the close frame is cut off after a
      // second instead of ws's 30 s.
      const cutOff = setTimeout(() => {
        for (const client of wss.clients) client.terminate();
      }, 1000);
      try {
        await disposable.dispose();
      } finally {
        clearTimeout(cutOff);
      }
    },
  };
}

/**
 * What Apollo Server's plugins check for queries, checked here for subscriptions (they do not run
 * through it): the operation limits, and the schema's authorization for the whole selection.
 */
function refuseSubscription(
  options: WsOptions,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  context: GatewayContext,
): ExecutionResult | null {
  const schema = options.schema();
  const operation = getOperationAST(document, operationName);
  if (!operation) return null;
  const tooBig = checkOperation(schema, document, operation, variables, options.security.options.limits);
  if (tooBig) return { errors: [tooBig] };
  if (!options.security.authenticator.enabled) return null;
  const { denials } = options.security.authorizer.restrict(schema, document, context.identity);
  return denials.size ? { errors: [...denials.values()].map((d) => d.error) } : null;
}

// graphql-ws on the same port and path as HTTP /graphql. Subscriptions run on the gateway's
// subscription engine; queries and mutations sent over the socket go through the gateway as
// HTTP ones do. A socket that sends no connection_init within the timeout is closed (4408);
// the caps on sockets, operations per socket and message size are in ws-caps.ts.
import type http from "node:http";
import { WebSocketServer } from "ws";
import { useServer } from "graphql-ws/use/ws";
import { print, type GraphQLSchema } from "graphql";
import type { ApolloServer } from "@apollo/server";
import { randomUUID } from "node:crypto";
import type { GatewayContext } from "../context.js";
import { executeThroughGateway } from "../execute.js";
import { CORRELATION_HEADER, isAcceptableCorrelationId, traceIdOf } from "../../platform/telemetry/correlation.js";
import type { SubscriptionEngine } from "./engine.js";
import { capConnections, capSubscriptions, type WsCaps } from "./ws-caps.js";

export interface WsOptions {
  path: string;
  schema: () => GraphQLSchema;
  engine: SubscriptionEngine;
  gateway: ApolloServer<GatewayContext>;
  /** WS_INIT_TIMEOUT_MS: how long a socket may stay without connection_init (default 3000). */
  connectionInitWaitTimeout: number;
  caps: WsCaps;
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

export function attachSubscriptions(httpServer: http.Server, options: WsOptions): WsHandle {
  const wss = new WebSocketServer({ server: httpServer, path: options.path, maxPayload: options.caps.maxMessageBytes });
  capConnections(wss, options.caps);
  const refuse = capSubscriptions(options.caps);
  const disposable = useServer(
    {
      schema: () => options.schema(),
      connectionInitWaitTimeout: options.connectionInitWaitTimeout,
      onSubscribe: (ctx) => refuse(ctx),
      // Per operation: the client's correlation id (connectionParams.correlationId, else the upgrade
      // request's x-correlation-id or traceparent trace id), else a new one.
      context: (ctx) => ({ correlationId: socketCorrelationId(ctx.connectionParams, (ctx.extra as { request?: http.IncomingMessage }).request) }),
      subscribe: (args) => options.engine.subscribe(args),
      execute: (args) =>
        executeThroughGateway(
          options.gateway,
          { query: print(args.document), variables: args.variableValues as Record<string, unknown>, operationName: args.operationName ?? undefined },
          (args.contextValue as { correlationId?: string } | undefined)?.correlationId ?? randomUUID(),
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

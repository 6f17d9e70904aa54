// Caps on what WebSocket clients may hold, each refused with a code that says why:
// - sockets: past WS_MAX_CONNECTIONS open sockets a new one is closed with 1013 (Try Again
//   Later), as it is while the heap is near its limit (MEMORY_LIMIT_FRACTION);
// - subscriptions per socket: past WS_MAX_SUBSCRIPTIONS_PER_SOCKET a new operation on the socket
//   gets an error (SUBSCRIPTION_LIMIT_REACHED) and the socket's other subscriptions go on;
// - message size: a message larger than BODY_LIMIT (the same limit as an HTTP request) closes
//   the socket with 1009 (Message Too Big), before the message is buffered whole.
import type { WebSocketServer } from "ws";
import { GraphQLError } from "graphql";
import { ErrorCode } from "../../platform/errors.js";
import type { MemoryGuard } from "../../platform/limits/memory-guard.js";

export const WsCloseCode = {
  /** RFC 6455: the message is larger than this server accepts (BODY_LIMIT). */
  MessageTooBig: 1009,
  /** RFC 6455: too many sockets, or the server is low on memory; retry later. */
  TryAgainLater: 1013,
  /** graphql-ws: no connection_init within WS_INIT_TIMEOUT_MS. */
  ConnectionInitialisationTimeout: 4408,
} as const;

export interface WsCaps {
  /** WS_MAX_CONNECTIONS: open WebSockets per gateway process (default 1000). */
  maxConnections: number;
  /** WS_MAX_SUBSCRIPTIONS_PER_SOCKET: operations one socket may run at once (default 100). */
  maxSubscriptionsPerSocket: number;
  /** Largest message in bytes (BODY_LIMIT). */
  maxMessageBytes: number;
  memory: MemoryGuard;
}

/** Registers the socket cap; call before graphql-ws attaches, so a refused socket is closed first. */
export function capConnections(wss: WebSocketServer, caps: WsCaps) {
  wss.on("connection", (socket) => {
    if (caps.memory.overloaded()) socket.close(WsCloseCode.TryAgainLater, "server low on memory: retry later");
    else if (wss.clients.size > caps.maxConnections)
      socket.close(WsCloseCode.TryAgainLater, `too many connections (WS_MAX_CONNECTIONS=${caps.maxConnections}): retry later`);
  });
}

/** graphql-ws onSubscribe: refuses an operation past the per-socket cap or while memory is short. */
export function capSubscriptions(caps: WsCaps) {
  return (ctx: { subscriptions: Record<string, unknown> }): GraphQLError[] | undefined => {
    if (caps.memory.overloaded()) return [new GraphQLError(caps.memory.message(), { extensions: { code: ErrorCode.SERVER_OVERLOADED } })];
    // graphql-ws has registered the new operation already: more than the cap means one too many.
    const open = Object.keys(ctx.subscriptions).length;
    if (open > caps.maxSubscriptionsPerSocket) {
      return [
        new GraphQLError(
          `This socket already runs ${caps.maxSubscriptionsPerSocket} operations (WS_MAX_SUBSCRIPTIONS_PER_SOCKET): complete one or open another socket`,
          {
            extensions: {
              code: ErrorCode.SUBSCRIPTION_LIMIT_REACHED,
              limit: "WS_MAX_SUBSCRIPTIONS_PER_SOCKET",
              maxSubscriptionsPerSocket: caps.maxSubscriptionsPerSocket,
            },
          },
        ),
      ];
    }
    return undefined;
  };
}

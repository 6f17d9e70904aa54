// graphql-ws's server (makeServer) on `ws` sockets: graphql-ws's own `useServer` adapter, with three
// changes that matter when one event goes to a thousand sockets (bench:subscription-fanout):
// - a result object is serialised once, however many sockets it goes to: the subscription engine
//   hands every subscriber of a delivery group the same object (shared-results.ts), `onNext` passes
//   that object through, and the message replacer puts the payload's JSON (kept per object) in
//   place of the payload, so only the small envelope ({"id","type","payload"}) is built per socket;
// - messages to a socket within one turn of the event loop leave in one write: the TCP socket is
//   corked at the first send and uncorked on setImmediate (one writev instead of one per message;
//   the syscalls were 30% of the gateway's CPU at 1,000 subscribers);
// - a send does not wait for the kernel to take the data while the socket's buffer holds less than
//   SEND_BUFFER_BYTES. graphql-ws awaits each send before taking the subscriber's next result, so
//   waiting on every write callback (ws calls it after the write, i.e. after the uncork) let a
//   subscriber have one message per turn of the loop. Past the threshold (a client that does not
//   read), sends wait again: the subscriber's queue grows and it is cut off with
//   SUBSCRIBER_TOO_SLOW as before.
// Everything else (keep-alive pings, protocol negotiation, internal errors closing with 4500) is as
// in graphql-ws/use/ws.
import type http from "node:http";
import type { Socket } from "node:net";
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from "graphql-ws";
import type { WebSocket, WebSocketServer } from "ws";

/** Bytes a socket may hold unsent before a send waits for the kernel (a client that keeps up stays far below). */
export const SEND_BUFFER_BYTES = 1 << 20;
const KEEP_ALIVE_MS = 12_000;

/** The JSON of each payload object sent so far (shared results are sent many times). */
const serialised = new WeakMap<object, string>();
/** The JSON the replacer set aside for the message being serialised (send() takes it in the same tick). */
let pendingPayload: string | null = null;
const PLACEHOLDER_TAIL = '"payload":0}';

function replacer(this: unknown, key: string, value: unknown) {
  if (key === "payload" && value !== null && typeof value === "object") {
    let json = serialised.get(value);
    if (json === undefined) {
      json = JSON.stringify(value);
      serialised.set(value, json);
    }
    pendingPayload = json;
    return 0;
  }
  return value;
}

/** The message with the payload set aside by the replacer put back in place of its placeholder. */
function withPayload(data: string): string {
  const payload = pendingPayload;
  pendingPayload = null;
  if (payload === null || !data.endsWith(PLACEHOLDER_TAIL)) return data;
  return data.slice(0, -2) + payload + "}";
}

const ignore = () => {};

export type Extra = { socket: WebSocket; request: http.IncomingMessage };

export function serveGraphqlWs<P extends Record<string, unknown> | undefined, E extends Record<PropertyKey, unknown>>(
  options: ServerOptions<P, Extra & Partial<E>>,
  wss: WebSocketServer,
): { dispose(): Promise<void> } {
  const server = makeServer<P, Extra & Partial<E>>({
    ...options,
    // The result object itself, so the replacer recognises a shared one (graphql-ws would spread it into a new object).
    onNext: (_ctx, _id, _payload, _args, result) => result as never,
    jsonMessageReplacer: replacer,
  });
  wss.options.handleProtocols = handleProtocols;
  wss.once("error", (err) => {
    console.error("Internal error emitted on the WebSocket server.", err);
    for (const client of wss.clients) client.close(CloseCode.InternalServerError, "Internal server error");
  });
  wss.on("connection", (socket, request) => {
    socket.once("error", (err) => {
      console.error("Internal error emitted on a WebSocket socket.", err);
      socket.close(CloseCode.InternalServerError, "Internal server error");
    });
    // The upgrade request's socket is the TCP socket ws writes frames to.
    const tcp: Socket = request.socket;
    let corked = false;
    const uncork = () => {
      corked = false;
      tcp.uncork();
    };
    let pongWait: NodeJS.Timeout | null = null;
    const pingInterval = setInterval(() => {
      if (socket.readyState !== socket.OPEN) return;
      pongWait = setTimeout(() => socket.terminate(), KEEP_ALIVE_MS);
      socket.once("pong", () => {
        if (pongWait) clearTimeout(pongWait);
        pongWait = null;
      });
      socket.ping();
    }, KEEP_ALIVE_MS);
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (message) => {
          const data = withPayload(message);
          if (socket.readyState !== socket.OPEN) return;
          if (!corked) {
            corked = true;
            tcp.cork();
            setImmediate(uncork);
          }
          if (socket.bufferedAmount < SEND_BUFFER_BYTES) return void socket.send(data, ignore);
          return new Promise<void>((resolve, reject) => socket.send(data, (err) => (err ? reject(err) : resolve())));
        },
        close: (code, reason) => socket.close(code, reason),
        onMessage: (cb) =>
          socket.on("message", async (event) => {
            try {
              await cb(String(event));
            } catch (err) {
              console.error("Internal error occurred during message handling.", err);
              socket.close(CloseCode.InternalServerError, "Internal server error");
            }
          }),
      },
      { socket, request } as Extra & Partial<E>,
    );
    socket.once("close", (code, reason) => {
      if (pongWait) clearTimeout(pongWait);
      clearInterval(pingInterval);
      closed(code, String(reason));
    });
  });
  return {
    dispose: async () => {
      for (const client of wss.clients) client.close(1001, "Going away");
      wss.removeAllListeners();
      await new Promise<void>((resolve, reject) => wss.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

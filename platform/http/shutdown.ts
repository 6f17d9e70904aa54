// A graceful stop for every server process (embedded app, gateway, subgraph), in the order a
// supervisor or load balancer needs it:
//   1. readiness turns 503 at once (the caller flips its flag before calling stopServing);
//   2. optionally, keep serving for SHUTDOWN_DELAY_MS so a load balancer that polls readiness takes
//      this replica out before it stops accepting (0 by default: nothing polls in the embedded mode);
//   3. stop accepting connections (a new connection is refused) and close keep-alive connections as
//      soon as they are idle, so a client's next request goes to another replica;
//   4. in-flight requests (GraphQL, ingestion) run to their end, for up to DRAIN_TIMEOUT_MS; what is
//      still running then is cut off (its connection closed) so a stuck request cannot hold the stop.
// WebSocket subscriptions are closed by their owner with 1001 (going away) before step 4, and event
// consumers, ingestion and the store after it (app/embedded.ts and friends).
import type http from "node:http";

export interface ShutdownTiming {
  /** SHUTDOWN_DELAY_MS: keep serving this long after readiness turns 503 (default 0). */
  delayMs: number;
  /** DRAIN_TIMEOUT_MS: longest wait for in-flight requests before their connections are closed (default 10000). */
  drainMs: number;
}

export const DEFAULT_SHUTDOWN: ShutdownTiming = { delayMs: 0, drainMs: 10_000 };

/** Immediate stop (tests, start-up failures): in-flight requests are cut off. */
export const IMMEDIATE_SHUTDOWN: ShutdownTiming = { delayMs: 0, drainMs: 0 };

/**
 * Steps 2–4 above. Resolves when the server has closed: every in-flight request answered, or cut
 * off at the deadline. `cutOff` says how many connections were still busy at the deadline.
 */
export async function stopServing(server: http.Server, timing: ShutdownTiming, beforeDrain?: () => Promise<void>): Promise<{ cutOff: number }> {
  if (timing.delayMs > 0) await new Promise((r) => setTimeout(r, timing.delayMs));
  // Subscribers first: their sockets are upgraded connections that closing idle connections would
  // cut without a close frame (1006); graphql-ws sends 1001 (going away) when asked first.
  await beforeDrain?.();
  let cutOff = 0;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // server.close() stops accepting and closes idle keep-alive connections once; a connection that
  // finishes its request later would otherwise idle on until the client's keep-alive ends.
  server.closeIdleConnections();
  const idle = setInterval(() => server.closeIdleConnections(), 25);
  let deadline: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve) => {
    deadline = setTimeout(() => {
      server.getConnections((_err, count) => {
        cutOff = count ?? 0;
        server.closeAllConnections();
        resolve();
      });
    }, timing.drainMs);
  });
  try {
    await Promise.race([closed, timedOut]);
    await closed;
  } finally {
    clearInterval(idle);
    clearTimeout(deadline);
  }
  return { cutOff };
}

// A real graphql-ws client against the gateway, collecting what a subscription delivers.
import { createClient, type Client, type ClientOptions } from "graphql-ws";
import { adminToken } from "./auth.js";
import WebSocket from "ws";

/** A client sending connection_init { authorization }: the all-scopes test token unless one is given (null: none). */
export function wsClient(httpUrl: string, token?: string | null, options: Partial<ClientOptions> = {}): Client {
  return createClient({
    url: httpUrl.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: async () => (token === null ? {} : { authorization: `Bearer ${token ?? (await adminToken())}` }),
    ...options,
  });
}

export interface Collected<T = any> {
  results: { data?: T; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }[];
  done: Promise<void>;
  /** Resolves when at least n results arrived (rejects after ms). */
  waitFor(n: number, ms?: number): Promise<void>;
  stop(): void;
}

export function collect<T = any>(client: Client, query: string, variables: Record<string, unknown> = {}): Collected<T> {
  const results: Collected<T>["results"] = [];
  let wake: (() => void) | null = null;
  let finish!: () => void;
  let fail!: (e: unknown) => void;
  const done = new Promise<void>((res, rej) => ((finish = res), (fail = rej)));
  done.catch(() => {});
  const stop = client.subscribe<T>(
    { query, variables },
    {
      next: (r) => {
        results.push(r as never);
        wake?.();
      },
      error: (e) => {
        fail(e);
        wake?.();
      },
      complete: () => {
        finish();
        wake?.();
      },
    },
  );
  return {
    results,
    done,
    stop,
    waitFor: async (n, ms = 30_000) => {
      const deadline = Date.now() + ms;
      while (results.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} results within ${ms} ms, got ${results.length}: ${JSON.stringify(results)}`);
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 50);
        });
      }
    },
  };
}

/**
 * Resolves when the gateway's event follower has exactly `n` subscription listeners: each live
 * subscription registers one, so the subscriptions just sent are in place and will see the next
 * change. Waiting for this instead of a fixed pause keeps the tests right on a slow machine.
 */
export async function subscribed(follower: { listenerCount: number } | null | undefined, n: number, ms = 30_000): Promise<void> {
  if (!follower) throw new Error("this gateway has no event follower (no database)");
  const deadline = Date.now() + ms;
  while (follower.listenerCount !== n) {
    if (Date.now() > deadline) throw new Error(`expected ${n} subscription listeners within ${ms} ms, have ${follower.listenerCount}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

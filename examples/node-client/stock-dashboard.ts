// A Node.js service following the graph's stock feed over graphql-ws (the StockDashboard operation
// in ../stock-dashboard.graphql, typed by `npm run codegen`).
//
//   GATEWAY_URL=http://127.0.0.1:4000/graphql npx tsx examples/node-client/stock-dashboard.ts [locationId] [belowAvailable]
//
// Node 20 has no WebSocket in its standard library, so graphql-ws is given the `ws` package's
// (a dependency in package.json next to this file; browsers and Node 22+ need nothing). If the
// connection drops, or the gateway ends the feed because this client fell behind
// (SUBSCRIBER_TOO_SLOW), it subscribes again with `since` set to the last event it handled: the
// gateway replays what was missed, so no change is lost and none is seen twice.
import { print } from "graphql";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { pathToFileURL } from "node:url";
import { StockDashboardDocument, type StockDashboardSubscription, type StockDashboardSubscriptionVariables } from "../generated/graphql.js";

export type StockChange = StockDashboardSubscription["inventoryChanged"];

export interface StockFeedOptions {
  /** The gateway's GraphQL URL (http or ws scheme). */
  url: string;
  /** A bearer token with inventory:read, sent in connection_init (GATEWAY_TOKEN when run as a script). */
  token?: string;
  locationId?: string;
  belowAvailable?: number;
  /** Resume after this event sequence (e.g. one stored before a restart). */
  since?: string;
  onChange(change: StockChange): void;
  onError?(error: unknown): void;
  /** First wait before reconnecting; doubles up to 30 s while the gateway stays unreachable. */
  retryDelayMs?: number;
}

export interface StockFeed {
  /** The sequence of the last change handled: store it to resume from there after a restart. */
  lastSequence(): string | null;
  stop(): Promise<void>;
}

export function followStock(options: StockFeedOptions): StockFeed {
  // One attempt per subscription: reconnecting is done below, with an up-to-date `since`.
  const client: Client = createClient({
    url: options.url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: options.token ? { authorization: `Bearer ${options.token}` } : undefined,
  });
  const query = print(StockDashboardDocument);
  let lastSequence = options.since ?? null;
  let stopped = false;
  let wake: (() => void) | null = null;
  let iterator: AsyncIterableIterator<unknown> | null = null;

  const run = async () => {
    let delay = options.retryDelayMs ?? 1000;
    while (!stopped) {
      const variables: StockDashboardSubscriptionVariables = { locationId: options.locationId, belowAvailable: options.belowAvailable, since: lastSequence };
      try {
        const results = client.iterate<StockDashboardSubscription>({ query, variables });
        iterator = results;
        for await (const { data, errors } of results) {
          delay = options.retryDelayMs ?? 1000;
          const tooSlow = errors?.find((e) => e.extensions?.code === "SUBSCRIBER_TOO_SLOW");
          if (tooSlow) lastSequence = String(tooSlow.extensions!.lastSequence ?? lastSequence);
          else if (errors?.length) options.onError?.(errors);
          // A change whose position could not be fetched (a subgraph down) still arrives, with
          // position null and the reason in errors: the sequence and quantities are real.
          if (data?.inventoryChanged) {
            lastSequence = data.inventoryChanged.sequence;
            options.onChange(data.inventoryChanged);
          }
        }
      } catch (err) {
        if (stopped) break;
        options.onError?.(err);
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, delay);
      });
      delay = Math.min(delay * 2, 30_000);
    }
  };
  const running = run();

  return {
    lastSequence: () => lastSequence,
    stop: async () => {
      stopped = true;
      wake?.();
      await iterator?.return?.();
      await client.dispose();
      await running;
    },
  };
}

// Run as a script: print each change as a line of JSON until Ctrl-C.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [locationId, below] = process.argv.slice(2);
  const feed = followStock({
    url: process.env.GATEWAY_URL || "http://127.0.0.1:4000/graphql",
    token: process.env.GATEWAY_TOKEN,
    locationId,
    belowAvailable: below === undefined ? undefined : Number(below),
    onChange: (c) =>
      console.log(
        JSON.stringify({
          sequence: c.sequence,
          at: c.occurredAt,
          sku: c.position?.sku ?? null,
          location: c.position?.location.name ?? null,
          available: c.after.available,
          reason: c.reason,
        }),
      ),
    onError: (e) => console.error("stock feed:", e instanceof Error ? e.message : JSON.stringify(e)),
  });
  process.once("SIGINT", () => void feed.stop().then(() => console.error(`stopped after sequence ${feed.lastSequence()}`)));
}

// LISTEN/NOTIFY for the event log on either store. PGlite delivers notifications in-process; on
// a PostgreSQL server a dedicated connection listens (a pooled one could be handed elsewhere).
import pg from "pg";
import type { Store } from "../db/adapter.js";
import { EVENT_CHANNEL } from "./event-log.js";

export type Unlisten = () => Promise<void>;

export async function listenForEvents(store: Store, onNotify: (payload: string) => void): Promise<Unlisten> {
  if (store.pglite) {
    return store.pglite.listen(EVENT_CHANNEL, onNotify);
  }
  if (store.config.kind !== "postgres") throw new Error("no way to listen on this store");
  const client = new pg.Client({ connectionString: store.config.url });
  await client.connect();
  client.on("notification", (n) => n.channel === EVENT_CHANNEL && onNotify(n.payload ?? ""));
  // A dropped listener connection must not crash the process: consumers fall back to polling.
  client.on("error", () => {});
  await client.query(`LISTEN ${EVENT_CHANNEL}`);
  return async () => {
    await client.end().catch(() => {});
  };
}

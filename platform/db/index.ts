// Opens the store, applies pending migrations, and returns a ready Prisma client.
import { openStore, type Store } from "./adapter.js";
import { createPrismaClient, type Db } from "./client.js";
import { storeConfigFromEnv, describeStore, type StoreConfig } from "./config.js";
import { applyPendingMigrations } from "../../prisma/schema-engine.js";
import type { StatementLog } from "./statement-counter.js";
import { DEFAULT_DATABASE_TIMEOUTS, type DatabaseTimeouts } from "./timeouts.js";

export type { Db } from "./client.js";
export { storeConfigFromEnv, describeStore };
export type { StoreConfig, DatabaseTimeouts };

export interface Database {
  db: Db;
  store: Store;
  appliedMigrations: string[];
  /** Resolves true when a trivial query succeeds; /health uses it. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export async function openDatabase(
  config: StoreConfig = storeConfigFromEnv(),
  options: { migrate?: boolean; statementLog?: StatementLog; timeouts?: DatabaseTimeouts } = {},
): Promise<Database> {
  const store = await openStore(config, options.timeouts ?? DEFAULT_DATABASE_TIMEOUTS);
  const appliedMigrations = options.migrate === false ? [] : await applyPendingMigrations(store.migrationFactory);
  const db = createPrismaClient(store, options.statementLog);
  return {
    db,
    store,
    appliedMigrations,
    ping: async () => {
      try {
        await db.$queryRaw`SELECT 1`;
        return true;
      } catch {
        return false;
      }
    },
    close: async () => {
      await db.$disconnect();
      await store.close();
    },
  };
}

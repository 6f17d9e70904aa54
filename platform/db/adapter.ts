// Builds the Prisma driver adapter factory for the configured store. PGlite is opened once per
// process and shared: it is a single connection, and two instances on one folder would corrupt it.
import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { StoreConfig } from "./config.js";

export interface Store {
  config: StoreConfig;
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** The PGlite instance in embedded mode (LISTEN/NOTIFY and raw access need it). */
  pglite: PGlite | null;
  close(): Promise<void>;
}

export async function openStore(config: StoreConfig): Promise<Store> {
  if (config.kind === "postgres") {
    const factory = new PrismaPg({ connectionString: config.url, max: 10 });
    return { config, factory, pglite: null, close: async () => {} };
  }
  if (config.dataDir) fs.mkdirSync(config.dataDir, { recursive: true });
  const pglite = config.dataDir ? new PGlite(config.dataDir) : new PGlite();
  await pglite.waitReady;
  const factory = new PrismaPGlite(pglite);
  return {
    config,
    factory,
    pglite,
    close: async () => {
      if (!pglite.closed) await pglite.close();
    },
  };
}

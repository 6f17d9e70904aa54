// Builds the Prisma driver adapter factory for the configured store. PGlite is opened once per
// process and shared: it is a single connection, and two instances on one folder would corrupt it.
import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type pg from "pg";
import type { StoreConfig } from "./config.js";
import type { DatabaseTimeouts } from "./timeouts.js";

export interface Store {
  config: StoreConfig;
  /** For the application: every PostgreSQL connection carries the statement and lock timeouts. */
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** For migrations, which may legitimately run long: no statement or lock timeout. */
  migrationFactory: SqlMigrationAwareDriverAdapterFactory;
  /** The PGlite instance in embedded mode (LISTEN/NOTIFY and raw access need it). */
  pglite: PGlite | null;
  close(): Promise<void>;
}

export async function openStore(config: StoreConfig, timeouts?: DatabaseTimeouts): Promise<Store> {
  if (config.kind === "postgres") {
    // Sent as startup parameters, so every pooled connection has them from its first statement.
    const factory = wholeScripts(
      new PrismaPg({
        connectionString: config.url,
        max: 10,
        ...(timeouts && {
          statement_timeout: timeouts.statementTimeoutMs,
          lock_timeout: timeouts.lockTimeoutMs,
          connectionTimeoutMillis: timeouts.connectTimeoutMs,
        }),
      }),
    );
    // A pool is only created on connect: an unused migration factory costs nothing.
    const migrationFactory = timeouts ? wholeScripts(new PrismaPg({ connectionString: config.url, max: 2 })) : factory;
    return { config, factory, migrationFactory, pglite: null, close: async () => {} };
  }
  if (config.dataDir) fs.mkdirSync(config.dataDir, { recursive: true });
  const pglite = new PGlite({ dataDir: config.dataDir ?? undefined, loadDataDir: config.loadDataDir });
  await pglite.waitReady;
  const factory = new PrismaPGlite(pglite);
  return {
    config,
    factory,
    migrationFactory: factory,
    pglite,
    close: async () => {
      if (!pglite.closed) await pglite.close();
    },
  };
}

/**
 * @prisma/adapter-pg runs a migration script by splitting it at every ";", which breaks function
 * bodies (and any ";" in a comment or string). PostgreSQL runs a multi-statement script itself,
 * as one implicit transaction, when it is sent as one simple query: do that instead.
 */
function wholeScripts(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  // The method is replaced on the adapter itself (no proxy in front of every query).
  const wrap = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    const inner = adapter as unknown as { underlyingDriver(): pg.Pool; onError(e: unknown): never };
    adapter.executeScript = async (script: string) => {
      try {
        await inner.underlyingDriver().query(script);
      } catch (error) {
        inner.onError(error); // the adapter's own error mapping (SQLSTATE and message for the schema engine)
      }
    };
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => wrap(await factory.connect()),
    connectToShadowDb: async () => wrap(await factory.connectToShadowDb()),
  };
}

// Migration CLI: `create <name>` writes a migration from the schema files (no database needed),
// `apply` applies pending ones to the configured store, `status` compares the two.
import fs from "node:fs";
import path from "node:path";
import { storeConfigFromEnv, describeStore } from "../platform/db/config.js";
import { openStore } from "../platform/db/adapter.js";
import { applyPendingMigrations, diffMigrationsToSchema, migrationStatus, migrationsDir } from "./schema-engine.js";

const usage = `usage: tsx prisma/migrate.ts <create NAME | apply | status>`;

async function create(name: string | undefined): Promise<number> {
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error(`create needs a name of lower-case letters, digits and _ (got ${JSON.stringify(name)})\n${usage}`);
    return 2;
  }
  // The diff replays committed migrations on a throwaway in-memory PGlite (the shadow database).
  const store = await openStore({ kind: "pglite", dataDir: null });
  try {
    const sql = await diffMigrationsToSchema(store.factory);
    if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) {
      console.log("No schema change: nothing to create.");
      return 0;
    }
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join(migrationsDir, `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), sql);
    const lock = path.join(migrationsDir, "migration_lock.toml");
    if (!fs.existsSync(lock)) fs.writeFileSync(lock, `# Do not edit by hand.\nprovider = "postgresql"\n`);
    console.log(`Created ${path.relative(process.cwd(), dir)}/migration.sql`);
    return 0;
  } finally {
    await store.close();
  }
}

async function main(): Promise<number> {
  const [command, arg] = process.argv.slice(2);
  if (command === "create") return create(arg);
  if (command !== "apply" && command !== "status") {
    console.error(usage);
    return 2;
  }
  const config = storeConfigFromEnv();
  const store = await openStore(config);
  try {
    if (command === "apply") {
      const applied = await applyPendingMigrations(store.factory);
      console.log(`${describeStore(config)}: ${applied.length ? `applied ${applied.join(", ")}` : "up to date"}`);
      return 0;
    }
    const status = await migrationStatus(store.factory);
    const pending = status.history?.diagnostic === "databaseIsBehind" ? status.history.unappliedMigrationNames : [];
    console.log(JSON.stringify({ store: describeStore(config), ...status }, null, 2));
    return status.history === null && status.failedMigrationNames.length === 0 ? 0 : pending.length ? 1 : 1;
  } finally {
    await store.close();
  }
}

// The WebAssembly engine leaves a timer behind; exit explicitly.
main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);

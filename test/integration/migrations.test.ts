// The migration tooling: committed migrations match the schema files, apply is idempotent and
// recorded in Prisma's table, status reports a store that is behind, and the CLI runs offline.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openStore } from "../../platform/db/adapter.js";
import { applyPendingMigrations, diffMigrationsToSchema, loadMigrationList, migrationStatus } from "../../prisma/schema-engine.js";
import { compiledEntry } from "../helpers/compiled.js";

const run = (args: string[], env: Record<string, string>) =>
  new Promise<{ code: number; out: string }>((resolve) =>
    execFile(process.execPath, [compiledEntry("prisma/migrate.ts"), ...args], { env: { ...process.env, ...env }, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    ),
  );

describe("migrations", () => {
  it("are in step with the Prisma schema files (no change left to migrate)", async () => {
    const store = await openStore({ kind: "pglite", dataDir: null });
    try {
      const sql = await diffMigrationsToSchema(store.factory);
      expect(sql.replace(/^--.*$/gm, "").trim()).toBe("");
    } finally {
      await store.close();
    }
  });

  it("apply once, record every migration, and report a behind store", async () => {
    const store = await openStore({ kind: "pglite", dataDir: null });
    try {
      const names = loadMigrationList().migrationDirectories.map((d) => d.path);
      expect(names.length).toBeGreaterThanOrEqual(2);
      const fresh = await migrationStatus(store.factory);
      expect(fresh.history).toEqual({ diagnostic: "databaseIsBehind", unappliedMigrationNames: names });
      expect(await applyPendingMigrations(store.factory)).toEqual(names);
      expect(await applyPendingMigrations(store.factory)).toEqual([]);
      const after = await migrationStatus(store.factory);
      expect(after.history).toBeNull();
      expect(after.failedMigrationNames).toEqual([]);
      const rows = await store.pglite!.query<{ migration_name: string }>(`SELECT migration_name FROM _prisma_migrations ORDER BY migration_name`);
      expect(rows.rows.map((r) => r.migration_name)).toEqual(names);
      const schemas = await store.pglite!.query<{ nspname: string }>(
        `SELECT nspname FROM pg_namespace WHERE nspname IN ('orders','inventory','finance','shipments','platform') ORDER BY 1`,
      );
      expect(schemas.rows.map((r) => r.nspname)).toEqual(["finance", "inventory", "orders", "platform", "shipments"]);
    } finally {
      await store.close();
    }
  });

  it("runs as a command: status exits 1 when behind, apply, then status exits 0; create finds nothing to do", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migrate-cli-"));
    try {
      const env = { DATA_DIR: dir, DATABASE_URL: "" };
      const behind = await run(["status"], env);
      expect(behind.code).toBe(1);
      expect(behind.out).toContain("databaseIsBehind");
      const apply = await run(["apply"], env);
      expect(apply.code).toBe(0);
      expect(apply.out).toMatch(/applied \d+_init/);
      const status = await run(["status"], env);
      expect(status.code).toBe(0);
      const create = await run(["create", "nothing_new"], env);
      expect(create.code).toBe(0);
      expect(create.out).toContain("No schema change");
      const badName = await run(["create", "Bad Name"], env);
      expect(badName.code).toBe(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // Five CLI runs, each starting the WebAssembly schema engine: on a loaded 2-core machine one
    // takes 10-20 s, so the default 60 s is too tight a ceiling.
  }, 180_000);
});

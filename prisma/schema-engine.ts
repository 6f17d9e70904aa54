// Offline migrations: Prisma 7's migrate CLI needs a native schema engine that cannot be
// downloaded on a machine that only reaches the npm registry, so we drive the WebAssembly build
// of the same engine through a driver adapter (PGlite or PostgreSQL) ourselves.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import * as engineBindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { SchemaEngine as SchemaEngineType, MigrationList } from "@prisma/schema-engine-wasm";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { projectPath } from "../platform/project-root.js";

// Read from the source tree also when running from dist/: `create` must write where migrations are committed.
export const schemaDir = projectPath("prisma", "schema");
export const migrationsDir = projectPath("prisma", "migrations");
const noFilter = { externalTables: [], externalEnums: [] };

// The package's entry imports the .wasm file as an ES module, which Node cannot load; we
// instantiate the module ourselves against its JavaScript bindings (what a bundler would do).
let engineReady: Promise<typeof engineBindings> | null = null;
function loadEngine(): Promise<typeof engineBindings> {
  engineReady ??= (async () => {
    const wasmPath = path.join(path.dirname(createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm")), "schema_engine_bg.wasm");
    const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmPath), {
      "./schema_engine_bg.js": engineBindings as unknown as WebAssembly.ModuleImports,
    });
    const exports = instance.exports as unknown as { __wbindgen_start(): void };
    engineBindings.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
    return engineBindings;
  })();
  return engineReady;
}

export function loadSchemaFiles(): { path: string; content: string }[] {
  return fs
    .readdirSync(schemaDir)
    .filter((f) => f.endsWith(".prisma"))
    .sort()
    .map((f) => ({ path: path.join(schemaDir, f), content: fs.readFileSync(path.join(schemaDir, f), "utf8") }));
}

export function loadMigrationList(): MigrationList {
  const dirs = fs.existsSync(migrationsDir)
    ? fs
        .readdirSync(migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  return {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((name) => {
      const file = path.join(migrationsDir, name, "migration.sql");
      return {
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: fs.existsSync(file) ? { tag: "ok" as const, value: fs.readFileSync(file, "utf8") } : { tag: "error" as const, value: `${file} is missing` },
        },
      };
    }),
  };
}

export async function withSchemaEngine<T>(factory: SqlMigrationAwareDriverAdapterFactory, fn: (engine: SchemaEngineType) => Promise<T>): Promise<T> {
  const datamodels = loadSchemaFiles().map((f) => [f.path, f.content] as [string, string]);
  const logs: string[] = [];
  const { SchemaEngine } = await loadEngine();
  const engine = await SchemaEngine.new({ datamodels }, (log: string) => logs.push(log), bindMigrationAwareSqlAdapterFactory(factory));
  try {
    return await fn(engine);
  } catch (err) {
    throw new Error(`schema engine: ${describeEngineError(err)}`, { cause: err });
  } finally {
    engine.free();
  }
}

function describeEngineError(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === "object" && err && "message" in err) return String((err as { message: unknown }).message);
  return JSON.stringify(err);
}

/** Applies every migration not yet in _prisma_migrations; returns the names applied. */
export async function applyPendingMigrations(factory: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  return withSchemaEngine(factory, async (engine) => {
    const out = await engine.applyMigrations({ migrationsList: loadMigrationList(), filters: noFilter });
    return out.appliedMigrationNames;
  });
}

/** SQL that takes the committed migrations to the current schema files; empty when in step. */
export async function diffMigrationsToSchema(factory: SqlMigrationAwareDriverAdapterFactory): Promise<string> {
  return withSchemaEngine(factory, async (engine) => {
    const list = loadMigrationList();
    const from = list.migrationDirectories.length ? ({ tag: "migrations", ...list } as const) : ({ tag: "empty" } as const);
    const result = await engine.diff({
      from,
      to: { tag: "schemaDatamodel", files: loadSchemaFiles() },
      script: true,
      exitCode: null,
      filters: noFilter,
    });
    return result.stdout ?? "";
  });
}

export async function migrationStatus(factory: SqlMigrationAwareDriverAdapterFactory) {
  return withSchemaEngine(factory, (engine) =>
    engine.diagnoseMigrationHistory({ migrationsList: loadMigrationList(), optInToShadowDatabase: false, filters: noFilter }),
  );
}

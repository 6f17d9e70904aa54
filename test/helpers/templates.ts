// Seeded databases made once per test run (once per change of the migrations or the demo data, for
// PGlite) and copied for each test file, instead of every file migrating and loading the demo data
// itself: PGlite's initdb alone costs seconds per instance, the demo data set ~10 s on PGlite.
//   PGlite: a dump of the data folder (dumpDataDir) that each test file loads into memory.
//   PostgreSQL: template databases; each test file's database is CREATE DATABASE ... TEMPLATE.
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { openStore } from "../../platform/db/adapter.js";
import { createPrismaClient } from "../../platform/db/client.js";
import { applyPendingMigrations } from "../../prisma/schema-engine.js";
import { loadDemoData } from "../../demo/load.js";
import { projectPath } from "../../platform/project-root.js";
import { compiledEntry } from "./compiled.js";

/** A migrated empty store and a migrated store with the demo data set. */
export type TemplateKind = "migrated" | "demo";
export type Templates = Record<TemplateKind, string>;

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Changes whenever what the templates contain could change. */
function templateKey(): string {
  const hash = crypto.createHash("sha256");
  const inputs = [
    ...filesUnder(projectPath("prisma", "migrations")),
    ...filesUnder(projectPath("demo")),
    projectPath("node_modules", "@electric-sql", "pglite", "package.json"),
  ].sort();
  for (const file of inputs) hash.update(path.relative(projectPath(), file)).update(fs.readFileSync(file));
  return hash.digest("hex").slice(0, 16);
}

/** PGlite dumps (tar files), cached in node_modules/.cache across runs. Returns their paths. */
export async function pgliteTemplates(): Promise<Templates> {
  const dir = projectPath("node_modules", ".cache", "graph-test-templates", templateKey());
  const files: Templates = { migrated: path.join(dir, "pglite-migrated.tar"), demo: path.join(dir, "pglite-demo.tar") };
  if (fs.existsSync(files.migrated) && fs.existsSync(files.demo)) return files;
  fs.mkdirSync(dir, { recursive: true });
  const store = await openStore({ kind: "pglite", dataDir: null });
  const save = async (file: string) => {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, Buffer.from(await (await store.pglite!.dumpDataDir("none")).arrayBuffer()));
    fs.renameSync(tmp, file);
  };
  try {
    await applyPendingMigrations(store.factory);
    await save(files.migrated);
    const db = createPrismaClient(store);
    await loadDemoData(db);
    await db.$disconnect();
    await save(files.demo);
  } finally {
    await store.close();
  }
  return files;
}

/** Template databases on a PostgreSQL server; returns their names and a function that drops them. */
export async function postgresTemplates(adminUrl: string): Promise<{ names: Templates; drop(): Promise<void> }> {
  const suffix = crypto.randomBytes(4).toString("hex");
  const names: Templates = { migrated: `graph_template_migrated_${suffix}`, demo: `graph_template_demo_${suffix}` };
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  const urlOf = (name: string) => adminUrl.replace(/\/[^/]*$/, `/${name}`);
  // Seeded by the project's own commands as processes (npm run db:migrate, npm run db:seed): when
  // they exit, no session is left on the template, which CREATE DATABASE ... TEMPLATE requires.
  await admin((c) => c.query(`CREATE DATABASE ${names.migrated}`));
  await runCommand("prisma/migrate.ts", ["apply"], urlOf(names.migrated));
  await admin((c) => c.query(`CREATE DATABASE ${names.demo} TEMPLATE ${names.migrated}`));
  await runCommand("scripts/seed-demo.ts", [], urlOf(names.demo));
  return {
    names,
    drop: () =>
      admin(
        async (c) =>
          void (await c.query(`DROP DATABASE IF EXISTS ${names.demo} WITH (FORCE)`), await c.query(`DROP DATABASE IF EXISTS ${names.migrated} WITH (FORCE)`)),
      ),
  };
}

function runCommand(entry: string, args: string[], databaseUrl: string): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [compiledEntry(entry), ...args],
      { cwd: projectPath(), env: { ...process.env, DATABASE_URL: databaseUrl } },
      (err, stdout, stderr) => (err ? reject(new Error(`${entry} ${args.join(" ")} failed: ${stdout}${stderr}`)) : resolve()),
    ),
  );
}

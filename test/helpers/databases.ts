// A fresh database per test file, copied from a template the global setup seeded: in-memory PGlite
// loaded from a dump, or a new database on the PostgreSQL server made with CREATE DATABASE ...
// TEMPLATE. `demo: true` starts with the demo data set (test/helpers/templates.ts).
import fs from "node:fs";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { openDatabase, type Database } from "../../platform/db/index.js";
import { createStatementLog, type StatementLog } from "../../platform/db/statement-counter.js";
import { DEFAULT_DATABASE_TIMEOUTS, type DatabaseTimeouts } from "../../platform/db/timeouts.js";
import type { TemplateKind } from "./templates.js";

export type StoreKind = "pglite" | "postgres";

export interface TestDatabase extends Database {
  statements: StatementLog;
  /** For postgres: the URL other processes can use to reach the same database. */
  url: string | null;
}

export const postgresAvailable = () => inject("postgresAdminUrl") !== "";

/** The seeded PGlite data folder as a dump, for stores opened on a folder of their own. */
export const pgliteTemplateDump = (template: TemplateKind = "migrated") => new Blob([fs.readFileSync(inject("pgliteTemplates")[template])]);

export async function createTestDatabase(kind: StoreKind, options: { demo?: boolean; timeouts?: Partial<DatabaseTimeouts> } = {}): Promise<TestDatabase> {
  const template: TemplateKind = options.demo ? "demo" : "migrated";
  const statements = createStatementLog();
  if (kind === "pglite") {
    const database = await openDatabase(
      { kind: "pglite", dataDir: null, loadDataDir: pgliteTemplateDump(template) },
      { statementLog: statements, migrate: false },
    );
    return { ...database, statements, url: null };
  }
  const adminUrl = inject("postgresAdminUrl");
  const templates = inject("postgresTemplates");
  if (!templates) throw new Error("no PostgreSQL server for this run (SKIP_POSTGRES_TESTS=1?)");
  const name = `graph_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${templates[template]}`);
  await admin.end();
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  const database = await openDatabase(
    { kind: "postgres", url },
    { statementLog: statements, migrate: false, timeouts: { ...DEFAULT_DATABASE_TIMEOUTS, ...options.timeouts } },
  );
  return {
    ...database,
    statements,
    url,
    close: async () => {
      await database.close();
      const drop = new pg.Client({ connectionString: adminUrl });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    },
  };
}

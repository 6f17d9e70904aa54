// A fresh, migrated database per test file: in-memory PGlite, or a new database on the
// PostgreSQL server the global setup started.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { openDatabase, type Database } from "../../platform/db/index.js";
import { createStatementLog, type StatementLog } from "../../platform/db/statement-counter.js";
import { DEFAULT_DATABASE_TIMEOUTS, type DatabaseTimeouts } from "../../platform/db/timeouts.js";

export type StoreKind = "pglite" | "postgres";

export interface TestDatabase extends Database {
  statements: StatementLog;
  /** For postgres: the URL other processes can use to reach the same database. */
  url: string | null;
}

export const postgresAvailable = () => inject("postgresAdminUrl") !== "";

export async function createTestDatabase(kind: StoreKind, timeouts: Partial<DatabaseTimeouts> = {}): Promise<TestDatabase> {
  const statements = createStatementLog();
  if (kind === "pglite") {
    const database = await openDatabase({ kind: "pglite", dataDir: null }, { statementLog: statements });
    return { ...database, statements, url: null };
  }
  const adminUrl = inject("postgresAdminUrl");
  const name = `graph_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  const database = await openDatabase({ kind: "postgres", url }, { statementLog: statements, timeouts: { ...DEFAULT_DATABASE_TIMEOUTS, ...timeouts } });
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

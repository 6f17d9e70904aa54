// Vitest global setup: one PostgreSQL server for the whole run (each test file creates its own
// database on it, copied from a seeded template), and the seeded PGlite dumps. SKIP_POSTGRES_TESTS=1
// skips the PostgreSQL suites on a machine without the binaries; otherwise their absence is an
// error, so CI cannot pass without them by accident.
import type { TestProject } from "vitest/node";
import { findPostgresBin, startPostgres, type PostgresServer } from "./postgres-server.js";
import { pgliteTemplates, postgresTemplates, type Templates } from "./templates.js";

let server: PostgresServer | null = null;
let dropTemplates: (() => Promise<void>) | null = null;

async function postgres(): Promise<{ adminUrl: string; templates: Templates | null }> {
  let adminUrl = process.env.TEST_DATABASE_URL ?? "";
  if (!adminUrl && process.env.SKIP_POSTGRES_TESTS !== "1") {
    const bin = findPostgresBin();
    if (!bin) {
      throw new Error(
        "PostgreSQL server binaries not found (looked in PG_BIN and /usr/lib/postgresql/*/bin). " +
          "Install them (apt-get install postgresql), point TEST_DATABASE_URL at a server, or set SKIP_POSTGRES_TESTS=1.",
      );
    }
    server = await startPostgres(bin);
    adminUrl = server.url("postgres");
  }
  if (!adminUrl) return { adminUrl, templates: null };
  const templates = await postgresTemplates(adminUrl);
  dropTemplates = templates.drop;
  return { adminUrl, templates: templates.names };
}

export async function setup(project: TestProject) {
  // Both stores' templates are made at the same time: the PostgreSQL work is mostly the server's.
  const [pgResult, pglite] = await Promise.all([postgres(), pgliteTemplates()]);
  project.provide("postgresAdminUrl", pgResult.adminUrl);
  project.provide("postgresTemplates", pgResult.templates);
  project.provide("pgliteTemplates", pglite);
}

export async function teardown() {
  await dropTemplates?.();
  await server?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    postgresTemplates: Templates | null;
    pgliteTemplates: Templates;
  }
}

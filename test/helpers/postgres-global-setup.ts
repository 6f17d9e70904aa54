// Vitest global setup: one PostgreSQL server for the whole run; each test file creates its own
// database on it. SKIP_POSTGRES_TESTS=1 skips the PostgreSQL suites on a machine without the
// binaries; otherwise their absence is an error, so CI cannot pass without them by accident.
import type { TestProject } from "vitest/node";
import { findPostgresBin, startPostgres, type PostgresServer } from "./postgres-server.js";

let server: PostgresServer | null = null;

export async function setup(project: TestProject) {
  if (process.env.TEST_DATABASE_URL) {
    project.provide("postgresAdminUrl", process.env.TEST_DATABASE_URL);
    return;
  }
  if (process.env.SKIP_POSTGRES_TESTS === "1") {
    project.provide("postgresAdminUrl", "");
    return;
  }
  const bin = findPostgresBin();
  if (!bin) {
    throw new Error(
      "PostgreSQL server binaries not found (looked in PG_BIN and /usr/lib/postgresql/*/bin). " +
        "Install them (apt-get install postgresql), point TEST_DATABASE_URL at a server, or set SKIP_POSTGRES_TESTS=1.",
    );
  }
  server = await startPostgres(bin);
  project.provide("postgresAdminUrl", server.url("postgres"));
}

export async function teardown() {
  await server?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

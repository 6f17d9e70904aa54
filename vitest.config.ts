import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Vitest would otherwise load graphql's ESM build next to the CommonJS one the Apollo packages
    // require ("Cannot use GraphQLSchema from another realm"): pin everything to one entry.
    alias: { graphql: require.resolve("graphql/index.js") },
  },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/helpers/postgres-global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Two cores: more workers only make the PostgreSQL and PGlite suites fight for CPU.
    maxWorkers: 2,
    pool: "forks",
    // The subscription leak test measures the heap after a forced collection.
    execArgv: ["--expose-gc"],
  },
});

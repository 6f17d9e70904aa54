import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";
import HeaviestFirstSequencer from "./test/helpers/heaviest-first-sequencer.js";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Vitest would otherwise load graphql's ESM build next to the CommonJS one the Apollo packages
    // require ("Cannot use GraphQLSchema from another realm"): pin everything to one entry.
    alias: { graphql: require.resolve("graphql/index.js") },
  },
  test: {
    include: ["test/**/*.test.ts"],
    // Compiled commands first (tests start them as processes), then the stores and their templates.
    globalSetup: ["test/helpers/build-global-setup.ts", "test/helpers/postgres-global-setup.ts"],
    // A failsafe, not a speed limit: on a busy 2-core machine the data-heavy tests take several
    // times longer than on an idle one, and that must not fail them. Tests wait for conditions.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Two cores: more workers only make the PostgreSQL and PGlite suites fight for CPU.
    maxWorkers: 2,
    sequence: { sequencer: HeaviestFirstSequencer },
    pool: "forks",
    // Each worker keeps its loaded modules from one file to the next instead of importing the
    // whole application again per file (88 s of the suite's 310 s on this machine went to
    // imports). Files share a worker's module state, so tests must not depend on a fresh
    // registry (metrics are compared as deltas over all matching series) or leave servers open.
    isolate: false,
    // The subscription leak test measures the heap after a forced collection.
    execArgv: ["--expose-gc"],
  },
});

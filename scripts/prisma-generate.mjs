// `npm run db:generate` (and after `npm install`): generates the Prisma client offline. Plain
// JavaScript because it runs before anything is compiled. The CLI tries to download a schema
// engine before generating, which fails on a machine that reaches only the npm registry; pointing
// PRISMA_SCHEMA_ENGINE_BINARY at any existing file skips that, and generation itself needs no engine.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
let prismaCli;
try {
  prismaCli = require.resolve("prisma/build/index.js");
} catch {
  console.error(
    "The prisma CLI is not installed (an install without dev dependencies?): cannot generate the Prisma client. Run npm install, or use the built image.",
  );
  process.exit(1);
}
const result = spawnSync(process.execPath, [prismaCli, "generate"], {
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    CHECKPOINT_DISABLE: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  },
});
process.exit(result.status ?? 1);

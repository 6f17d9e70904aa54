// Prisma CLI configuration. Only `prisma generate` uses the CLI here; migrations go through
// prisma/migrate.ts (WebAssembly schema engine), which works without downloading an engine.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema",
  migrations: { path: "prisma/migrations" },
});

// Vitest global setup: brings dist/ up to date with the sources before any test starts a compiled
// command (test/helpers/compiled.ts) or opens a built page (the console and GraphiQL tests). Nothing
// is done when the last build is newer than every source.
import { spawnSync } from "node:child_process";
import { projectPath } from "../../platform/project-root.js";

export function setup() {
  const result = spawnSync(process.execPath, [projectPath("scripts", "build.mjs"), "server", "web", "--if-stale"], { cwd: projectPath(), stdio: "inherit" });
  if (result.status !== 0) throw new Error("npm run build failed: the tests that start compiled commands or open built pages cannot run");
}

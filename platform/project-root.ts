// The project's folder, whether this code runs from source (tsx, vitest) or compiled in dist/.
// Files the code reads at run time (subgraph SDL, Prisma schema and migrations, built web apps)
// are resolved from here, so they exist once, in the source tree, and `db:migrate:create`
// writes new migrations where they are committed rather than into dist/.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${start}: cannot locate the project folder`);
  }
}

export const projectRoot = findRoot(path.dirname(fileURLToPath(import.meta.url)));

/** A path inside the project folder, e.g. projectPath("prisma", "migrations"). */
export const projectPath = (...segments: string[]) => path.join(projectRoot, ...segments);

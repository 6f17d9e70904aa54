// `npm run codegen:check`: fails when a committed generated file (subgraph resolver types, client
// example documents) differs from what `npm run codegen` would write now, listing the stale files.
// Nothing is written.
import fs from "node:fs";
import path from "node:path";
import { generate } from "@graphql-codegen/cli";
import config from "../codegen.ts";
import { projectPath } from "../platform/project-root.js";

const outputs = (await generate({ ...config, cwd: projectPath(), silent: true }, false)) as { filename: string; content: string }[];
const stale = outputs.filter(({ filename, content }) => {
  const file = path.resolve(projectPath(), filename);
  return !fs.existsSync(file) || fs.readFileSync(file, "utf8") !== content;
});
if (stale.length) {
  console.error(`Generated files are stale; run npm run codegen and commit:\n${stale.map((o) => `  ${o.filename}`).join("\n")}`);
  process.exit(1);
}
console.log(`${outputs.length} generated files are up to date`);

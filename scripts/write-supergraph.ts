// `npm run supergraph`: writes the composed supergraph to supergraph.graphql (committed, so schema
// changes show in review). URLs are the distributed defaults; override with <NAME>_URL variables.
// `npm run supergraph -- --check` exits 1 when the committed file is out of date.
import fs from "node:fs";
import { composeOwnSupergraph } from "../app/supergraph.js";
import { subgraphUrlsFromEnv } from "../app/config.js";
import { projectPath } from "../platform/project-root.js";

const file = projectPath("supergraph.graphql");
const sdl = composeOwnSupergraph(subgraphUrlsFromEnv({})) + "\n";
if (process.argv.includes("--check")) {
  const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  if (current !== sdl) {
    console.error("supergraph.graphql is out of date: run npm run supergraph");
    process.exit(1);
  }
  console.log("supergraph.graphql is up to date");
} else {
  fs.writeFileSync(file, sdl);
  console.log(`Wrote supergraph.graphql (${sdl.length} bytes)`);
}

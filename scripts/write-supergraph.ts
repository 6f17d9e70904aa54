// `npm run supergraph`: writes the composed supergraph to supergraph.graphql (committed, so schema
// changes show in review), with the subgraph URLs from <NAME>_URL (ORDERS_URL, ERP_FINANCE_URL…;
// unset ones keep their defaults). `-- --out <file>` writes elsewhere, e.g. a deployment's
// supergraph for SUPERGRAPH_FILE.
// `npm run supergraph -- --check` exits 1 when the committed file is out of date. It always
// compares with the default URLs, whatever the environment says: the committed file is the
// contract CI checks, not one deployment's addresses.
import fs from "node:fs";
import path from "node:path";
import { composeOwnSupergraph } from "../app/supergraph.js";
import { subgraphUrlsFromEnv, subgraphUrlVariable } from "../app/config.js";
import { subgraphNames } from "../subgraphs/catalog.js";
import { projectPath } from "../platform/project-root.js";

const committed = projectPath("supergraph.graphql");
const args = process.argv.slice(2);

if (args.includes("--check")) {
  const sdl = composeOwnSupergraph(subgraphUrlsFromEnv({})) + "\n";
  const current = fs.existsSync(committed) ? fs.readFileSync(committed, "utf8") : "";
  if (current !== sdl) {
    console.error("supergraph.graphql is out of date: run npm run supergraph (with no <NAME>_URL set)");
    process.exit(1);
  }
  console.log("supergraph.graphql is up to date");
} else {
  const outIndex = args.indexOf("--out");
  if (outIndex >= 0 && !args[outIndex + 1]) {
    console.error("usage: npm run supergraph [-- --out <file>] [-- --check]");
    process.exit(2);
  }
  const file = outIndex >= 0 ? path.resolve(args[outIndex + 1]) : committed;
  const sdl = composeOwnSupergraph(subgraphUrlsFromEnv(process.env)) + "\n";
  fs.writeFileSync(file, sdl);
  const overridden = subgraphNames.map(subgraphUrlVariable).filter((v) => process.env[v]);
  console.log(`Wrote ${outIndex >= 0 ? file : "supergraph.graphql"} (${sdl.length} bytes)${overridden.length ? ` with ${overridden.join(", ")}` : ""}`);
  if (outIndex < 0 && overridden.length)
    console.warn("supergraph.graphql now holds non-default URLs: `npm run supergraph -- --check` (CI) will fail until it is rewritten without them");
}

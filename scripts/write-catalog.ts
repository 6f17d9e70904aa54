// `npm run catalog`: writes docs/api-catalog.md from the composed supergraph (committed, so API
// changes show in review). `-- --check` exits 1 when the committed file is out of date.
import fs from "node:fs";
import { buildCatalog, catalogMarkdown } from "../gateway/governance/catalog.js";
import { composeOwnSupergraph } from "../app/supergraph.js";
import { subgraphUrlsFromEnv } from "../app/config.js";
import { projectPath } from "../platform/project-root.js";

const file = projectPath("docs", "api-catalog.md");
const markdown = catalogMarkdown(buildCatalog(composeOwnSupergraph(subgraphUrlsFromEnv({}))));
if (process.argv.includes("--check")) {
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== markdown) {
    console.error("docs/api-catalog.md is out of date: run npm run catalog");
    process.exit(1);
  }
  console.log("docs/api-catalog.md is up to date");
} else {
  fs.writeFileSync(file, markdown);
  console.log(`Wrote docs/api-catalog.md (${markdown.length} bytes)`);
}

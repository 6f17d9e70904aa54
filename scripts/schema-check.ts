// `npm run schema:check`: composes the subgraphs' SDL and compares the result with the supergraph
// the consumers have: supergraph.graphql as committed on the base branch (SCHEMA_CHECK_BASE, a git
// ref; default: the merge base with main, else HEAD). Fails (exit 1) on a breaking change to an
// element that was not deprecated first. (That the committed file is current is
// `npm run supergraph -- --check`'s job.)
import fs from "node:fs";
import { execFileSync } from "node:child_process";
import { checkSchemaChange } from "../gateway/governance/breaking-changes.js";
import { composeOwnSupergraph } from "../app/supergraph.js";
import { subgraphUrlsFromEnv } from "../app/config.js";

function git(...args: string[]): string | null {
  try {
    return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

function baseSupergraph(): { ref: string; sdl: string } {
  const explicit = process.env.SCHEMA_CHECK_BASE;
  const ref = explicit || (git("rev-parse", "--verify", "--quiet", "main") && git("merge-base", "HEAD", "main")) || "HEAD";
  const sdl = git("show", `${ref}:supergraph.graphql`);
  if (sdl == null) {
    if (explicit) throw new Error(`supergraph.graphql is not in ${explicit}`);
    return { ref: "the working tree", sdl: fs.readFileSync("supergraph.graphql", "utf8") };
  }
  return { ref, sdl };
}

const composed = composeOwnSupergraph(subgraphUrlsFromEnv({}));
const base = baseSupergraph();
const result = await checkSchemaChange(base.sdl, composed);
const line = (c: { path?: string; message: string }) => `  - ${c.message}${c.path ? ` (${c.path})` : ""}`;
console.log(`Schema check against supergraph.graphql in ${base.ref}`);
if (result.other.length) console.log(`Other changes (not breaking):\n${result.other.map(line).join("\n")}`);
if (result.afterDeprecation.length) console.log(`Removed or changed after deprecation (allowed):\n${result.afterDeprecation.map(line).join("\n")}`);
let failed = false;
if (result.breaking.length) {
  console.error(`BREAKING changes (deprecate first, remove in a later release):\n${result.breaking.map(line).join("\n")}`);
  failed = true;
}
if (!failed) console.log("No breaking changes.");
process.exit(failed ? 1 : 0);

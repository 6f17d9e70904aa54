// .env.example and the README's configuration table list every environment variable the code
// reads, so a new setting cannot ship undocumented.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { subgraphNames } from "../../subgraphs/catalog.js";
import { subgraphUrlVariable } from "../../app/config.js";
import { projectPath } from "../../platform/project-root.js";

const sourceDirs = ["app", "gateway", "platform", "subgraphs", "prisma", "scripts", "demo", "test/helpers"];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(projectPath(dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" ? [] : sourceFiles(rel);
    return /\.(ts|mjs)$/.test(e.name) ? [rel] : [];
  });
}

/** Names read as env.NAME / env["NAME"], and names handed to app/config.ts's readers as strings. */
function variablesReadByCode(): Set<string> {
  const names = new Set<string>(subgraphNames.map(subgraphUrlVariable));
  for (const file of sourceDirs.flatMap(sourceFiles)) {
    const text = fs.readFileSync(projectPath(file), "utf8");
    for (const m of text.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]*)|\[["'`]([A-Z][A-Z0-9_]*)["'`]\])/g)) names.add(m[1] ?? m[2]);
    // app/config.ts hands names to small readers: int("EVENT_POLL_MS", …), duration("DB_LOCK_TIMEOUT", …),
    // wholeNumber(env, "OPERATION_TIMEOUT_MS", …).
    if (file === path.join("app", "config.ts")) for (const m of text.matchAll(/\b\w+\(\s*(?:env,\s*)?"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"/g)) names.add(m[1]);
  }
  return names;
}

describe("environment variables", () => {
  const read = variablesReadByCode();

  it("finds the settings the code reads (the scan itself works)", () => {
    for (const known of [
      "DATABASE_URL",
      "DATA_DIR",
      "PORT",
      "EVENT_POLL_MS",
      "SUBSCRIPTION_BUFFER",
      "ERP_FINANCE_URL",
      "GRAPHQL_IDE",
      "TEST_DATABASE_URL",
      "DB_LOCK_TIMEOUT",
      "OPERATION_TIMEOUT_MS",
      "WS_MAX_CONNECTIONS",
    ])
      expect(read).toContain(known);
  });

  it("are all listed in .env.example with a default or an empty value", () => {
    const example = fs.readFileSync(projectPath(".env.example"), "utf8");
    const listed = new Set([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    expect([...read].filter((name) => !listed.has(name)).sort()).toEqual([]);
  });

  it("are all in the README's configuration table", () => {
    const readme = fs.readFileSync(projectPath("README.md"), "utf8");
    const table = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("\n## ", readme.indexOf("## Configuration") + 5));
    expect([...read].filter((name) => !table.includes(`\`${name}\``)).sort()).toEqual([]);
  });

  it("lists every benchmark setting (BENCH_*, read only by bench/) in .env.example's benchmark section", () => {
    const example = fs.readFileSync(projectPath(".env.example"), "utf8");
    const section = example.slice(example.indexOf("# --- Benchmarks"));
    const benchFiles = fs.readdirSync(projectPath("bench")).filter((f) => f.endsWith(".ts"));
    const used = new Set(
      benchFiles.flatMap((f) => [...fs.readFileSync(projectPath(path.join("bench", f)), "utf8").matchAll(/\b(BENCH_[A-Z0-9_]+)\b/g)].map((m) => m[1])),
    );
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((name) => !new RegExp(`\\b${name}\\b`).test(section)).sort()).toEqual([]);
  });
});

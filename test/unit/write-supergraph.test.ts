// `npm run supergraph` honours <NAME>_URL (a supergraph for other hosts and ports can be written
// with it), while `--check` compares the committed file with the default URLs whatever the
// environment says, so CI's check does not depend on where it runs.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const run = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, ["--import", "tsx", "scripts/write-supergraph.ts", ...args], { cwd: root, env: { ...process.env, ...env }, encoding: "utf8" });

describe("npm run supergraph", () => {
  it("writes the subgraph URLs given by <NAME>_URL", () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "supergraph-")), "supergraph.graphql");
    const res = run(["--out", out], { ORDERS_URL: "http://orders.internal:7001/graphql", ERP_FINANCE_URL: "http://finance.internal:7003/graphql" });
    expect(res.status, res.stderr).toBe(0);
    const sdl = fs.readFileSync(out, "utf8");
    expect(sdl).toContain('@join__graph(name: "orders", url: "http://orders.internal:7001/graphql")');
    expect(sdl).toContain('@join__graph(name: "erp-finance", url: "http://finance.internal:7003/graphql")');
    // Variables left unset keep their defaults.
    expect(sdl).toContain('@join__graph(name: "inventory", url: "http://127.0.0.1:4002/graphql")');
  });

  it("--check compares the committed file with the defaults, whatever <NAME>_URL says", () => {
    const committed = fs.readFileSync(path.join(root, "supergraph.graphql"), "utf8");
    const res = run(["--check"], { ORDERS_URL: "http://orders.internal:7001/graphql" });
    expect(res.status, res.stderr + res.stdout).toBe(0);
    expect(res.stdout).toContain("up to date");
    expect(fs.readFileSync(path.join(root, "supergraph.graphql"), "utf8")).toBe(committed);
  });
});

// Every door of the graph is declared: each root field of the committed supergraph (what the
// gateway serves) needs a token (@authenticated) or names its scopes (@requiresScopes), and every
// scope named anywhere is one the graph knows (a typo would lock everyone out of a field).
import fs from "node:fs";
import { Kind, parse, type DirectiveNode } from "graphql";
import { describe, expect, it } from "vitest";
import { allScopes } from "../../platform/auth/scopes.js";

const supergraph = parse(fs.readFileSync(new URL("../../supergraph.graphql", import.meta.url), "utf8"));
const isGuard = (d: DirectiveNode) => d.name.value === "authenticated" || d.name.value === "requiresScopes";

describe("root fields of the supergraph", () => {
  it("each declare @authenticated or @requiresScopes", () => {
    const unguarded: string[] = [];
    let roots = 0;
    for (const def of supergraph.definitions) {
      if (def.kind !== Kind.OBJECT_TYPE_DEFINITION || !["Query", "Mutation", "Subscription"].includes(def.name.value)) continue;
      for (const field of def.fields ?? []) {
        // Federation's own entry points (_entities, _service) are not served by the gateway.
        if (field.name.value.startsWith("_")) continue;
        roots++;
        if (!field.directives?.some(isGuard)) unguarded.push(`${def.name.value}.${field.name.value}`);
      }
    }
    expect(roots).toBeGreaterThan(50);
    expect(unguarded).toEqual([]);
  });

  it("name only scopes the graph knows", () => {
    const named = new Set<string>();
    const text = fs.readFileSync(new URL("../../supergraph.graphql", import.meta.url), "utf8");
    for (const m of text.matchAll(/@requiresScopes\(scopes: (\[\[.*?\]\])\)/g)) for (const s of JSON.parse(m[1]!) as string[][]) s.forEach((x) => named.add(x));
    expect(named.size).toBeGreaterThan(5);
    expect([...named].filter((s) => !allScopes.includes(s))).toEqual([]);
  });
});

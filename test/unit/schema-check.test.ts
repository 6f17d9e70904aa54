// Schema governance: breaking changes fail unless the element was deprecated first, on real
// composed supergraphs (two small subgraphs) and with the command CI runs.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { composeSupergraph } from "../../gateway/supergraph.js";
import { checkSchemaChange } from "../../gateway/governance/breaking-changes.js";

const link = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@requiresScopes"])`;
const supergraph = (orders: string) =>
  composeSupergraph([
    { name: "orders", url: "http://orders/graphql", sdl: `${link}\n${orders}` },
    { name: "inventory", url: "http://inventory/graphql", sdl: `${link}\ntype Query { sku(id: ID!): String }` },
  ]);
const base = `type Query { order(id: ID!): Order @requiresScopes(scopes: [["orders:read"]]) }
type Order @key(fields: "id") { id: ID! po: String status: Status! lines(first: Int): [String!]! }
enum Status { OPEN SHIPPED }`;

describe("schema:check", () => {
  it("fails on a removed field, a retyped field, a changed argument and a removed enum value", async () => {
    const changed = `type Query { order(id: ID!): Order @requiresScopes(scopes: [["orders:read"]]) }
type Order @key(fields: "id") { id: ID! status: String! lines(first: Int!): [String!]! }
enum Status { OPEN }`;
    const result = await checkSchemaChange(supergraph(base), supergraph(changed));
    expect(result.breaking.map((c) => c.path).sort()).toEqual(["Order.lines.first", "Order.po", "Order.status", "Status.SHIPPED"]);
  });

  it("allows removing what was deprecated first, and additions", async () => {
    const deprecated = base
      .replace("po: String", `po: String @deprecated(reason: "use externalRefs")`)
      .replace("SHIPPED", `SHIPPED @deprecated(reason: "gone")`);
    const removed = `type Query { order(id: ID!): Order @requiresScopes(scopes: [["orders:read"]]) orders: [Order!]! }
type Order @key(fields: "id") { id: ID! status: Status! lines(first: Int): [String!]! }
enum Status { OPEN }`;
    expect((await checkSchemaChange(supergraph(base), supergraph(deprecated))).breaking).toEqual([]);
    const result = await checkSchemaChange(supergraph(deprecated), supergraph(removed));
    expect(result.breaking).toEqual([]);
    expect(result.afterDeprecation.map((c) => c.path).sort()).toEqual(["Order.po", "Status.SHIPPED"]);
    expect(result.other.map((c) => c.path)).toContain("Query.orders");
  });

  it("passes on this repository's schema as committed (the command CI runs)", () => {
    expect(fs.existsSync("supergraph.graphql")).toBe(true);
    const out = execFileSync(process.execPath, ["--import", "tsx", "scripts/schema-check.ts"], {
      encoding: "utf8",
      env: { ...process.env, SCHEMA_CHECK_BASE: "HEAD" },
    });
    expect(out).toContain("No breaking changes");
  });
});

// Composition in code: our own subgraphs compose; conflicting ones fail with every error listed.
import { describe, it, expect } from "vitest";
import { buildASTSchema, parse } from "graphql";
import { CompositionError, composeSupergraph } from "../../gateway/supergraph.js";
import { composeOwnSupergraph } from "../../app/supergraph.js";
import { subgraphNames, type SubgraphName } from "../../subgraphs/catalog.js";

const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])\n';

function compositionErrorOf(fn: () => unknown): CompositionError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CompositionError);
    return err as CompositionError;
  }
  throw new Error("expected a CompositionError, nothing was thrown");
}

describe("composeOwnSupergraph", () => {
  const urls = Object.fromEntries(subgraphNames.map((n, i) => [n, `http://subgraph-${i}.test:9${i}00/graphql`])) as Record<SubgraphName, string>;
  const sdl = composeOwnSupergraph(urls);

  it("lists every subgraph with its URL as a join__Graph", () => {
    for (const name of subgraphNames) expect(sdl).toContain(`@join__graph(name: "${name}", url: "${urls[name]}")`);
    const graphs = sdl.match(/@join__graph\(name: "/g) ?? [];
    expect(graphs).toHaveLength(subgraphNames.length);
  });

  it("is a valid GraphQL schema with a Query type", () => {
    const schema = buildASTSchema(parse(sdl), { assumeValidSDL: true });
    expect(schema.getQueryType()?.name).toBe("Query");
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/join/');
  });
});

describe("composeSupergraph", () => {
  it("composes two compatible subgraphs", () => {
    const sdl = composeSupergraph([
      { name: "a", url: "http://a/graphql", sdl: link + 'type Query { a: Product } type Product @key(fields: "id") { id: ID! name: String }' },
      { name: "b", url: "http://b/graphql", sdl: link + 'type Query { b: Int } type Product @key(fields: "id") { id: ID! price: Float }' },
    ]);
    expect(sdl).toContain('@join__graph(name: "a", url: "http://a/graphql")');
    expect(sdl).toMatch(/type Product[^{]*\{[^}]*name: String[^}]*price: Float/s);
  });

  it("throws CompositionError listing every conflict", () => {
    const err = compositionErrorOf(() =>
      composeSupergraph([
        { name: "a", url: "http://a", sdl: link + "type Query { hello: String, p: Product } type Product @shareable { id: ID! name: String }" },
        { name: "b", url: "http://b", sdl: link + "type Query { hello: String, q: Product } type Product @shareable { id: ID! name: Int }" },
      ]),
    );
    expect(err.errors.length).toBeGreaterThanOrEqual(2);
    expect(err.errors.some((e) => e.includes("Query.hello") && /non-shareable/i.test(e))).toBe(true);
    expect(err.errors.some((e) => e.includes("Product.name") && e.includes('"String"') && e.includes('"Int"'))).toBe(true);
    expect(err.message.startsWith("The subgraphs do not compose:\n")).toBe(true);
    for (const e of err.errors) expect(err.message).toContain(`\n  - ${e}`);
    expect(err.message.split("\n")).toHaveLength(err.errors.length + 1);
  });

  it("reports a non-shareable field defined in two subgraphs", () => {
    const err = compositionErrorOf(() =>
      composeSupergraph([
        { name: "orders", url: "http://a", sdl: link + "type Query { status: String }" },
        { name: "billing", url: "http://b", sdl: link + "type Query { status: String }" },
      ]),
    );
    expect(err.errors).toHaveLength(1);
    expect(err.errors[0]).toContain('"Query.status"');
    expect(err.errors[0]).toContain('"orders"');
    expect(err.errors[0]).toContain('"billing"');
    expect(err.message).toContain(err.errors[0]);
  });
});

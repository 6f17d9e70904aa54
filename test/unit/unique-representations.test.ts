// withUniqueRepresentations: an _entities fetch asks for each distinct entity once, and its answer
// is expanded back to one entry per representation the planner sent, errors included.
import { describe, expect, it } from "vitest";
import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { withUniqueRepresentations } from "../../gateway/data-sources/unique-representations.js";
import { subgraphRepresentationsSaved } from "../../platform/telemetry/metrics.js";

const A = { __typename: "Product", sku: "A" };
const B = { __typename: "Product", sku: "B" };
const C = { __typename: "Product", sku: "C" };
const query = "query($representations:[_Any!]!){_entities(representations:$representations){...on Product{description positions{available}}}}";

/** A subgraph that answers each representation with its sku, and an error for sku B. */
function subgraph(sent: unknown[][]) {
  return async (request: GatewayGraphQLRequest): Promise<GatewayGraphQLResponse> => {
    const reps = request.variables!.representations as { sku: string }[];
    sent.push(reps);
    return {
      data: { _entities: reps.map((r) => (r.sku === "B" ? null : { description: `about ${r.sku}`, positions: [{ available: r.sku.charCodeAt(0) }] })) },
      errors: [{ message: "B is gone", path: ["_entities", reps.findIndex((r) => r.sku === "B"), "description"] }, { message: "not about one entity" }],
    };
  };
}

const saved = async () => (await subgraphRepresentationsSaved.get()).values.find((v) => v.labels.subgraph === "inventory")?.value ?? 0;

describe("withUniqueRepresentations", () => {
  it("sends each distinct representation once, in first-seen order, and answers one entry per representation sent by the planner", async () => {
    const sent: unknown[][] = [];
    const before = await saved();
    const res = await withUniqueRepresentations("inventory", { query, variables: { representations: [A, B, A, C, B, A] } }, subgraph(sent));
    expect(sent).toEqual([[A, B, C]]);
    expect(await saved()).toBe(before + 3);
    const entities = (res.data as { _entities: unknown[] })._entities;
    expect(entities).toEqual([
      { description: "about A", positions: [{ available: 65 }] },
      null,
      { description: "about A", positions: [{ available: 65 }] },
      { description: "about C", positions: [{ available: 67 }] },
      null,
      { description: "about A", positions: [{ available: 65 }] },
    ]);
    // Each place gets its own object: the gateway writes into them when it merges.
    expect(entities[2]).not.toBe(entities[0]);
    expect((entities[2] as { positions: unknown[] }).positions).not.toBe((entities[0] as { positions: unknown[] }).positions);
  });

  it("repeats an error about one entity at every representation of it, and keeps the others as they were", async () => {
    const res = await withUniqueRepresentations("inventory", { query, variables: { representations: [B, A, B] } }, subgraph([]));
    expect(res.errors).toEqual([
      { message: "B is gone", path: ["_entities", 0, "description"] },
      { message: "B is gone", path: ["_entities", 2, "description"] },
      { message: "not about one entity" },
    ]);
  });

  it("passes a request with no repeated representation, or no representations, through untouched", async () => {
    const seen: GatewayGraphQLRequest[] = [];
    const echo = async (request: GatewayGraphQLRequest) => (seen.push(request), { data: { ok: true } });
    const distinct = { query, variables: { representations: [A, B] } };
    const plain = { query: "{ orders { id } }", variables: { first: 1 } };
    const before = await saved();
    expect(await withUniqueRepresentations("inventory", distinct, echo)).toEqual({ data: { ok: true } });
    expect(await withUniqueRepresentations("inventory", plain, echo)).toEqual({ data: { ok: true } });
    expect(seen[0]).toBe(distinct);
    expect(seen[1]).toBe(plain);
    expect(await saved()).toBe(before);
  });
});

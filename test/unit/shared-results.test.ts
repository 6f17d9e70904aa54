// Delivery groups (which subscribers may share one result per event) and the shared results.
import { describe, expect, it } from "vitest";
import { parse, type FieldNode, type OperationDefinitionNode } from "graphql";
import { deliveryGroup, SharedResults } from "../../gateway/subscriptions/shared-results.js";

const groupOf = (query: string, variables: Record<string, unknown>, access = "admin") => {
  const document = parse(query);
  const root = (document.definitions[0] as OperationDefinitionNode).selectionSet.selections[0] as FieldNode;
  return deliveryGroup(document, undefined, root, variables, access);
};

describe("delivery groups", () => {
  const Q = `subscription($sku: String, $since: String) { inventoryChanged(sku: $sku, since: $since) { sequence } }`;

  it("ignore a variable used only as the root field's since: where a subscriber starts does not change an event's result", () => {
    expect(groupOf(Q, { sku: "A", since: "10" })).toBe(groupOf(Q, { sku: "A", since: null }));
  });

  it("differ by any other variable, by access and by document", () => {
    expect(groupOf(Q, { sku: "A" })).not.toBe(groupOf(Q, { sku: "B" }));
    expect(groupOf(Q, { sku: "A" }, "admin")).not.toBe(groupOf(Q, { sku: "A" }, "customer C-1"));
    expect(groupOf(Q, { sku: "A" })).not.toBe(groupOf(Q.replace("{ sequence }", "{ sequence occurredAt }"), { sku: "A" }));
  });

  it("keep the since variable when the selection uses it too", () => {
    const q = `subscription($since: String) { inventoryChanged(since: $since) { sequence position { product(note: $since) { sku } } } }`;
    expect(groupOf(q, { since: "1" })).not.toBe(groupOf(q, { since: "2" }));
  });
});

describe("shared results", () => {
  it("compute once per event and group, and do not share a failure", async () => {
    const results = new SharedResults();
    let computed = 0;
    const compute = () => Promise.resolve({ data: { n: ++computed } });
    const g = results.groupId("g"),
      h = results.groupId("h");
    expect(results.groupId("g")).toBe(g);
    const a = await results.get(1n, g, compute);
    expect(await results.get(1n, g, compute)).toBe(a); // the same object: serialised once per socket write
    expect(await results.get(1n, h, compute)).not.toBe(a);
    expect(await results.get(2n, g, compute)).not.toBe(a);
    expect(computed).toBe(3);
    await expect(results.get(3n, g, () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    await Promise.resolve();
    expect(await results.get(3n, g, compute)).toEqual({ data: { n: 4 } });
  });
});

// Batched follow-ups: one query text per selection whatever the batch size, and each entity's
// data and errors handed back to its own event.
import { describe, expect, it } from "vitest";
import { GraphQLError, getOperationAST, parse, type FieldNode } from "graphql";
import { batchQuery, planFollowUp, splitBatchResult } from "../../gateway/subscriptions/follow-up.js";

const entityQuery = { field: "ordersById", argument: "ids", type: "[ID!]!" };
const planOf = (text: string, variables: Record<string, unknown> = {}) => {
  const document = parse(text);
  const operation = getOperationAST(document)!;
  return planFollowUp(operation, document, operation.selectionSet.selections[0] as FieldNode, "order", entityQuery, variables);
};

describe("follow-up plans", () => {
  it("fetches every alias of the entity through the by-key list field, with the fragments and variables it uses", () => {
    const plan = planOf(
      `subscription($c: Boolean!, $unused: Int) { orderStatusChanged { sequence order { id status } o2: order { ...F } } } fragment F on Order { customer @include(if: $c) { id } }`,
      { c: true, unused: 3 },
    );
    expect(plan.responseKeys).toEqual(["order", "o2"]);
    expect(plan.variables).toEqual({ c: true });
    const query = batchQuery(plan);
    expect(query).toContain("query SubscriptionFollowUp($_keys: [ID!]!, $c: Boolean!)");
    expect(query).toContain("_b_order: ordersById(ids: $_keys) {");
    expect(query).toContain("_b_o2: ordersById(ids: $_keys) {");
    expect(query).toContain("fragment F on Order");
    expect(parse(query)).toBeTruthy();
  });

  it("has no follow-up when the entity is not selected", () => {
    expect(planOf(`subscription { orderStatusChanged { sequence newStatus } }`).selections).toEqual([]);
  });

  it("splits data by position and errors by path, sharing errors that name no entity", () => {
    const plan = planOf(`subscription { orderStatusChanged { order { id status } } }`);
    const result = {
      data: { _b_order: [{ id: "O1", status: "SHIPPED" }, null, { id: "O3", status: "PENDING" }] },
      errors: [
        new GraphQLError("boom", { path: ["_b_order", 1, "status"], extensions: { code: "X" } }),
        new GraphQLError("everyone", { extensions: { code: "Y" } }),
      ],
    };
    const [a, b, c] = splitBatchResult(plan, 3, result);
    expect(a.data).toEqual({ order: { id: "O1", status: "SHIPPED" } });
    expect(a.errors?.map((e) => e.message)).toEqual(["everyone"]);
    expect(b.data).toEqual({ order: null });
    expect(b.errors?.map((e) => [e.message, e.path])).toEqual([
      ["boom", ["order", "status"]],
      ["everyone", undefined],
    ]);
    expect(c.data).toEqual({ order: { id: "O3", status: "PENDING" } });
  });
});

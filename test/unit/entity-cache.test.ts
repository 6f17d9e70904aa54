// The entity cache's parts on their own: which answers it keeps and how it names their entities
// (against the real composed API schema), what an event evicts, and the store's rules (an answer
// computed across an eviction that touched it is not kept; no log, no cache; bounded size and age).
import { describe, expect, it } from "vitest";
import { parse, print } from "graphql";
import { composeOwnApiSchema } from "../../app/supergraph.js";
import { planFor } from "../../gateway/cache/cache-plan.js";
import { takeTags } from "../../gateway/cache/response-tags.js";
import { eventTags } from "../../gateway/cache/event-tags.js";
import { EntityCache } from "../../gateway/cache/entity-cache.js";

const schema = composeOwnApiSchema();
const plan = (query: string, operationName?: string) => planFor(schema, parse(query), operationName);

describe("cache plan", () => {
  it("inlines fragments and asks every entity for its type and key, which the tags then take out of the answer", () => {
    const p = plan(`query Q($id: ID!) { order(id: $id) { status ...L } } fragment L on Order { lines { product { description } } }`, "Q");
    if (!p.cacheable) throw new Error(p.reason);
    const printed = print(p.document);
    expect(printed).not.toContain("fragment L");
    expect(printed).toContain("_entityCacheType: __typename");
    expect(printed).toContain("_entityCacheKey: sku");
    expect(p.roots).toEqual([{ responseKey: "order", single: true, types: new Set(["Order", "Product"]) }]);

    const data = {
      order: {
        status: "SHIPPED",
        _entityCacheType: "Order",
        _entityCacheKey: "O-1",
        lines: [{ product: { description: "Bolt", _entityCacheType: "Product", _entityCacheKey: "SKU-1" } }],
      },
    };
    expect(takeTags(data, p.roots)).toEqual(new Set(["Order:O-1", "Product:SKU-1"]));
    expect(data).toEqual({ order: { status: "SHIPPED", lines: [{ product: { description: "Bolt" } }] } });
  });

  it("tags a list, and an entity not found, with their types, so a new or changed member evicts them", () => {
    const list = plan(`{ orders(first: 5) { totalCount } }`);
    if (!list.cacheable) throw new Error(list.reason);
    expect(takeTags({ orders: { totalCount: 3 } }, list.roots)).toEqual(new Set(["Order"]));
    const one = plan(`query($id: ID!) { order(id: $id) { status } }`);
    if (!one.cacheable) throw new Error(one.reason);
    expect(takeTags({ order: null }, one.roots)).toEqual(new Set(["Order"]));
  });

  it("refuses mutations, introspection, and types the event log does not announce", () => {
    expect(plan(`mutation { cancelOrder(id: "x") { id } }`)).toEqual({ cacheable: false, reason: "mutation" });
    expect(plan(`{ __schema { queryType { name } } }`)).toEqual({ cacheable: false, reason: "introspection" });
    expect(plan(`query($id: ID!) { order(id: $id) { customer { name } } }`)).toEqual({
      cacheable: false,
      reason: "Customer is not announced in the event log",
    });
  });
});

describe("event tags", () => {
  it("names the event's aggregate and every entity its payload refers to, with their types", () => {
    const tags = eventTags({
      aggregateType: "Invoice",
      aggregateId: "INV-1",
      payload: { invoiceId: "INV-1", orderId: "O-1", customerId: "C-1", lines: [{ sku: "SKU-1" }] },
    });
    expect(tags).toEqual(new Set(["Invoice:INV-1", "Invoice", "Order:O-1", "Order", "Product:SKU-1", "Product"]));
    const stock = eventTags({ aggregateType: "InventoryPosition", aggregateId: "SKU-2@LOC-1", payload: { sku: "SKU-2", locationId: "LOC-1" } });
    expect(stock).toEqual(new Set(["InventoryPosition:SKU-2@LOC-1", "InventoryPosition", "Product:SKU-2", "Product", "Location:LOC-1", "Location"]));
    const posted = eventTags({ aggregateType: "ErpPosting", aggregateId: "P-1", payload: { documentType: "INVOICE", documentId: "INV-9" } });
    expect(posted).toEqual(new Set(["Invoice:INV-9", "Invoice"]));
  });
});

describe("entity cache store", () => {
  const cache = () => {
    const c = new EntityCache({ ttlMs: 1000, maxEntries: 2, maxBytes: 100 });
    c.setFollowing(true);
    return c;
  };

  it("does not keep an answer computed while an eviction touching it ran, but keeps one it did not touch", () => {
    const c = cache();
    const started = c.version;
    c.evict(new Set(["Order:O-1"]));
    expect(c.set("a", { v: 1 }, new Set(["Order:O-1"]), started)).toBe(false);
    expect(c.set("b", { v: 2 }, new Set(["Order:O-2"]), started)).toBe(true);
    expect(c.get("a")).toBeUndefined();
    expect(c.get("b")).toEqual({ v: 2 });
    c.evict(new Set(["Order:O-2"]));
    expect(c.get("b")).toBeUndefined();
  });

  it("serves nothing and keeps nothing while the log cannot be read", () => {
    const c = cache();
    c.set("a", { v: 1 }, new Set(["Order:O-1"]), c.version);
    const started = c.version;
    c.setFollowing(false);
    expect(c.get("a")).toBeUndefined();
    c.setFollowing(true);
    // Emptied when the log was lost, and an execution from before that is not kept.
    expect(c.get("a")).toBeUndefined();
    expect(c.set("b", { v: 2 }, new Set(["Order:O-2"]), started)).toBe(false);
  });

  it("drops the least recently used answer for room, and an answer past its age", () => {
    const c = cache();
    c.set("a", { v: 1 }, new Set(), c.version, 0);
    c.set("b", { v: 2 }, new Set(), c.version, 0);
    c.get("a", 1);
    c.set("c", { v: 3 }, new Set(), c.version, 1);
    expect([c.get("a", 2), c.get("b", 2), c.get("c", 2)]).toEqual([{ v: 1 }, undefined, { v: 3 }]);
    expect(c.get("c", 1001)).toBeUndefined();
  });

  it("keeps the answers' size under its bound, and never keeps one larger than the bound", () => {
    const c = new EntityCache({ ttlMs: 1000, maxEntries: 10, maxBytes: 100 });
    c.setFollowing(true);
    const answer = (n: number) => ({ text: "x".repeat(n) }); // n + 11 bytes of JSON
    expect(c.set("big", answer(200), new Set(), c.version)).toBe(false);
    c.set("a", answer(30), new Set(), c.version);
    c.set("b", answer(30), new Set(), c.version);
    expect(c.size).toBe(2);
    // 41 + 41 + 21 bytes would be over 100: the least recently used goes.
    c.set("c", answer(10), new Set(), c.version);
    expect([c.get("a"), c.get("b") !== undefined, c.get("c") !== undefined]).toEqual([undefined, true, true]);
  });
});

// Issue 7 item 12 and issue 9 item 8: a reused idempotency key with different content is a
// conflict (409, a dead letter naming both messages) on every source, never a silent duplicate;
// a resend of a message answers with the original's outcome.
import { expect, it } from "vitest";
import { post } from "../../helpers/ingest.js";
import { gqlOk } from "../../helpers/graphql.js";
import { inventoryAdvice, x12 } from "../../helpers/x12.js";
import { message, onHand, runOps, wms, type HardeningContext } from "./context.js";
import { SHOPIFY_ITEM, SHOPIFY_LOCATION } from "../../../subgraphs/inventory/sources/shopify-inventory-levels.js";

export function idempotencyTests(ctx: HardeningContext) {
  it("answers a WMS event id reused with a different quantity as a conflict, and a reformatted resend as a duplicate", async () => {
    const first = wms({ eventId: "conflict-1", sku: "FX-2", quantity: 5 });
    const before = (await onHand(ctx, "FX-2", "LOC-FX-WH-A")) ?? 0;
    const a = await post(ctx.base, "/ingest/wms/inventory", JSON.stringify(first));
    expect(a.json.state).toBe("PROCESSED");

    const b = await post(ctx.base, "/ingest/wms/inventory", JSON.stringify({ ...first, quantity: 50 }));
    expect(b.status).toBe(409);
    expect(b.json).toMatchObject({ state: "DEAD_LETTER", failedStep: "IDEMPOTENCY", conflictWith: a.json.messageId });
    expect(b.json.error).toContain(a.json.messageId);
    expect(b.json.error).toContain(b.json.messageId);
    expect(b.json.error).toMatch(/"conflict-1".*different content/);
    const stored = await message(ctx, b.json.messageId);
    expect(stored).toMatchObject({ state: "DEAD_LETTER", failedStep: "IDEMPOTENCY", conflictWith: { id: a.json.messageId }, duplicateOf: null });
    expect(await onHand(ctx, "FX-2", "LOC-FX-WH-A")).toBe(before + 5);

    // Same content, other whitespace and key order: a duplicate, not a conflict.
    const reformatted = `{ "occurredAt": "2026-11-28T10:00:00Z", "quantity": 5,\n "location": "FX-WH-A", "sku": "FX-2", "type": "RECEIPT", "eventId": "conflict-1" }`;
    const c = await post(ctx.base, "/ingest/wms/inventory", reformatted);
    expect(c.status).toBe(200);
    expect(c.json).toMatchObject({ state: "DUPLICATE", duplicateOf: a.json.messageId });

    const listed = await runOps(ctx.url, ["dead-letters", "--step", "IDEMPOTENCY", "--source", "wms"]);
    expect(listed.stdout).toMatch(/^1 dead letter\(s\)/);
    expect(listed.stdout).toContain(`${b.json.messageId}`);
    expect(listed.stdout).toContain("[IDEMPOTENCY] conflict:");

    // A conflict is not replayable into an application of the other content.
    const replay = await gqlOk(ctx.url, `mutation($id: ID!) { replayInboundMessage(id: $id) { state failedStep } }`, { id: b.json.messageId });
    expect(replay.replayInboundMessage).toEqual({ state: "DEAD_LETTER", failedStep: "IDEMPOTENCY" });
    expect(await onHand(ctx, "FX-2", "LOC-FX-WH-A")).toBe(before + 5);
  });

  it("answers conflicts inside one batch per message (207)", async () => {
    const e = wms({ eventId: "conflict-batch", sku: "FX-2", quantity: 2, occurredAt: "2026-11-28T10:05:00Z" });
    const res = await post(ctx.base, "/ingest/wms/inventory", JSON.stringify([e, { ...e, quantity: 3 }, e]));
    expect(res.status).toBe(207);
    expect(res.json.messages.map((m: any) => [m.state, m.failedStep ?? null])).toEqual([
      ["PROCESSED", null],
      ["DEAD_LETTER", "IDEMPOTENCY"],
      ["DUPLICATE", null],
    ]);
  });

  it("answers a Shopify webhook id reused with a different body as a conflict", async () => {
    await ctx.db.crossReference.createMany({
      data: [
        { kind: "PRODUCT", system: SHOPIFY_ITEM, externalValue: "4001", canonicalId: "FX-3" },
        { kind: "LOCATION", system: SHOPIFY_LOCATION, externalValue: "5001", canonicalId: "LOC-FX-WH-B" },
      ],
    });
    const body = (available: number) => JSON.stringify({ inventory_item_id: 4001, location_id: 5001, available, updated_at: "2026-11-28T10:00:00-05:00" });
    const a = await post(ctx.base, "/ingest/shopify/inventory_levels/update", body(7), { "x-shopify-webhook-id": "wh-conflict" });
    expect(a.json.state).toBe("PROCESSED");
    const b = await post(ctx.base, "/ingest/shopify/inventory_levels/update", body(70), { "x-shopify-webhook-id": "wh-conflict" });
    expect(b.status).toBe(409);
    expect(b.json).toMatchObject({ state: "DEAD_LETTER", failedStep: "IDEMPOTENCY", conflictWith: a.json.messageId });
    expect(await onHand(ctx, "FX-3", "LOC-FX-WH-B")).toBe(7);
    const again = await post(ctx.base, "/ingest/shopify/inventory_levels/update", body(7), { "x-shopify-webhook-id": "wh-conflict" });
    expect(again.json).toMatchObject({ state: "DUPLICATE", duplicateOf: a.json.messageId });
  });

  it("answers an X12 set reused under the same control numbers with other content as a conflict", async () => {
    const doc = (qty: number, eol = "\n") =>
      x12({ control: "000000301", eol, groups: [{ control: "301", sets: [{ id: "846", control: "0001", segments: inventoryAdvice("CONFLICT-846", ["LIN*1*SK*FX-2", `QTY*17*${qty}*EA`], { n1: "N1*WH*B*92*FX-WH-B" }) }] }] });
    const a = await post(ctx.base, "/ingest/x12", doc(40));
    expect(a.json.state).toBe("PROCESSED");
    const b = await post(ctx.base, "/ingest/x12", doc(41));
    expect(b.status).toBe(409);
    expect(b.json).toMatchObject({ state: "DEAD_LETTER", failedStep: "IDEMPOTENCY", conflictWith: a.json.messageId });
    expect(b.json.error).toMatch(/ZZ:ACMEWMS\/ZZ:DISTGRAPH\/000000301\/301\/846\/0001/);
    expect(await onHand(ctx, "FX-2", "LOC-FX-WH-B")).toBe(40);
    // The same set with other line breaks is the same content.
    const c = await post(ctx.base, "/ingest/x12", doc(40, "\r\n"));
    expect(c.json).toMatchObject({ state: "DUPLICATE", duplicateOf: a.json.messageId });
  });

  it("answers a resend with the original's outcome: its status, id and error", async () => {
    const event = wms({ eventId: "resend-dead", sku: "FX-NEW-9", quantity: 4 });
    const a = await post(ctx.base, "/ingest/wms/inventory", JSON.stringify(event));
    expect(a.status).toBe(422);
    const b = await post(ctx.base, "/ingest/wms/inventory", JSON.stringify(event));
    expect(b.status).toBe(422);
    expect(b.json).toMatchObject({
      state: "DUPLICATE",
      duplicateOf: a.json.messageId,
      original: { messageId: a.json.messageId, state: "DEAD_LETTER", failedStep: "MAP" },
    });
    expect(b.json.original.error).toMatch(/no mapping for PRODUCT FX-NEW-9 from WMS/);

    await ctx.db.product.create({ data: { sku: "FX-NEW-9", description: "Onboarded after its first message", baseUnit: "EA" } });
    await gqlOk(ctx.url, `mutation($id: ID!) { replayInboundMessage(id: $id) { state } }`, { id: a.json.messageId });
    const c = await post(ctx.base, "/ingest/wms/inventory", JSON.stringify(event));
    expect(c.status).toBe(200);
    expect(c.json).toMatchObject({ state: "DUPLICATE", original: { messageId: a.json.messageId, state: "PROCESSED" } });
  });
}

// Issue 7 item 12 and issue 9 item 8: a reused idempotency key with different content is a
// conflict (409, a dead letter naming both messages) on every source, never a silent duplicate;
// a resend of a message answers with the original's outcome.
import { expect, it } from "vitest";
import { post } from "../../helpers/ingest.js";
import { gqlOk } from "../../helpers/graphql.js";
import { inventoryAdvice, x12 } from "../../helpers/x12.js";
import { message, onHand, rawOf, runOps, wms, type HardeningContext } from "./context.js";
import { SHOPIFY_ITEM, SHOPIFY_LOCATION } from "../../../subgraphs/inventory/sources/shopify-inventory-levels.js";
import { shopifySignature } from "../../../platform/ingest/auth/shopify-hmac.js";
import { HARDENING_SHOP, HARDENING_SHOP_SECRET } from "./context.js";

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
      x12({
        control: "000000301",
        eol,
        groups: [
          {
            control: "301",
            sets: [
              { id: "846", control: "0001", segments: inventoryAdvice("CONFLICT-846", ["LIN*1*SK*FX-2", `QTY*17*${qty}*EA`], { n1: "N1*WH*B*92*FX-WH-B" }) },
            ],
          },
        ],
      });
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

  it("answers a reused key with other content as a conflict on EDIFACT, Shopify orders, WMS shipments and TMS milestones too", async () => {
    const edifact = (quantity: number) =>
      [
        "UNA:+.? '",
        "UNB+UNOC:3+5412345000006:14+5412345000013:14+261127:1015+HCONF1++ORDERS'",
        "UNH+M1+ORDERS:D:96A:UN:EAN008'",
        "BGM+220+PO-HCONF-1+9'",
        "DTM+137:20261127:102'",
        "LIN+1++4000862141404:SRS'",
        `QTY+21:${quantity}'`,
        "UNT+6+M1'",
        "UNZ+1+HCONF1'",
      ].join("\n");
    const shopifyOrder = (quantity: number) =>
      JSON.stringify({
        id: 820982911946154500,
        name: "#HCONF",
        updated_at: "2026-11-28T09:00:00Z",
        line_items: [{ id: 1, sku: "FX-1", quantity, price: "1.00" }],
      });
    const shopifyHeaders = (body: string) => ({
      "x-shopify-topic": "orders/create",
      "x-shopify-shop-domain": HARDENING_SHOP,
      "x-shopify-webhook-id": "wh-hconf-1",
      "x-shopify-hmac-sha256": shopifySignature(Buffer.from(body), HARDENING_SHOP_SECRET),
    });
    const shipment = (quantity: number) =>
      JSON.stringify({
        eventId: "hconf-ship-1",
        warehouseOrderNumber: "WO-HCONF",
        shippedAt: "2026-11-28T09:00:00Z",
        carrier: { scac: "UPSN" },
        packages: [{ sscc: "000000000000000024", items: [{ sku: "FX-1", quantity }] }],
      });
    const milestone = (code: string) =>
      JSON.stringify({ eventId: "hconf-tms-1", shipment: { trackingNumber: "1ZHCONF" }, code, occurredAt: "2026-11-28T09:00:00Z" });
    const cases: { name: string; path: string; bodies: [string, string]; headers?: (body: string) => Record<string, string>; key: RegExp }[] = [
      { name: "EDIFACT ORDERS", path: "/ingest/edifact", bodies: [edifact(5), edifact(6)], key: /HCONF1.*M1/ },
      {
        name: "Shopify orders/create",
        path: "/ingest/shopify/orders/create",
        bodies: [shopifyOrder(1), shopifyOrder(2)],
        headers: shopifyHeaders,
        key: new RegExp(`"${HARDENING_SHOP}:wh-hconf-1"`),
      },
      { name: "WMS shipment confirmation", path: "/ingest/wms/shipments", bodies: [shipment(1), shipment(2)], key: /"hconf-ship-1"/ },
      { name: "TMS milestone", path: "/ingest/tms/milestones", bodies: [milestone("IN_TRANSIT"), milestone("DELIVERED")], key: /"hconf-tms-1"/ },
    ];
    for (const c of cases) {
      const send = (body: string) => post(ctx.base, c.path, body, c.headers?.(body));
      const first = await send(c.bodies[0]);
      expect(first.status, c.name).toBeLessThan(500);
      expect(first.json.state, c.name).not.toBe("DUPLICATE");
      const other = await send(c.bodies[1]);
      expect(other.status, c.name).toBe(409);
      expect(other.json, c.name).toMatchObject({
        state: "DEAD_LETTER",
        failedStep: "IDEMPOTENCY",
        code: "IDEMPOTENCY_CONFLICT",
        conflictWith: first.json.messageId,
      });
      expect(other.json.error, c.name).toMatch(c.key);
      expect(other.json.error, c.name).toContain(first.json.messageId);
      expect(other.json.error, c.name).toContain(other.json.messageId);
      const stored = await message(ctx, other.json.messageId);
      expect(stored, c.name).toMatchObject({ state: "DEAD_LETTER", failedStep: "IDEMPOTENCY", conflictWith: { id: first.json.messageId }, duplicateOf: null });
      expect(rawOf(stored).toString("utf8"), c.name).toContain(c.path === "/ingest/edifact" ? "QTY+21:6" : c.bodies[1]);
      // The first content again is a duplicate of the first message, not a conflict.
      const again = await send(c.bodies[0]);
      expect(again.json, c.name).toMatchObject({ state: "DUPLICATE", duplicateOf: first.json.messageId });
    }
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

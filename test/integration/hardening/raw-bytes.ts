// Issue 7 items 13 and 4: the bytes sent are the bytes kept, and every body that reaches an
// ingestion endpoint is stored or refused with a 4xx that says why; never a bare 500.
import { expect, it } from "vitest";
import { post, stockState } from "../../helpers/ingest.js";
import { message, onHand, rawOf, wms, type HardeningContext } from "./context.js";

/** Database error texts and file paths that must never reach a caller. */
const LEAKS = /prisma|invalid byte sequence|unsupported unicode|\/work\/|node_modules|\.ts:\d+|Maximum call stack/i;

export function rawBytesTests(ctx: HardeningContext) {
  it("keeps the exact bytes of a WMS event, and of each element of a batch", async () => {
    const single = `{\n  "eventId": "raw-1",  "type": "RECEIPT", "sku": "FX-1",\n  "location": "FX-WH-A", "quantity": 3, "occurredAt": "2026-11-28T10:00:00.000+00:00",\n  "note": "caf\\u00e9 ☃"\n}\n`;
    const res = await post(ctx.base, "/ingest/wms/inventory", single);
    expect(res.status).toBe(200);
    expect(rawOf(await message(ctx, res.json.messageId)).equals(Buffer.from(single))).toBe(true);

    const elements = [
      `{ "eventId": "raw-2", "type": "RECEIPT", "sku": "FX-1", "location": "FX-WH-A", "quantity": 1, "occurredAt": "2026-11-28T10:01:00Z" }`,
      `{"eventId":"raw-3","type":"PICK","sku":"FX-1","location":"FX-WH-A","quantity":1,"occurredAt":"2026-11-28T10:02:00Z","note":"naïve, [brackets] and {braces} \\" inside"}`,
      `{\r\n\t"eventId" : "raw-4" , "type" : "ADJUSTMENT", "sku": "FX-1", "location": "FX-WH-A", "quantity": -1, "occurredAt": "2026-11-28T10:03:00Z", "n": 1.50e2 }`,
    ];
    const batch = `[\n  ${elements.join(" ,\n  ")}\n]`;
    const res2 = await post(ctx.base, "/ingest/wms/inventory", batch);
    expect(res2.status).toBe(200);
    expect(res2.json.messages.map((m: any) => m.state)).toEqual(["PROCESSED", "PROCESSED", "PROCESSED"]);
    for (const [i, m] of res2.json.messages.entries()) {
      expect(rawOf(await message(ctx, m.messageId)).toString("utf8")).toBe(elements[i]);
    }
  });

  it("keeps a leading UTF-8 byte-order mark in the stored bytes of a single JSON message, and parses it without the mark", async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const before = (await onHand(ctx, "FX-1", "LOC-FX-WH-A")) ?? 0;
    const bodies = [
      { path: "/ingest/wms/inventory", json: JSON.stringify(wms({ eventId: "bom-1", quantity: 2, occurredAt: "2026-11-28T10:10:00Z" })) },
      {
        path: "/ingest/tms/milestones",
        json: JSON.stringify({ eventId: "bom-tms-1", shipment: { trackingNumber: "1ZBOM" }, code: "DELIVERED", occurredAt: "2026-11-28T10:10:00Z" }),
      },
    ];
    for (const b of bodies) {
      const sent = Buffer.concat([bom, Buffer.from(b.json)]);
      const res = await post(ctx.base, b.path, sent);
      expect(res.status, b.path).toBeLessThan(500);
      const stored = await message(ctx, res.json.messageId);
      expect(rawOf(stored).equals(sent), b.path).toBe(true);
      // Parsed: it got past PARSE (the milestone names no known shipment, a MAP dead letter).
      expect(stored.failedStep, b.path).not.toBe("PARSE");
      // The same content without the mark is the same message.
      const again = await post(ctx.base, b.path, b.json);
      expect(again.json, b.path).toMatchObject({ state: "DUPLICATE", duplicateOf: res.json.messageId });
    }
    expect(await onHand(ctx, "FX-1", "LOC-FX-WH-A")).toBe(before + 2);
    // In a batch, the mark precedes the array: each element keeps exactly its own bytes.
    const element = JSON.stringify(wms({ eventId: "bom-2", quantity: 1, occurredAt: "2026-11-28T10:11:00Z" }));
    const batch = await post(ctx.base, "/ingest/wms/inventory", Buffer.concat([bom, Buffer.from(`[${element}]`)]));
    expect(batch.status).toBe(200);
    expect(rawOf(await message(ctx, batch.json.messageId)).toString("utf8")).toBe(element); // one element: answered as one message
  });

  it("stores a body with a NUL character or nested too deep, and answers 4xx naming what is wrong", async () => {
    const deep = (n: number) => "[".repeat(n) + "]".repeat(n);
    const cases: { name: string; path: string; body: string | Buffer; headers?: Record<string, string>; status: number; error: RegExp }[] = [
      {
        name: "NUL in the event id",
        path: "/ingest/wms/inventory",
        body: JSON.stringify(wms({ eventId: "nul\u0000id" })),
        status: 422,
        error: /\$\.eventId.*control character/,
      },
      {
        name: "NUL in the sku",
        path: "/ingest/wms/inventory",
        body: JSON.stringify(wms({ eventId: "nul-sku", sku: "FX\u00001" })),
        status: 422,
        error: /\$\.sku.*control character/,
      },
      {
        name: "a NUL byte outside any string",
        path: "/ingest/wms/inventory",
        body: Buffer.from('{"eventId": "nul-raw", "quantity": \u0000}'),
        status: 400,
        error: /not valid JSON: Unexpected token '\\u0000'/,
      },
      {
        name: "an event id of 100,000 characters",
        path: "/ingest/wms/inventory",
        body: JSON.stringify(wms({ eventId: "k".repeat(100_000) })),
        status: 422,
        error: /\$\.eventId: Too big/,
      },
      {
        name: "NUL in a batch element",
        path: "/ingest/wms/inventory",
        body: JSON.stringify([wms({ eventId: "nul-b1" }), wms({ eventId: "nul\u0000b2" })]),
        status: 207,
        error: /control character/,
      },
      {
        name: "deeply nested event",
        path: "/ingest/wms/inventory",
        body: `{"eventId":"deep-1","type":"RECEIPT","meta":${deep(50_000)}}`,
        status: 400,
        error: /nested deeper than 64 levels/,
      },
      {
        name: "deeply nested batch",
        path: "/ingest/wms/inventory",
        body: `[${JSON.stringify(wms({ eventId: "deep-2" }))},${deep(100_000)}]`,
        status: 400,
        error: /nested deeper than 64 levels/,
      },
      {
        name: "NUL in a Shopify body",
        path: "/ingest/shopify/inventory_levels/update",
        body: `{"inventory_item_id":1,"location_id":2,"available":3,"updated_at":"2026-11-28T10:00:00Z","x":"\\u0000"}`,
        headers: { "x-shopify-webhook-id": "nul-shop" },
        status: 422,
        error: /no mapping for PRODUCT 1 from SHOPIFY/,
      },
      {
        name: "deeply nested Shopify body",
        path: "/ingest/shopify/inventory_levels/update",
        body: `{"a":${deep(50_000)}}`,
        headers: { "x-shopify-webhook-id": "deep-shop" },
        status: 400,
        error: /nested deeper than 64 levels/,
      },
    ];
    for (const c of cases) {
      const before = await stockState(ctx.db);
      const res = await post(ctx.base, c.path, c.body, c.headers);
      expect(res.status, c.name).toBe(c.status);
      expect(res.text, c.name).not.toMatch(LEAKS);
      const failed = res.json.messages ? res.json.messages.find((m: any) => m.state === "DEAD_LETTER") : res.json;
      expect(failed.state, c.name).toBe("DEAD_LETTER");
      expect(failed.error, c.name).toMatch(c.error);
      const stored = await message(ctx, failed.messageId);
      expect(stored.state, c.name).toBe("DEAD_LETTER");
      const sent = Buffer.isBuffer(c.body) ? c.body : Buffer.from(c.body);
      if (!res.json.messages) expect(rawOf(stored).equals(sent), c.name).toBe(true);
      else expect(sent.includes(rawOf(stored)), c.name).toBe(true);
      if (c.status !== 207) expect(await stockState(ctx.db), c.name).toEqual(before);
    }
  });

  it("stores a batch of 9,999 events (more parameters than one statement can bind) and refuses one of more than 10,000", async () => {
    // Events without an id share one content key: the first is dead-lettered, the rest are its duplicates.
    const many = await post(ctx.base, "/ingest/wms/inventory", `[${Array(9999).fill("{}").join(",")}]`);
    expect(many.status).toBe(422);
    expect(many.json.messages).toHaveLength(9999);
    expect(many.json.messages[0]).toMatchObject({ state: "DEAD_LETTER", failedStep: "VALIDATE" });
    expect(many.json.messages.slice(1).every((m: any) => m.state === "DUPLICATE" && m.original.messageId === many.json.messages[0].messageId)).toBe(true);
    expect(await ctx.db.inboundMessage.count({ where: { correlationId: many.json.correlationId } })).toBe(9999);

    const tooMany = await post(ctx.base, "/ingest/wms/inventory", `[${Array(10_001).fill("{}").join(",")}]`);
    expect(tooMany.status).toBe(422);
    expect(tooMany.json).toMatchObject({
      state: "DEAD_LETTER",
      failedStep: "VALIDATE",
      error: "body holds 10001 events, more than the 10000 one request may carry: send them in several requests",
    });
    expect(await ctx.db.inboundMessage.count({ where: { correlationId: tooMany.json.correlationId } })).toBe(1);
  });

  it("keys an X12 set whose envelope holds a NUL byte and answers without a 500", async () => {
    const isa = "ISA*00*          *00*          *ZZ*NUL\u0000SENDER     *ZZ*DISTGRAPH      *261127*2300*^*00401*000000901*0*T*>~";
    const body = `${isa}\nGS*IB*NULSENDER*DISTGRAPH*20261127*2300*901*X*004010~\nST*846*0001~\nBIA*00*MM*NUL-1*20261127*2300~\nN1*WH*A*92*FX-WH-A~\nLIN*1*SK*FX-5~\nQTY*17*5*EA~\nSE*6*0001~\nGE*1*901~\nIEA*1*000000901~\n`;
    const res = await post(ctx.base, "/ingest/x12", body, { "content-type": "application/edi-x12" });
    expect(res.status).toBeLessThan(500);
    expect(res.text).not.toMatch(LEAKS);
    const stored = await message(ctx, res.json.messageId);
    expect(stored.idempotencyKey).toContain("NUL\\u0000SENDER");
    expect(rawOf(stored).equals(Buffer.from(body, "latin1"))).toBe(true);
    // The group is acknowledged like any other (the 997 is written before the answer): its keys
    // and the envelope values it echoes hold the NUL escaped, as the message store keeps them.
    const acks = await ctx.db.outboundDocument.findMany({ where: { type: "997", inboundMessageIds: { has: res.json.messageId } } });
    expect(acks).toHaveLength(1);
    expect(acks[0].documentKey).toBe(`997:${stored.idempotencyKey.split("/").slice(0, 4).join("/")}:${res.json.messageId}`);
    expect(acks[0].partner).toBe("X12:ZZ:NUL\\u0000SENDER");
    expect(acks[0].content).not.toContain("\u0000");
    const segments = acks[0].content.split("~").map((seg) => seg.trim().split("*"));
    expect(segments[0][8].trim()).toBe("NUL\\u0000SENDER");
    expect(segments.filter((seg) => seg[0].startsWith("AK"))).toEqual([
      ["AK1", "IB", "901"],
      ["AK2", "846", "0001"],
      ["AK5", "A"],
      ["AK9", "A", "1", "1", "1"],
    ]);
  });
}

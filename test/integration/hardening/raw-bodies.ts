// Issue 7 item 10: raw bodies are read in pages bounded by bytes (per request, across aliases),
// an oversized body keeps only a small prefix, and processed messages' raw bodies are pruned
// after the retention period, never dead letters', without weakening duplicate detection.
import { expect, it } from "vitest";
import { post } from "../../helpers/ingest.js";
import { gql, gqlOk } from "../../helpers/graphql.js";
import { pruneRawBodies } from "../../../platform/ingest/retention.js";
import { pruneHandlingRecords } from "../../../platform/events/handling-record.js";
import { message, rawOf, wms, type HardeningContext } from "./context.js";

const KB = 1024;

export function rawBodyTests(ctx: HardeningContext) {
  const bodies: string[] = [];
  const ids: string[] = [];

  it("reads raw bodies within a per-request byte budget, across aliases and list items, and in slices", async () => {
    for (let i = 0; i < 3; i++) {
      bodies.push(JSON.stringify(wms({ eventId: `big-${i}`, sku: "FX-5", location: "FX-WH-C", note: String(i).repeat(100 * KB) })));
      const res = await post(ctx.base, "/ingest/wms/inventory", bodies[i]);
      expect(res.json.state).toBe("PROCESSED");
      ids.push(res.json.messageId);
    }
    // 3 x ~100 KB against a budget of 250 KB: the third read is refused, the rest of the answer stands.
    const aliases = await gql(
      ctx.url,
      `query($a: ID!, $b: ID!, $c: ID!) { a: inboundMessage(id: $a) { sizeBytes raw } b: inboundMessage(id: $b) { raw } c: inboundMessage(id: $c) { id raw } }`,
      { a: ids[0], b: ids[1], c: ids[2] },
    );
    expect(aliases.data!.a.raw).toBe(bodies[0]);
    expect(aliases.data!.a.sizeBytes).toBe(Buffer.byteLength(bodies[0]));
    expect(aliases.data!.b.raw).toBe(bodies[1]);
    expect(aliases.data!.c).toEqual({ id: ids[2], raw: null });
    expect(aliases.errors).toHaveLength(1);
    expect(aliases.errors![0]).toMatchObject({ path: ["c", "raw"], extensions: { code: "RAW_BUDGET_EXCEEDED" } });
    expect(aliases.errors![0].message).toMatch(/raw\(offset, length\)/);

    const list = await gql(ctx.url, `{ inboundMessages(first: 500, filter: { source: "wms" }) { totalCount nodes { id sizeBytes rawBase64 } } }`);
    expect(list.data!.inboundMessages.nodes.length).toBe(Math.min(500, list.data!.inboundMessages.totalCount));
    const returned = list.data!.inboundMessages.nodes.reduce((sum: number, n: any) => sum + (n.rawBase64 ? Buffer.from(n.rawBase64, "base64").length : 0), 0);
    expect(returned).toBeLessThanOrEqual(250 * KB);
    expect(list.errors!.every((e) => e.extensions?.code === "RAW_BUDGET_EXCEEDED")).toBe(true);

    const slice = await gqlOk(
      ctx.url,
      `query($id: ID!) { inboundMessage(id: $id) { raw(offset: 10, length: 20) rawBase64(offset: 100000, length: 1000000) } }`,
      { id: ids[2] },
    );
    expect(slice.inboundMessage.raw).toBe(bodies[2].slice(10, 30));
    expect(Buffer.from(slice.inboundMessage.rawBase64, "base64").toString()).toBe(bodies[2].slice(100_000));
    const bad = await gql(ctx.url, `query($id: ID!) { inboundMessage(id: $id) { raw(offset: -1) } }`, { id: ids[2] });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "INVALID_ARGUMENT", argument: "offset" });
  });

  it("keeps only the configured prefix of an oversized body", async () => {
    const huge = Buffer.alloc(300 * KB, "x");
    const res = await post(ctx.base, "/ingest/wms/inventory", huge);
    expect(res.status).toBe(413);
    expect(res.json.error).toBe(`body of ${300 * KB} bytes exceeds the limit of ${256 * KB} bytes; the first 1024 bytes are kept`);
    const stored = await message(ctx, res.json.messageId);
    expect(stored.sizeBytes).toBe(1024);
    expect(rawOf(stored).equals(huge.subarray(0, 1024))).toBe(true);
  });

  it("prunes processed messages' raw bodies after the retention period, never a dead letter's, and still tells duplicates from conflicts", async () => {
    const dead = await post(ctx.base, "/ingest/wms/inventory", JSON.stringify(wms({ eventId: "keep-dead", sku: "FX-NOPE" })));
    expect(dead.json.state).toBe("DEAD_LETTER");
    const pruned = await pruneRawBodies(ctx.db, { olderThan: new Date(Date.now() + 60_000) });
    expect(pruned).toBeGreaterThanOrEqual(3);
    const gone = await gqlOk(ctx.url, `query($id: ID!) { inboundMessage(id: $id) { state sizeBytes raw rawBase64 rawPurgedAt } }`, { id: ids[0] });
    expect(gone.inboundMessage).toMatchObject({ state: "PROCESSED", sizeBytes: Buffer.byteLength(bodies[0]), raw: null, rawBase64: null });
    expect(gone.inboundMessage.rawPurgedAt).not.toBeNull();
    const kept = await message(ctx, dead.json.messageId);
    expect(rawOf(kept).toString()).toBe(JSON.stringify(wms({ eventId: "keep-dead", sku: "FX-NOPE" })));

    expect((await post(ctx.base, "/ingest/wms/inventory", bodies[0])).json).toMatchObject({ state: "DUPLICATE", duplicateOf: ids[0] });
    const changed = await post(ctx.base, "/ingest/wms/inventory", bodies[0].replace('"quantity":1', '"quantity":2'));
    expect(changed.status).toBe(409);
    expect(await pruneRawBodies(ctx.db, { olderThan: new Date(Date.now() + 60_000) })).toBe(1); // the new duplicate only
  });

  it("deletes consumers' handling records (trace's HANDLED steps) older than the retention period, and only those", async () => {
    const [event] = await ctx.db.eventLog.findMany({ orderBy: { sequence: "desc" }, take: 1 });
    expect(event).toBeDefined();
    const old = new Date(Date.now() - 40 * 86_400_000);
    await ctx.db.consumerHandling.createMany({
      data: [
        { consumer: "test.retention-old", sequence: event.sequence, handledAt: old, durationMs: 1 },
        { consumer: "test.retention-new", sequence: event.sequence, durationMs: 1 },
      ],
    });
    expect(await pruneHandlingRecords(ctx.db, new Date(Date.now() - 30 * 86_400_000))).toBe(1);
    const left = await ctx.db.consumerHandling.findMany({ where: { consumer: { startsWith: "test.retention-" } } });
    expect(left.map((h) => h.consumer)).toEqual(["test.retention-new"]);
  });
}

// Issue 9 item 8: X12 through HTTP. A byte-order mark, the full idempotency key, exact set bytes,
// GE01/IEA01 counts as warnings (shown by the ops CLI), replay that re-runs splitting, and 846
// locations given only in SDQ segments.
import { expect, it } from "vitest";
import { post, stockState } from "../../helpers/ingest.js";
import { gqlOk } from "../../helpers/graphql.js";
import { inventoryAdvice, x12 } from "../../helpers/x12.js";
import { receiveMessages } from "../../../platform/ingest/message-store.js";
import { message, onHand, rawOf, runOps, type HardeningContext } from "./context.js";

type AdviceOptions = Partial<Parameters<typeof x12>[0]> & { n1?: string | null; date?: string };

/** A one-set 846; its DTM time is 23:<last two digits of control>, so each test's levels are newer than the last. */
const advice = (control: string, items: string[], { n1, date, ...options }: AdviceOptions = {}) =>
  x12({
    control: `000000${control}`,
    eol: "\n",
    ...options,
    groups: [
      { control, sets: [{ id: "846", control: "0001", segments: inventoryAdvice(`REF-${control}`, items, { n1, date, time: `23${control.slice(-2)}` }) }] },
    ],
  });

export function x12EnvelopeTests(ctx: HardeningContext) {
  it("accepts an interchange that starts with a UTF-8 byte-order mark", async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(advice("401", ["LIN*1*SK*FX-4", "QTY*17*12*EA"]))]);
    const res = await post(ctx.base, "/ingest/x12", body, { "content-type": "application/edi-x12" });
    expect(res.status).toBe(200);
    expect(res.json.state).toBe("PROCESSED");
    expect(await onHand(ctx, "FX-4", "LOC-FX-WH-A")).toBe(12);
  });

  it("keys a set on sender, receiver, ISA13, GS06, ST01 and ST02", async () => {
    const items = ["LIN*1*SK*FX-4", "QTY*17*9*EA"];
    const toUs = await post(ctx.base, "/ingest/x12", advice("402", items, { n1: "N1*WH*C*92*FX-WH-C" }));
    const toOther = await post(ctx.base, "/ingest/x12", advice("402", items, { n1: "N1*WH*C*92*FX-WH-C", receiver: ["ZZ", "OTHERDC"] }));
    expect(toUs.json.state).toBe("PROCESSED");
    // Its own message (the same level again, so reconciled), not a duplicate of the first.
    expect(toOther.json).toMatchObject({ state: "RECONCILED" });
    expect(toOther.json.duplicateOf).toBeUndefined();
    expect((await message(ctx, toUs.json.messageId)).idempotencyKey).toBe("ZZ:ACMEWMS/ZZ:DISTGRAPH/000000402/402/846/0001");
    expect((await message(ctx, toOther.json.messageId)).idempotencyKey).toBe("ZZ:ACMEWMS/ZZ:OTHERDC/000000402/402/846/0001");
  });

  it("keeps the exact bytes of each transaction set, line breaks included", async () => {
    const single = advice("403", ["LIN*1*SK*FX-4", "QTY*17*8*EA"], { eol: "\r\n", n1: "N1*WH*B*92*FX-WH-B" });
    const one = await post(ctx.base, "/ingest/x12", single);
    expect(one.json.state).toBe("PROCESSED");
    expect(rawOf(await message(ctx, one.json.messageId)).toString("latin1")).toBe(single);

    const set = (control: string, sku: string) => ({
      id: "846",
      control,
      segments: inventoryAdvice(`REF-404-${control}`, [`LIN*1*SK*${sku}`, "QTY*17*2*EA"], { n1: "N1*WH*B*92*FX-WH-B", time: "2304" }),
    });
    const two = x12({ control: "000000404", eol: "\r\n", groups: [{ control: "404", sets: [set("0001", "FX-5"), set("0002", "FX-1")] }] });
    const res = await post(ctx.base, "/ingest/x12", two);
    expect(res.json.messages.map((m: any) => m.state)).toEqual(["PROCESSED", "PROCESSED"]);
    const lines = two
      .split("\r\n")
      .filter(Boolean)
      .map((l) => `${l}\r\n`);
    const stAt = lines.flatMap((l, i) => (l.startsWith("ST*") ? [i] : []));
    const seAt = lines.flatMap((l, i) => (l.startsWith("SE*") ? [i] : []));
    for (const [i, m] of res.json.messages.entries()) {
      // every byte of the set's message is a byte the sender sent: its envelope segments and its own ST..SE
      const expected = [lines[0], lines[1], ...lines.slice(stAt[i], seAt[i] + 1), lines.at(-2), lines.at(-1)].join("");
      expect(rawOf(await message(ctx, m.messageId)).toString("latin1")).toBe(expected);
    }
  });

  it("records GE01 and IEA01 counts that disagree with the content as warnings, shown by the ops CLI", async () => {
    const body = x12({
      control: "000000405",
      iea01: 3,
      groups: [
        {
          control: "405",
          ge01: 2,
          sets: [
            { id: "846", control: "0001", segments: inventoryAdvice("REF-405", ["LIN*1*SK*FX-4", "QTY*17*6*EA"], { n1: "N1*WH*B*92*FX-WH-B", time: "2305" }) },
          ],
        },
      ],
    });
    const res = await post(ctx.base, "/ingest/x12", body);
    expect(res.status).toBe(200);
    expect(res.json.state).toBe("PROCESSED");
    const stored = await message(ctx, res.json.messageId);
    expect(stored.warnings).toEqual([
      { step: "RECEIVE", code: "X12_COUNT_MISMATCH", message: "GE01 says 2 transaction sets, functional group 405 has 1", where: "segment 10 (GE)" },
      { step: "RECEIVE", code: "X12_COUNT_MISMATCH", message: "IEA01 says 3 functional groups, the interchange has 1", where: "segment 11 (IEA)" },
    ]);
    expect(res.json.warnings).toHaveLength(2);
    const shown = await runOps(ctx.url, ["show", res.json.messageId]);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain("warning [RECEIVE] X12_COUNT_MISMATCH: GE01 says 2 transaction sets, functional group 405 has 1 (segment 10 (GE))");
  });

  it("re-runs splitting when an interchange stored whole is replayed", async () => {
    // As stored before the byte-order-mark fix: the whole interchange, dead-lettered at splitting.
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(advice("406", ["LIN*1*SK*FX-3", "QTY*17*21*EA"], { n1: "N1*WH*C*92*FX-WH-C" }))]);
    const [stored] = await receiveMessages(ctx.db, [
      { source: "x12", kind: "interchange", idempotencyKey: "sha256:legacy-406", correlationId: "legacy-406", contentType: "application/edi-x12", raw: body },
    ]);
    await ctx.db.inboundMessage.update({
      where: { id: stored.message.id },
      data: { state: "DEAD_LETTER", failedStep: "PARSE", error: "not an X12 interchange: it must start with an ISA segment (at byte 0)" },
    });

    const replay = await gqlOk(ctx.url, `mutation($id: ID!) { replayInboundMessage(id: $id) { state error result } }`, { id: stored.message.id });
    expect(replay.replayInboundMessage).toMatchObject({ state: "PROCESSED", error: null });
    const parts = replay.replayInboundMessage.result.splitInto;
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ state: "PROCESSED", idempotencyKey: "ZZ:ACMEWMS/ZZ:DISTGRAPH/000000406/406/846/0001" });
    expect(await onHand(ctx, "FX-3", "LOC-FX-WH-C")).toBe(21);

    // Still not splittable: it stays a dead letter with the splitting error, not "not supported".
    const truncated = await post(ctx.base, "/ingest/x12", advice("407", ["LIN*1*SK*FX-3", "QTY*17*1*EA"]).slice(0, 200));
    expect(truncated.status).toBe(400);
    const again = await gqlOk(ctx.url, `mutation($id: ID!) { replayInboundMessage(id: $id) { state failedStep error } }`, { id: truncated.json.messageId });
    expect(again.replayInboundMessage).toMatchObject({ state: "DEAD_LETTER", failedStep: "PARSE" });
    expect(again.replayInboundMessage.error).toMatch(/truncated/);
  });

  it("applies an 846 whose locations are only in SDQ segments, mapped through the location cross-references", async () => {
    await ctx.db.crossReference.create({ data: { kind: "LOCATION", system: "X12", externalValue: "0042", canonicalId: "LOC-FX-WH-C" } });
    await ctx.db.location.update({ where: { id: "LOC-FX-WH-B" }, data: { gln: "0614141000005" } });
    const items = ["LIN*1*SK*FX-1", "QTY*17*30*EA", "SDQ*EA*92*0042*20*FX-WH-A*10", "LIN*2*SK*FX-3", "QTY*33*9*EA", "SDQ*EA*UL*0614141000005*4"];
    const res = await post(ctx.base, "/ingest/x12", advice("408", items, { n1: null, date: "20261129" }));
    expect(res.status).toBe(200);
    expect(res.json.state).toBe("PROCESSED");
    expect(await onHand(ctx, "FX-1", "LOC-FX-WH-C")).toBe(20);
    expect(await onHand(ctx, "FX-1", "LOC-FX-WH-A")).toBe(10);
    const fx3 = await ctx.db.inventoryPosition.findUnique({ where: { sku_locationId: { sku: "FX-3", locationId: "LOC-FX-WH-B" } } });
    expect(fx3!.onHand - fx3!.allocated - fx3!.reserved - fx3!.damaged - fx3!.qualityHold - fx3!.safetyStock).toBe(4);
    // QTY*33 says 9, its SDQ breakdown sums to 4: applied per location, the difference is a warning.
    const stored = await message(ctx, res.json.messageId);
    expect(stored.warnings).toEqual([
      { step: "VALIDATE", code: "X12_QUANTITY_MISMATCH", message: "QTY*33 says 9, its SDQ quantities sum to 4", where: "segment 8 (QTY)" },
    ]);

    const before = await stockState(ctx.db);
    const unknown = await post(ctx.base, "/ingest/x12", advice("409", ["LIN*1*SK*FX-1", "SDQ*EA*92*0099*1*0098*2"], { n1: null, date: "20261129" }));
    expect(unknown.status).toBe(422);
    expect(unknown.json).toMatchObject({ state: "DEAD_LETTER", failedStep: "MAP" });
    expect(unknown.json.error).toMatch(/no mapping for LOCATION 0099 from X12 \(at segment 5 \(SDQ\)\)/);
    expect(await stockState(ctx.db)).toEqual(before);
    // Sent again: the original's outcome (422 and its id), not a 200 DUPLICATE.
    const resent = await post(ctx.base, "/ingest/x12", advice("409", ["LIN*1*SK*FX-1", "SDQ*EA*92*0099*1*0098*2"], { n1: null, date: "20261129" }));
    expect(resent.status).toBe(422);
    expect(resent.json).toMatchObject({ state: "DUPLICATE", original: { messageId: unknown.json.messageId, state: "DEAD_LETTER", failedStep: "MAP" } });
  });
}

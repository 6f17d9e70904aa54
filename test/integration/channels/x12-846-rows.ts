// The 846 adapter reads its codes from the mapping rows, like the 850: the snapshot time's
// qualifier (DATE_QUALIFIER) and zone (TIME_ZONE), and the quantities' units (UNIT). An unknown
// code is a MAP dead letter naming it; a row added by the API and a replay complete it. The
// clock-skew check still applies to the resolved time.
import { expect, it } from "vitest";
import { gqlOk } from "../../helpers/graphql.js";
import { inventoryAdvice, x12 } from "../../helpers/x12.js";
import { mapRefs, postX12, type ChannelContext } from "./context.js";

const advice = (control: string, items: string[], options: { date?: string; time?: string; zone?: string } = {}) =>
  x12({
    control,
    groups: [
      {
        control: control.slice(-4),
        sets: [
          {
            id: "846",
            control: "0001",
            segments: inventoryAdvice(`REF-846-${control}`, items, { n1: "N1*WH*ATLANTA*92*WH-ATL", date: options.date, time: options.time }).map((s) =>
              s.startsWith("DTM*405") && options.zone ? s.replace(/\*UT$/, `*${options.zone}`) : s,
            ),
          },
        ],
      },
    ],
  });

export function x12AdviceRowsTests(ctx: ChannelContext) {
  const position = (sku: string) => ctx.db.inventoryPosition.findUniqueOrThrow({ where: { sku_locationId: { sku, locationId: "LOC-WH-ATL" } } });

  it("times a snapshot by the TIME_ZONE row of its DTM04 (ET: -05:00)", async () => {
    const r = await postX12(ctx, advice("000008461", ["LIN*1*SK*CH-GADGET", "QTY*17*80*EA"], { date: "20261127", time: "2300", zone: "ET" }));
    expect(r.status).toBe(200);
    const p = await position("CH-GADGET");
    expect(p.onHand).toBe(80);
    expect(p.levelAsOf?.toISOString()).toBe("2026-11-28T04:00:00.000Z");
  });

  it("dead-letters an unknown zone and unit code at once, and applies the snapshot after the rows are added and it is replayed", async () => {
    const r = await postX12(ctx, advice("000008462", ["LIN*1*SK*CH-WIDGET", "QTY*17*2*BG"], { date: "20261127", time: "2300", zone: "XX" }));
    expect(r.status).toBe(422);
    expect(r.json).toMatchObject({
      failedStep: "MAP",
      error: "no mapping for TIME_ZONE XX from X12 (at segment 3 (DTM)); no mapping for UNIT BG from X12 (at segment 6 (QTY))",
    });
    await mapRefs(ctx, [
      { kind: "TIME_ZONE", system: "X12", externalValue: "XX", canonicalId: "America/Chicago" },
      { kind: "UNIT", system: "X12", externalValue: "BG", canonicalId: "CS" },
    ]);
    const replayed = await gqlOk(ctx.url, `mutation($id: ID!) { replayInboundMessage(id: $id) { state } }`, { id: r.json.messageId });
    expect(replayed.replayInboundMessage.state).toBe("PROCESSED");
    const p = await position("CH-WIDGET");
    expect(p.onHand).toBe(24); // 2 BG = 2 CS of 12
    expect(p.levelAsOf?.toISOString()).toBe("2026-11-28T05:00:00.000Z"); // 23:00 in Chicago in November (CST)
  });

  it("refuses a snapshot time (after its zone is applied) beyond the allowed clock skew", async () => {
    const r = await postX12(ctx, advice("000008463", ["LIN*1*SK*CH-GADGET", "QTY*17*1*EA"], { date: "20261130", time: "1910", zone: "ET" }));
    expect(r.status).toBe(422);
    expect(r.json.error).toBe(
      "source time 2026-12-01T00:10:00.000Z is more than the allowed clock skew of 5 minutes ahead of this server's clock (2026-12-01T00:00:00.000Z) (at segment 3 (DTM))",
    );
  });
}

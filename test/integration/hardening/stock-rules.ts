// Issue 7 items 2, 3 and 5: a snapshot touches only what it lists unless the caller asks for a
// full count; source times beyond the clock skew are refused and a frozen position can be
// unfrozen (audited); on hand may go negative, within documented bounds, as a recorded exception.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { post, stockState } from "../../helpers/ingest.js";
import { gql, gqlOk } from "../../helpers/graphql.js";
import { inventoryAdvice, x12 } from "../../helpers/x12.js";
import { message, onHand, runOps, wms, type HardeningContext } from "./context.js";
import { shipStock } from "../../../subgraphs/inventory/shipped-stock.js";
import { receiveReturnedStock } from "../../../subgraphs/inventory/returns.js";

const RECONCILE = `mutation($s: InventorySnapshotInput!, $apply: Boolean) { reconcileInventory(snapshot: $s, apply: $apply) {
  applied positionsCompared positionsWithDrift positionsZeroed lines { sku locationId current snapshot drift listed outcome } } }`;

export function stockRuleTests(ctx: HardeningContext) {
  const loc = "LOC-FX-WH-C";
  const skus = ["SR-1", "SR-2", "SR-3"];

  it("applies a partial snapshot to the positions it lists only; a full count lists what it would zero first", async () => {
    await ctx.db.product.createMany({ data: skus.map((sku) => ({ sku, description: `Snapshot scope ${sku}`, baseUnit: "EA" })) });
    const counts = skus.map((sku, i) =>
      wms({ eventId: `sr-count-${i}`, type: "COUNT", sku, location: "FX-WH-C", quantity: 10 * (i + 1), occurredAt: "2026-11-28T08:00:00Z" }),
    );
    expect((await post(ctx.base, "/ingest/wms/inventory", JSON.stringify(counts))).status).toBe(200);

    const partial = { asOf: "2026-11-28T09:00:00Z", positions: [{ sku: "SR-1", locationId: loc, onHand: 15 }] };
    const applied = (await gqlOk(ctx.url, RECONCILE, { s: partial, apply: true })).reconcileInventory;
    expect(applied).toMatchObject({ applied: true, positionsCompared: 1, positionsWithDrift: 1, positionsZeroed: 0 });
    expect(await onHand(ctx, "SR-1", loc)).toBe(15);
    expect(await onHand(ctx, "SR-2", loc)).toBe(20);
    expect(await onHand(ctx, "SR-3", loc)).toBe(30);

    // A full count, asked for explicitly: the dry run names every position it would set to 0.
    const full = { ...partial, asOf: "2026-11-28T09:30:00Z", full: true };
    const before = await stockState(ctx.db);
    const dry = (await gqlOk(ctx.url, RECONCILE, { s: full, apply: false })).reconcileInventory;
    expect(await stockState(ctx.db)).toEqual(before);
    expect(dry.applied).toBe(false);
    const unlisted = dry.lines.filter((l: any) => !l.listed);
    expect(unlisted.filter((l: any) => skus.includes(l.sku)).map((l: any) => [l.sku, l.current, l.snapshot, l.outcome])).toEqual([
      ["SR-2", 20, 0, "NOT_APPLIED"],
      ["SR-3", 30, 0, "NOT_APPLIED"],
    ]);
    expect(dry.positionsZeroed).toBe(unlisted.length);
    const cli = await runOps(ctx.url, ["reconcile", "--full", writeSnapshot(full)]);
    expect(cli.stderr).toBe("");
    expect(cli.status).toBe(0);
    expect(cli.stdout).toContain(`would set ${unlisted.length} unlisted position(s) to 0`);
    expect(cli.stdout).toMatch(/LOC-FX-WH-C SR-3: 30 -> 0 \(-30\) NOT_APPLIED, not listed/);
  });

  it("refuses source times beyond the allowed clock skew, naming it, on every source and in reconciliation", async () => {
    const before = await stockState(ctx.db);
    const count = await post(
      ctx.base,
      "/ingest/wms/inventory",
      JSON.stringify(wms({ eventId: "future-count", type: "COUNT", sku: "SR-1", location: "FX-WH-C", quantity: 999, occurredAt: "9999-12-31T00:00:00Z" })),
    );
    expect(count.status).toBe(422);
    expect(count.json).toMatchObject({ state: "DEAD_LETTER", failedStep: "VALIDATE" });
    expect(count.json.error).toMatch(/9999-12-31T00:00:00\.000Z is more than the allowed clock skew of 5 minutes ahead of this server's clock.*\$\.occurredAt/);

    const edi = x12({
      control: "000000501",
      groups: [
        {
          control: "501",
          sets: [
            {
              id: "846",
              control: "0001",
              segments: inventoryAdvice("FUTURE", ["LIN*1*SK*SR-1", "QTY*17*5*EA"], { n1: "N1*WH*C*92*FX-WH-C", date: "99991231" }),
            },
          ],
        },
      ],
    });
    const advice = await post(ctx.base, "/ingest/x12", edi);
    expect(advice.status).toBe(422);
    expect(advice.json.error).toMatch(/clock skew.*segment 3 \(DTM\)/);

    const snapshot = await gql(ctx.url, RECONCILE, {
      s: { asOf: "9999-12-31T00:00:00Z", positions: [{ sku: "SR-1", locationId: loc, onHand: 1 }] },
      apply: true,
    });
    expect(snapshot.errors?.[0]).toMatchObject({ extensions: { code: "INVALID_ARGUMENT", argument: "snapshot.asOf" } });
    expect(await stockState(ctx.db)).toEqual(before);
  });

  it("refuses future source times on Shopify levels, WMS shipments, TMS milestones and X12 856 and 945 too, naming the time, the skew and where", async () => {
    const skew = (time: string, where: string) =>
      new RegExp(
        `source time ${time} is more than the allowed clock skew of 5 minutes ahead of this server's clock .*\\(at ${where.replace(/[$.()]/g, "\\$&")}\\)`,
      );
    const set = (id: string, control: string, segments: string[]) =>
      x12({
        sender: ["ZZ", "SKEWPARTNER"],
        control: `000000${control}`,
        groups: [{ control, functionalId: id === "856" ? "SH" : "SW", sets: [{ id, control: "0001", segments }] }],
      });
    const cases: { name: string; path: string; body: string; headers?: Record<string, string>; error: RegExp }[] = [
      {
        name: "Shopify inventory_levels/update",
        path: "/ingest/shopify/inventory_levels/update",
        body: JSON.stringify({ inventory_item_id: 4101, location_id: 5101, available: 3, updated_at: "2099-12-31T00:00:00-05:00" }),
        headers: { "x-shopify-webhook-id": "skew-shop-1" },
        error: skew("2099-12-31T05:00:00.000Z", "$.updated_at"),
      },
      {
        name: "WMS shipment confirmation",
        path: "/ingest/wms/shipments",
        body: JSON.stringify({
          eventId: "skew-ship-1",
          warehouseOrderNumber: "WO-SKEW",
          shippedAt: "2099-12-31T00:00:00Z",
          carrier: { scac: "UPSN" },
          packages: [{ sscc: "000000000000000017", items: [{ sku: "FX-1", quantity: 1 }] }],
        }),
        error: skew("2099-12-31T00:00:00.000Z", "$.shippedAt"),
      },
      {
        name: "TMS milestone",
        path: "/ingest/tms/milestones",
        body: JSON.stringify({ eventId: "skew-tms-1", shipment: { trackingNumber: "1ZSKEW" }, code: "DELIVERED", occurredAt: "2099-12-31T00:00:00+01:00" }),
        error: skew("2099-12-30T23:00:00.000Z", "$.occurredAt"),
      },
      {
        name: "X12 856",
        path: "/ingest/x12",
        body: set("856", "701", [
          "BSN*00*SKEW-ASN*20991231*0100",
          "HL*1**S",
          "N1*ST*WAREHOUSE C*92*FX-WH-C",
          "HL*2*1*O",
          "HL*3*2*I",
          "LIN*1*SK*FX-1",
          "SN1*1*5*EA",
        ]),
        error: skew("2099-12-31T01:00:00.000Z", "segment 2 (BSN)"),
      },
      {
        name: "X12 945",
        path: "/ingest/x12",
        body: set("945", "702", ["W06*F*WO-SKEW*20991231*CONS-SKEW", "G62*11*20991231*W*1015", "LX*1", "W12*CC*1*1*0*EA**VN*FX-1"]),
        error: skew("2099-12-31T10:15:00.000Z", "segment 2 (W06)"),
      },
    ];
    for (const c of cases) {
      const before = await stockState(ctx.db);
      const res = await post(ctx.base, c.path, c.body, c.headers);
      expect(res.status, c.name).toBe(422);
      expect(res.json, c.name).toMatchObject({ state: "DEAD_LETTER", failedStep: "VALIDATE" });
      expect(res.json.error, c.name).toMatch(c.error);
      expect((await message(ctx, res.json.messageId)).error, c.name).toMatch(c.error);
      expect(await stockState(ctx.db), c.name).toEqual(before);
    }
  });

  it("unfreezes a position frozen by a future-dated level, audited as an event", async () => {
    // A level dated 9999 applied before the clock-skew rule existed: every later change is stale.
    await ctx.db.inventoryPosition.update({
      where: { sku_locationId: { sku: "SR-2", locationId: loc } },
      data: { levelAsOf: new Date("9999-12-31T00:00:00Z"), asOf: new Date("9999-12-31T00:00:00Z") },
    });
    const stale = await post(
      ctx.base,
      "/ingest/wms/inventory",
      JSON.stringify(wms({ eventId: "frozen-1", sku: "SR-2", location: "FX-WH-C", quantity: 4, occurredAt: "2026-11-28T11:00:00Z" })),
    );
    expect(stale.json.state).toBe("RECONCILED");

    const missingReason = await gql(ctx.url, `mutation { unfreezeInventoryPosition(sku: "SR-2", locationId: "${loc}", reason: " ") { version } }`);
    expect(missingReason.errors?.[0]?.extensions?.code).toBe("INVALID_ARGUMENT");
    const cli = await runOps(ctx.url, ["unfreeze", "SR-2", loc, "--reason", "COUNT dated 9999 by a scanner with a bad clock"]);
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(/SR-2 at LOC-FX-WH-C unfrozen: level time 9999-12-31T00:00:00.000Z -> 2026-11-28T08:00:00.000Z/);
    const events = await gqlOk(ctx.url, `{ events(types: ["InventoryPositionUnfrozen"], aggregateId: "SR-2@${loc}") { aggregateVersion payload } }`);
    expect(events.events).toHaveLength(1);
    expect(events.events[0].payload).toMatchObject({
      sku: "SR-2",
      locationId: loc,
      reason: "COUNT dated 9999 by a scanner with a bad clock",
      before: { levelAsOf: "9999-12-31T00:00:00.000Z" },
      after: { levelAsOf: "2026-11-28T08:00:00.000Z" },
    });

    const after = await post(
      ctx.base,
      "/ingest/wms/inventory",
      JSON.stringify(wms({ eventId: "frozen-2", sku: "SR-2", location: "FX-WH-C", quantity: 4, occurredAt: "2026-11-28T12:00:00Z" })),
    );
    expect(after.json.state).toBe("PROCESSED");
    expect(await onHand(ctx, "SR-2", loc)).toBe(24);
    const notFound = await gql(ctx.url, `mutation { unfreezeInventoryPosition(sku: "SR-2", locationId: "LOC-NOWHERE", reason: "x") { version } }`);
    expect(notFound.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("lets on hand go negative down to -1,000,000,000 as a recorded exception, and refuses beyond either bound", async () => {
    const at = (i: number) => `2026-11-28T13:00:0${i}Z`;
    const adjust = (eventId: string, quantity: number, i: number) =>
      post(
        ctx.base,
        "/ingest/wms/inventory",
        JSON.stringify(wms({ eventId, type: "ADJUSTMENT", sku: "SR-3", location: "FX-WH-C", quantity, occurredAt: at(i) })),
      );
    expect(await onHand(ctx, "SR-3", loc)).toBe(30);
    const toBound = await adjust("neg-1", -1_000_000_030, 1);
    expect(toBound.status).toBe(422); // a single adjustment is at most 1,000,000,000
    const down = await adjust("neg-2", -1_000_000_000, 2);
    expect(down.status).toBe(200);
    const stored = await message(ctx, down.json.messageId);
    expect(stored.warnings).toEqual([
      { step: "APPLY", code: "NEGATIVE_ON_HAND", message: "on hand of SR-3 at LOC-FX-WH-C is -999999970 after this change", where: null },
    ]);
    expect(await onHand(ctx, "SR-3", loc)).toBe(-999_999_970);
    const edge = await adjust("neg-3", -30, 3);
    expect(edge.status).toBe(200);
    expect(await onHand(ctx, "SR-3", loc)).toBe(-1_000_000_000);

    const before = await stockState(ctx.db);
    for (const [i, q] of [
      [4, -1],
      [5, -1_000_000_000],
      [6, -1_000_000_000],
    ] as const) {
      const beyond = await adjust(`neg-beyond-${i}`, q, i);
      expect(beyond.status).toBe(422);
      expect(beyond.json).toMatchObject({ state: "DEAD_LETTER", failedStep: "VALIDATE" });
      expect(beyond.json.error).toMatch(/would take on hand of SR-3 at LOC-FX-WH-C to -\d+, below the lowest allowed -1000000000/);
    }
    expect(await stockState(ctx.db)).toEqual(before);

    // The upper bound, and a move that would break it at its destination applies at neither end.
    await post(
      ctx.base,
      "/ingest/wms/inventory",
      JSON.stringify(
        wms({ eventId: "top-count", type: "COUNT", sku: "SR-1", location: "FX-WH-A", quantity: 1_000_000_000, occurredAt: "2026-11-28T13:10:00Z" }),
      ),
    );
    const beforeMove = await stockState(ctx.db);
    const move = await post(
      ctx.base,
      "/ingest/wms/inventory",
      JSON.stringify(
        wms({ eventId: "move-over", type: "MOVE", sku: "SR-1", location: "FX-WH-C", toLocation: "FX-WH-A", quantity: 1, occurredAt: "2026-11-28T13:11:00Z" }),
      ),
    );
    expect(move.status).toBe(422);
    expect(move.json.error).toMatch(/would take on hand of SR-1 at LOC-FX-WH-A to 1000000001, above the highest allowed 1000000000/);
    expect(await stockState(ctx.db)).toEqual(beforeMove);
  });

  it("bounds inbound like every bucket but on hand: a supplier's 856 up to 1,000,000,000 is taken, one more is a dead letter naming bucket, value and limit", async () => {
    // A supplier's advance ship notice (the sender is no warehouse's 3PL) raises inbound.
    const notice = (control: string, shipment: string, quantity: number) =>
      x12({
        sender: ["ZZ", "SRSUPPLIER"],
        control: `00000${control}`,
        groups: [
          {
            control,
            functionalId: "SH",
            sets: [
              {
                id: "856",
                control: "0001",
                segments: [
                  `BSN*00*${shipment}*20261128*0100`,
                  "HL*1**S",
                  "N1*ST*WAREHOUSE C*92*FX-WH-C",
                  "HL*2*1*O",
                  `PRF*PO-${shipment}`,
                  "HL*3*2*I",
                  "LIN*1*SK*SR-1",
                  `SN1*1*${quantity}*EA`,
                ],
              },
            ],
          },
        ],
      });
    const inboundOf = async () => (await ctx.db.inventoryPosition.findUniqueOrThrow({ where: { sku_locationId: { sku: "SR-1", locationId: loc } } })).inbound;
    const atLimit = await post(ctx.base, "/ingest/x12", notice("0601", "SR-ASN-1", 999_999_990));
    expect(atLimit.status).toBe(200);
    const second = await post(ctx.base, "/ingest/x12", notice("0602", "SR-ASN-2", 10));
    expect(second.status).toBe(200);
    expect(await inboundOf()).toBe(1_000_000_000);

    const before = await stockState(ctx.db);
    const receipts = await ctx.db.expectedReceipt.count();
    for (const [control, shipment, quantity, total] of [
      ["0603", "SR-ASN-3", 1, 1_000_000_001],
      ["0604", "SR-ASN-4", 99_999_999_999, 100_999_999_999],
    ] as const) {
      const beyond = await post(ctx.base, "/ingest/x12", notice(control, shipment, quantity));
      expect(beyond.status).toBe(422);
      expect(beyond.json).toMatchObject({ state: "DEAD_LETTER", failedStep: "VALIDATE" });
      expect(beyond.json.error).toContain(`would take inbound of SR-1 at LOC-FX-WH-C to ${total}, above the highest allowed 1000000000`);
      expect(beyond.json.error).toMatch(/segment \d+ \(LIN\)/);
    }
    // A resend of the first notice with a lower quantity replaces it (not added), so it is taken.
    const resend = await post(ctx.base, "/ingest/x12", notice("0605", "SR-ASN-1", 999_999_989));
    expect(resend.status).toBe(200);
    expect(await inboundOf()).toBe(999_999_999);
    expect(await ctx.db.expectedReceipt.count()).toBe(receipts);
    const after = await stockState(ctx.db);
    expect({ ...after, events: after.events - 1, positions: after.positions.filter((p) => p.sku !== "SR-1" || p.locationId !== loc) }).toEqual({
      ...before,
      positions: before.positions.filter((p) => p.sku !== "SR-1" || p.locationId !== loc),
    });
  });

  it("fails a shipment or a return that would break a bucket's bound with the bucket named, not the table's constraint, and changes nothing", async () => {
    // The consumers of ShipmentConfirmed and ReturnChanged, run on the store as the event log would
    // run them: a failure rolls their transaction back (the event is retried, then parked with it).
    expect(await onHand(ctx, "SR-3", loc)).toBe(-1_000_000_000);
    const shipment = (id: string, quantity: number) => ({
      shipmentId: id,
      shipmentNumber: id,
      orderId: "ORD-SR",
      warehouseOrderId: null,
      locationId: loc,
      shippedAt: "2026-11-28T15:00:00Z",
      consignment: null,
      carrier: { scac: "UPSN", name: "UPS", serviceLevel: "GROUND" },
      trackingNumber: null,
      final: false,
      packages: [],
      overShipped: [],
      lines: [{ orderLineId: `${id}-1`, lineNumber: 1, sku: "SR-3", quantity, unit: "EA", unitFactor: 1, quantityReleased: null, lots: [] }],
    });
    const before = await stockState(ctx.db);
    await expect(ctx.db.$transaction((tx) => shipStock(tx, shipment("SHP-SR-1", 1), "corr-sr-ship", "evt-sr-ship"))).rejects.toThrow(
      "shipment SHP-SR-1 line 1 would take on hand of SR-3 at LOC-FX-WH-C to -1000000001, below the lowest allowed -1000000000",
    );
    expect(await stockState(ctx.db)).toEqual(before);

    await ctx.db.inventoryPosition.update({ where: { sku_locationId: { sku: "SR-2", locationId: loc } }, data: { damaged: 999_999_999 } });
    const receipt = (n: number) => ({
      returnId: "RMA-SR",
      returnNumber: "RMA-SR",
      orderId: "ORD-SR",
      customerId: "C-SR",
      currency: "USD",
      locationId: loc,
      change: "RECEIVED" as const,
      status: "PARTIALLY_RECEIVED" as const,
      receipt: n,
      reason: "damaged in transit",
      lines: [
        {
          lineNumber: 1,
          orderLineId: "ORD-SR-1",
          sku: "SR-2",
          unit: "EA",
          unitFactor: 1,
          unitPrice: "1.00",
          authorized: 5,
          restocked: 0,
          damaged: 1,
          qualityHold: 0,
        },
      ],
    });
    await ctx.db.$transaction((tx) => receiveReturnedStock(tx, receipt(1), "corr-sr-ret", "evt-sr-ret-1"));
    const atLimit = await ctx.db.inventoryPosition.findUniqueOrThrow({ where: { sku_locationId: { sku: "SR-2", locationId: loc } } });
    expect(atLimit.damaged).toBe(1_000_000_000);
    const beforeReturn = await stockState(ctx.db);
    await expect(ctx.db.$transaction((tx) => receiveReturnedStock(tx, receipt(2), "corr-sr-ret", "evt-sr-ret-2"))).rejects.toThrow(
      "return RMA-SR receipt 2 line 1 would take damaged of SR-2 at LOC-FX-WH-C to 1000000001, above the highest allowed 1000000000",
    );
    expect(await stockState(ctx.db)).toEqual(beforeReturn);
  });
}

function writeSnapshot(snapshot: object): string {
  const file = path.join(os.tmpdir(), `snapshot-${process.pid}-${Date.now()}.json`);
  fs.writeFileSync(file, JSON.stringify(snapshot));
  return file;
}

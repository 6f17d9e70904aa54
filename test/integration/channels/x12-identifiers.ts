// X12 850 identifiers through POST /ingest/x12 with real bytes: GS1 check digits (a PO1 GTIN, an
// N1 ST and N1 BY GLN with qualifier UL) recorded as GS1_CHECK_DIGIT warnings on the message while
// the order is captured; PO1 qualifiers UP / UA / BP, a buyer known only by its N1 BT GLN, a DUNS
// ship-to; pack sizes from PO4 (a product with no case conversion, and a PO4 that disagrees with
// the item master); and the envelope key's ST01 (an 846 and an 850 with the same control numbers
// are two messages).
import { expect, it } from "vitest";
import { inventoryAdvice, x12 } from "../../helpers/x12.js";
import { gs1CheckDigit } from "../../../platform/mapping/index.js";
import { GADGET_GTIN, mapRefs, message, postX12, untilDocument, untilStatus, withCheck, WIDGET_GTIN, type ChannelContext } from "./context.js";
import { x12SegmentsOf } from "./x12.js";

/** The number with its check digit wrong (one more, mod 10), and the digit it should have. */
const wrongCheck = (good: string) => ({ value: `${good.slice(0, -1)}${(Number(good.at(-1)) + 1) % 10}`, expected: gs1CheckDigit(good.slice(0, -1)) });

const po850 = (partner: string, control: string, segments: string[]) =>
  x12({
    sender: ["ZZ", partner],
    receiver: ["ZZ", "DISTGRAPH"],
    control,
    groups: [{ control: control.slice(-4), functionalId: "PO", sets: [{ id: "850", control: "0001", segments }] }],
  });

export function x12IdentifierTests(ctx: ChannelContext) {
  it("records a GTIN and two GLNs (N1 ST and BY, qualifier UL) with wrong check digits as GS1_CHECK_DIGIT warnings on the message, and still captures the order", async () => {
    const gtin = wrongCheck(withCheck("061414177771"));
    const shipGln = wrongCheck(withCheck("061414100077"));
    const buyerGln = wrongCheck(withCheck("061414100078"));
    await mapRefs(ctx, [
      { kind: "CUSTOMER", system: "X12", externalValue: "ZZ:GS1CHECK", canonicalId: "CUST-ACME" },
      // The partner's GTIN as it sends it, check digit and all: it still maps.
      { kind: "PRODUCT", system: "GS1", externalValue: gtin.value, canonicalId: "CH-GADGET" },
    ]);
    const r = await postX12(
      ctx,
      po850("GS1CHECK", "000007001", [
        "BEG*00*SA*GS1-PO-1**20261126",
        `N1*ST*ACME DC WEST*UL*${shipGln.value}`,
        `N1*BY*ACME BUYING*UL*${buyerGln.value}`,
        `PO1*1*3*EA*5.00*PE*EN*${gtin.value}`,
        "CTT*1*3",
      ]),
    );
    expect(r.status).toBe(200);
    expect(r.json.state).toBe("PROCESSED");
    const expected = [
      { step: "MAP", code: "GS1_CHECK_DIGIT", message: `GLN ${buyerGln.value} has a wrong check digit (expected ${buyerGln.expected})`, where: "customer" },
      { step: "MAP", code: "GS1_CHECK_DIGIT", message: `GLN ${shipGln.value} has a wrong check digit (expected ${shipGln.expected})`, where: "ship-to" },
      { step: "MAP", code: "GS1_CHECK_DIGIT", message: `GTIN 0${gtin.value} has a wrong check digit (expected ${gtin.expected})`, where: "line 1" },
    ];
    expect(r.json.warnings).toEqual(expected);
    // Stored on the message, as the console and the ops CLI read it.
    const m = await message(ctx, r.json.messageId);
    expect(m.warnings).toEqual(expected);
    expect(m.result).toMatchObject({ outcome: "ACCEPTED", created: true });
    const o = await untilStatus(ctx, m.result.orderId, ["ALLOCATED", "PARTIALLY_ALLOCATED", "BACKORDERED"]);
    expect(o).toMatchObject({ customer: { id: "CUST-ACME" }, customerPo: "GS1-PO-1", shipTo: { name: "ACME DC WEST", gln: shipGln.value } });
    expect(o.lines).toMatchObject([{ lineNumber: 1, sku: "CH-GADGET", quantityOrdered: 3, inBaseUnit: { unit: "EA", factor: 1, ordered: 3 } }]);
    // On the order too: the line's warning names its line.
    expect(o.capture.warnings).toEqual([
      { code: "GS1_CHECK_DIGIT", message: expected[0].message, lineNumber: null },
      { code: "GS1_CHECK_DIGIT", message: expected[1].message, lineNumber: null },
      { code: "GS1_CHECK_DIGIT", message: expected[2].message, lineNumber: 1 },
    ]);
  });

  it("reads PO1 qualifiers UP, UA and BP, a buyer known only by its N1 BT GLN, and a DUNS ship-to (kept and echoed in the 855)", async () => {
    const billTo = withCheck("061414100091");
    // The partner's ISA id is not mapped: the customer is found by the bill-to GLN.
    await mapRefs(ctx, [
      { kind: "CUSTOMER", system: "GS1", externalValue: billTo, canonicalId: "CUST-ACME" },
      { kind: "PRODUCT", system: "CUST-ACME", externalValue: "ACME-BP-9", canonicalId: "IPOD-NANO" },
    ]);
    const upc = WIDGET_GTIN.slice(1); // the 12-digit UPC-A of the 13-digit GTIN
    const r = await postX12(
      ctx,
      po850("BTONLY", "000007002", [
        "BEG*00*SA*QUAL-PO-1**20261126",
        `N1*BT*ACME ACCOUNTS PAYABLE*UL*${billTo}`,
        "N1*ST*ACME STORE 12*1*123456789",
        "N3*12 MAIN ST",
        "N4*AKRON*OH*44308",
        `PO1*1*2*EA*1.90*PE*UP*${upc}`,
        `PO1*2*3*EA*5.00*PE*UA*${GADGET_GTIN}`,
        "PO1*3*1*EA*199.00*PE*BP*ACME-BP-9",
        "CTT*3*6",
      ]),
    );
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ state: "PROCESSED" });
    expect(r.json.warnings).toBeUndefined();
    const orderId = (await message(ctx, r.json.messageId)).result.orderId;
    const o = await untilDocument(ctx, orderId, "855");
    expect(o).toMatchObject({
      customer: { id: "CUST-ACME" },
      customerPo: "QUAL-PO-1",
      externalRefs: [{ system: "X12_850", value: "ZZ:BTONLY:QUAL-PO-1" }],
      // A DUNS is not a GLN: the ship-to has none.
      shipTo: { name: "ACME STORE 12", address: "12 MAIN ST, AKRON, OH 44308", gln: null },
      totalAmount: "217.80", // 2 × 1.90 + 3 × 5.00 + 1 × 199.00
    });
    expect(o.lines.map((l: any) => [l.lineNumber, l.sku, l.gtin, l.customerPartNumber, l.unit, l.quantityOrdered, l.unitPrice])).toEqual([
      [1, "CH-WIDGET", `0${WIDGET_GTIN}`, null, "EA", 2, "1.9"],
      [2, "CH-GADGET", `0${GADGET_GTIN}`, null, "EA", 3, "5"],
      [3, "IPOD-NANO", null, "ACME-BP-9", "EA", 1, "199"],
    ]);
    // The parties as sent (qualifiers and ids), kept with the order for the documents back.
    const kept = await ctx.db.order.findUniqueOrThrow({ where: { id: orderId }, select: { partnerContext: true } });
    expect((kept.partnerContext as any).parties).toEqual([
      { role: "BT", name: "ACME ACCOUNTS PAYABLE", idQualifier: "UL", id: billTo, address: null },
      { role: "ST", name: "ACME STORE 12", idQualifier: "1", id: "123456789", address: "12 MAIN ST, AKRON, OH 44308" },
    ]);
    const segs = x12SegmentsOf(o.documents.find((d: { type: string }) => d.type === "855").content);
    expect(segs.filter((s) => s[0] === "N1")).toEqual([["N1", "ST", "ACME STORE 12", "1", "123456789"]]);
    // Each line echoed with the identifier pair it came with.
    expect(segs.filter((s) => s[0] === "PO1").map((s) => s.slice(6))).toEqual([
      ["UP", upc],
      ["UA", GADGET_GTIN],
      ["BP", "ACME-BP-9"],
    ]);
  });

  it("takes the pack size from PO4 for a case of a product with no case conversion, and warns when PO4 disagrees with the item master (ours used)", async () => {
    await mapRefs(ctx, [{ kind: "CUSTOMER", system: "X12", externalValue: "ZZ:PACKTEST", canonicalId: "CUST-ACME" }]);
    const r = await postX12(
      ctx,
      po850("PACKTEST", "000007003", [
        "BEG*00*SA*PACK-PO-1**20261126",
        // CH-GADGET has no CS conversion: PO4 says 6 eaches a case.
        `PO1*1*2*CA*30.00*CP*UA*${GADGET_GTIN}`,
        "PO4*6*1*EA",
        // CH-WIDGET's case is 12 in the item master; the buyer says 10.
        `PO1*2*1*CA*22.80*CP*EN*${WIDGET_GTIN}`,
        "PO4*10*1*EA",
        "CTT*2*3",
      ]),
    );
    expect(r.status).toBe(200);
    expect(r.json.state).toBe("PROCESSED");
    expect(r.json.warnings).toEqual([
      { step: "MAP", code: "MAPPING_WARNING", message: "pack size 10 given for CS of CH-WIDGET, but the item master says 12: 12 used", where: "line 2" },
    ]);
    const o = await untilStatus(ctx, (await message(ctx, r.json.messageId)).result.orderId, ["ALLOCATED", "PARTIALLY_ALLOCATED", "BACKORDERED"]);
    expect(o.lines.map((l: any) => [l.sku, l.unit, l.quantityOrdered, l.unitPrice, l.priceSource, l.inBaseUnit])).toEqual([
      // 2 cases of 6 = 12 eaches, priced from the each price (5.00 × 6 per case).
      ["CH-GADGET", "CS", 2, "30", "LIST_PRICE", { unit: "EA", factor: 6, ordered: 12 }],
      ["CH-WIDGET", "CS", 1, "22.8", "LIST_PRICE", { unit: "EA", factor: 12, ordered: 12 }],
    ]);
    expect(o.totalAmount).toBe("82.80");
    // Inventory is asked for eaches, in whole cases of the size the order was captured with.
    const requests = await ctx.db.allocationRequest.findMany({ where: { orderId: o.id }, orderBy: { sku: "asc" } });
    expect(requests.map((q) => [q.sku, q.unitFactor, q.quantity])).toEqual([
      ["CH-GADGET", 6, 12],
      ["CH-WIDGET", 12, 12],
    ]);
  });

  it("keys an 846 and an 850 with the same ISA13, GS06 and ST02 apart by ST01: two messages, neither a duplicate or conflict of the other", async () => {
    await mapRefs(ctx, [{ kind: "CUSTOMER", system: "X12", externalValue: "ZZ:SAMECTRL", canonicalId: "CUST-ACME" }]);
    const envelope = (id: string, functionalId: string, segments: string[]) =>
      x12({
        sender: ["ZZ", "SAMECTRL"],
        receiver: ["ZZ", "DISTGRAPH"],
        control: "000007004",
        groups: [{ control: "7004", functionalId, sets: [{ id, control: "0001", segments }] }],
      });
    const order = await postX12(ctx, envelope("850", "PO", ["BEG*00*SA*SAME-PO-1**20261126", `PO1*1*1*EA*5.00*PE*UA*${GADGET_GTIN}`]));
    const advice = await postX12(
      ctx,
      envelope("846", "IB", inventoryAdvice("SAME-846-1", ["LIN*1*SK*XYZ-NANO", "QTY*17*5*EA"], { n1: "N1*WH*ATLANTA*92*WH-ATL" })),
    );
    expect(order.status).toBe(200);
    expect(advice.status).toBe(200);
    expect(order.json.state).toBe("PROCESSED");
    expect(advice.json.state).toBe("PROCESSED");
    expect(advice.json.messageId).not.toBe(order.json.messageId);
    expect(advice.json.duplicateOf).toBeUndefined();
    expect((await message(ctx, order.json.messageId)).idempotencyKey).toBe("ZZ:SAMECTRL/ZZ:DISTGRAPH/000007004/7004/850/0001");
    expect((await message(ctx, advice.json.messageId)).idempotencyKey).toBe("ZZ:SAMECTRL/ZZ:DISTGRAPH/000007004/7004/846/0001");
    // Each applied as what it is: an order, and the stock it reported.
    expect((await message(ctx, order.json.messageId)).result).toMatchObject({ outcome: "ACCEPTED", created: true });
    const nano = await ctx.db.inventoryPosition.findUniqueOrThrow({ where: { sku_locationId: { sku: "XYZ-NANO", locationId: "LOC-WH-ATL" } } });
    expect(nano.onHand).toBe(5);
  });
}

// EDIFACT ORDERS D.96A through POST /ingest/edifact with real bytes, in a document written to the
// standard: a UNA with the default service characters, a byte-order mark and CRLF line breaks,
// release characters in names and free text, split deliveries (LOC+7/QTY+11), a price per 10
// pieces, allowances and charges, tax; then its duplicate, a conflicting resend, malformed and
// truncated copies, a structure error, custom service characters, a missing mapping and replay.
import { expect, it } from "vitest";
import { gqlOk } from "../../helpers/graphql.js";
import { gs1CheckDigit } from "../../../platform/mapping/index.js";
import { GADGET_GTIN, mapRefs, message, postEdifact, untilStatus, withCheck, WIDGET_GTIN, type ChannelContext } from "./context.js";

export const BUYER_GLN = withCheck("401234500000");
const DC_GLN = withCheck("401234500001");
const STORE_A = withCheck("401234500002");
const STORE_B = withCheck("401234500003");

/** An ORDERS D.96A interchange; `segments` between UNH and UNT, written with the default service characters. */
export function ordersInterchange(options: {
  control: string;
  document: string;
  segments?: string[];
  ref?: string;
  bom?: boolean;
  eol?: string;
  una?: boolean;
}) {
  const eol = options.eol ?? "\r\n";
  const body = options.segments ?? defaultSegments(options.document);
  const ref = options.ref ?? "M1";
  const message = [`UNH+${ref}+ORDERS:D:96A:UN:EAN008`, ...body, `UNT+${body.length + 2}+${ref}`];
  const all = [
    ...(options.una === false ? [] : ["UNA:+.? "]),
    `UNB+UNOC:3+${BUYER_GLN}:14+5412345000013:14+261127:1015+${options.control}++ORDERS`,
    ...message,
    `UNZ+1+${options.control}`,
  ];
  const text = all.map((s) => (s.startsWith("UNA") ? s + "'" : s + "'")).join(eol) + eol;
  return Buffer.concat([options.bom === false ? Buffer.alloc(0) : Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "latin1")]);
}

export function defaultSegments(document: string) {
  return [
    `BGM+220+${document}+9`,
    "DTM+137:20261127:102",
    "DTM+2:202612051400:203",
    "FTX+ZZZ+++Fragile?: handle with care, it?'s glass",
    "RFF+CT:C-2026-7",
    `NAD+BY+${BUYER_GLN}::9++M?+S Retail GmbH`,
    "NAD+SU+5412345000013::9",
    `NAD+DP+${DC_GLN}::9++Central DC+Lager Str. 5+Hamburg++20095+DE`,
    "TAX+7+VAT+++:::19+S",
    "CUX+2:USD:9",
    "ALC+C++++FC::9:Freight",
    "MOA+23:25.00",
    `LIN+1++${WIDGET_GTIN}:SRV`,
    "PIA+1+W-778:IN",
    "QTY+21:48:PCE",
    "DTM+2:20261203:102",
    "PRI+AAA:19.00:CA::10:PCE",
    `LIN+2++${GADGET_GTIN}:SRV`,
    "QTY+21:10:PCE",
    "PRI+AAA:5:CA::1:PCE",
    `LOC+7+${STORE_A}::9`,
    "QTY+11:6:PCE",
    `LOC+7+${STORE_B}::9`,
    "QTY+11:4:PCE",
    "ALC+A++++DI",
    "MOA+204:1.50",
    "UNS+S",
    "CNT+2:2",
  ];
}

export function edifactChannelTests(ctx: ChannelContext) {
  it("captures an ORDERS D.96A with exact canonical values: split deliveries, unit price basis, currency, allowances and charges (BOM, CRLF and release characters)", async () => {
    await mapRefs(ctx, [{ kind: "CUSTOMER", system: "EDIFACT", externalValue: BUYER_GLN, canonicalId: "CUST-MS" }]);
    const r = await postEdifact(ctx, ordersInterchange({ control: "EDI0001", document: "MS-PO-1001" }));
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ state: "PROCESSED" });
    expect(r.json.warnings).toBeUndefined();
    const m = await message(ctx, r.json.messageId);
    expect(m).toMatchObject({ kind: "ORDERS", idempotencyKey: `${BUYER_GLN}:14/5412345000013:14/EDI0001/ORDERS/M1` });
    const o = await untilStatus(ctx, m.result.orderId, ["ALLOCATED"]);
    expect(o).toMatchObject({
      channel: "EDI",
      customerPo: "MS-PO-1001",
      customer: { id: "CUST-MS" },
      currency: "USD",
      requestedDeliveryDate: "2026-12-05",
      shipTo: { name: "Central DC", address: "Lager Str. 5, Hamburg, 20095, DE", gln: DC_GLN },
      externalRefs: [{ system: "EDIFACT_ORDERS", value: `${BUYER_GLN}:MS-PO-1001` }],
      totalAmount: "141.20", // 48 × 1.90 (price list) + 10 × 5.00
    });
    // One line per LIN, and one per delivery place of a split LIN: numbered by position.
    expect(o.lines).toMatchObject([
      {
        lineNumber: 1,
        sku: "CH-WIDGET",
        unit: "EA",
        quantityOrdered: 48,
        quantityAllocated: 48,
        buyerUnitPrice: "1.9",
        unitPrice: "1.9",
        customerPartNumber: "W-778",
        requestedDate: "2026-12-03",
        deliverTo: null,
      },
      { lineNumber: 2, sku: "CH-GADGET", unit: "EA", quantityOrdered: 6, buyerUnitPrice: "5", deliverTo: STORE_A },
      { lineNumber: 3, sku: "CH-GADGET", unit: "EA", quantityOrdered: 4, buyerUnitPrice: "5", deliverTo: STORE_B },
    ]);
    expect(o.charges).toEqual([
      { kind: "CHARGE", code: "FC", description: "Freight", amount: "25.00", lineNumber: null },
      { kind: "ALLOWANCE", code: "DI", description: null, amount: "1.50", lineNumber: 2 },
    ]);
    // Release characters resolved: the buyer's name keeps its "+".
    const kept = await ctx.db.order.findUniqueOrThrow({ where: { id: o.id }, select: { partnerContext: true } });
    expect((kept.partnerContext as any).parties[0]).toMatchObject({ role: "BY", name: "M+S Retail GmbH", id: BUYER_GLN, agency: "9" });
    expect((kept.partnerContext as any).taxes).toEqual([{ type: "VAT", rate: "19", category: "S" }]);
  });

  it("answers a duplicate as such and a conflicting resend (same UNB/UNH references, other content) with 409, nothing applied", async () => {
    const orders = await ctx.db.order.count();
    const dup = await postEdifact(ctx, ordersInterchange({ control: "EDI0001", document: "MS-PO-1001" }));
    expect(dup.status).toBe(200);
    expect(dup.json).toMatchObject({ state: "DUPLICATE", original: { state: "PROCESSED" } });
    // The same bytes without the BOM and with LF only are the same content.
    const reformatted = await postEdifact(ctx, ordersInterchange({ control: "EDI0001", document: "MS-PO-1001", bom: false, eol: "\n" }));
    expect(reformatted.json.state).toBe("DUPLICATE");
    const segments = defaultSegments("MS-PO-1001").map((s) => (s === "QTY+21:48:PCE" ? "QTY+21:60:PCE" : s));
    const conflict = await postEdifact(ctx, ordersInterchange({ control: "EDI0001", document: "MS-PO-1001", segments }));
    expect(conflict.status).toBe(409);
    expect(conflict.json).toMatchObject({ state: "DEAD_LETTER", failedStep: "IDEMPOTENCY" });
    expect(await ctx.db.order.count()).toBe(orders);
  });

  it("dead-letters malformed, truncated and mis-structured copies naming what and where", async () => {
    const text = ordersInterchange({ control: "EDI0002", document: "MS-PO-1002", bom: false }).toString("latin1");
    const badCount = await postEdifact(ctx, text.replace(/UNT\+\d+\+M1/, "UNT+5+M1"));
    expect(badCount.status).toBe(400);
    expect(badCount.json.error).toBe("UNT 0074 says 5 segments, message M1 has 30 (at segment 31 (UNT))");
    const truncated = await postEdifact(ctx, text.slice(0, text.indexOf("UNS+S")));
    expect(truncated.status).toBe(400);
    expect(truncated.json.error).toBe("interchange is truncated: it ends with MOA instead of a UNZ trailer (at segment 28)");
    // LIN before BGM's mandatory DTM: against the D.96A segment table.
    const misplaced = defaultSegments("MS-PO-1003").filter((s) => !s.startsWith("DTM+137") && !s.startsWith("DTM+2:2026120514"));
    const structure = await postEdifact(ctx, ordersInterchange({ control: "EDI0003", document: "MS-PO-1003", segments: misplaced }));
    expect(structure.status).toBe(422);
    expect(structure.json.error).toBe("the message does not follow the ORDERS D.96A structure: A mandatory segment DTM is missing (at segment 3 (FTX))");
    const zero = defaultSegments("MS-PO-1004").map((s) => (s === "QTY+21:48:PCE" ? "QTY+21:0:PCE" : s));
    const invalid = await postEdifact(ctx, ordersInterchange({ control: "EDI0004", document: "MS-PO-1004", segments: zero }));
    expect(invalid.status).toBe(422);
    expect(invalid.json.error).toBe("ordered quantity 0 must be a whole number of at least 1 (at segment 16 (QTY))");
  });

  it("honours a UNA with other service characters (and a decimal comma), and dead-letters an unknown item until it is mapped, then replays", async () => {
    const other = withCheck("061414155559");
    const segments = [
      "BGM|220|MS-PO-2001|9",
      "DTM|137;20261127;102",
      `NAD|BY|${BUYER_GLN};;9`,
      `LIN|1||${other};SRV`,
      "QTY|21;3;PCE",
      "PRI|AAA;5,00;CA",
      "UNS|S",
    ];
    const body = [
      "UNA;|,! ~\n",
      `UNB|UNOC;3|${BUYER_GLN};14|5412345000013;14|261127;1100|EDI0005||ORDERS~\n`,
      "UNH|M1|ORDERS;D;96A;UN~\n",
      ...segments.map((s) => `${s}~\n`),
      `UNT|${segments.length + 2}|M1~\n`,
      "UNZ|1|EDI0005~\n",
    ].join("");
    const r = await postEdifact(ctx, body);
    expect(r.status).toBe(422);
    expect(r.json).toMatchObject({ failedStep: "MAP", error: `no mapping for PRODUCT 0${other} from GS1 (at line 1)` });
    await mapRefs(ctx, [{ kind: "PRODUCT", system: "GS1", externalValue: other, canonicalId: "CH-GADGET" }]);
    const replayed = await gqlOk(ctx.url, `mutation($id: ID!) { replayInboundMessage(id: $id) { state result } }`, { id: r.json.messageId });
    expect(replayed.replayInboundMessage).toMatchObject({ state: "PROCESSED", result: { outcome: "ACCEPTED" } });
    const o = await untilStatus(ctx, replayed.replayInboundMessage.result.orderId, ["ALLOCATED"]);
    expect(o.lines).toMatchObject([{ sku: "CH-GADGET", quantityOrdered: 3, buyerUnitPrice: "5", unit: "EA" }]);
  });

  it("keeps the invoicee (NAD+IV) with the order, and records a wrong GTIN and delivery-party GLN check digit as GS1_CHECK_DIGIT warnings while capturing the order", async () => {
    const invoicee = withCheck("401234500009");
    const wrong = (good: string) => `${good.slice(0, -1)}${(Number(good.at(-1)) + 1) % 10}`;
    const badDc = wrong(DC_GLN);
    const badGtin = wrong(withCheck("401234599990"));
    await mapRefs(ctx, [{ kind: "PRODUCT", system: "GS1", externalValue: badGtin, canonicalId: "CH-WIDGET" }]);
    const segments = defaultSegments("MS-PO-IV-1")
      .flatMap((seg) => (seg.startsWith("NAD+SU") ? [seg, `NAD+IV+${invoicee}::9++M?+S Buchhaltung+Postfach 12+Hamburg++20001+DE`] : [seg]))
      .map((seg) => seg.replace(`NAD+DP+${DC_GLN}`, `NAD+DP+${badDc}`).replace(`LIN+1++${WIDGET_GTIN}`, `LIN+1++${badGtin}`));
    const r = await postEdifact(ctx, ordersInterchange({ control: "EDI0100", document: "MS-PO-IV-1", segments }));
    expect(r.status).toBe(200);
    expect(r.json.state).toBe("PROCESSED");
    const expected = [
      {
        step: "MAP",
        code: "GS1_CHECK_DIGIT",
        message: `GLN ${badDc} has a wrong check digit (expected ${gs1CheckDigit(badDc.slice(0, -1))})`,
        where: "ship-to",
      },
      {
        step: "MAP",
        code: "GS1_CHECK_DIGIT",
        message: `GTIN 0${badGtin} has a wrong check digit (expected ${gs1CheckDigit(badGtin.slice(0, -1))})`,
        where: "line 1",
      },
    ];
    expect(r.json.warnings).toEqual(expected);
    const m = await message(ctx, r.json.messageId);
    expect(m.warnings).toEqual(expected);
    const o = await untilStatus(ctx, m.result.orderId, ["ALLOCATED", "PARTIALLY_ALLOCATED"]);
    expect(o).toMatchObject({ customer: { id: "CUST-MS" }, customerPo: "MS-PO-IV-1", shipTo: { name: "Central DC", gln: badDc } });
    expect(o.lines[0]).toMatchObject({ sku: "CH-WIDGET", quantityOrdered: 48, customerPartNumber: "W-778" });
    const kept = await ctx.db.order.findUniqueOrThrow({ where: { id: o.id }, select: { partnerContext: true } });
    const parties = (kept.partnerContext as any).parties;
    expect(parties.map((p: { role: string }) => p.role)).toEqual(["BY", "SU", "IV", "DP"]);
    expect(parties[2]).toMatchObject({ role: "IV", id: invoicee, agency: "9", name: "M+S Buchhaltung" });
  });

  it("cancels the order of a document number on a cancellation (BGM 1225 = 1)", async () => {
    const segments = ["BGM+220+MS-PO-1001+1", "DTM+137:20261128:102", `LIN+1++${WIDGET_GTIN}:SRV`, "QTY+21:48:PCE", "UNS+S"];
    const r = await postEdifact(ctx, ordersInterchange({ control: "EDI0006", document: "MS-PO-1001", segments }));
    expect(r.status).toBe(200);
    const o = await untilStatus(ctx, (await message(ctx, r.json.messageId)).result.orderId, ["CANCELLED"]);
    expect(o.statusHistory.at(-1)).toMatchObject({
      to: "CANCELLED",
      source: "edi",
      reason: "cancelled by the buyer's ORDERS (BGM 1225 1) for order MS-PO-1001",
    });
  });
}

// X12 850 through POST /ingest/x12 with real bytes: the sample 850 from a partner never seen
// (the README's "new user" path: dead letter naming what is unmapped, mappings by the API, replay,
// the order with its allocation, 855, 997 and history), a written 850 with cases, pack sizes,
// charges and control totals, duplicates, conflicts, malformed and truncated copies, cancellation.
import { bearer } from "../../helpers/auth.js";
import { expect, it } from "vitest";
import { X12Parser } from "node-x12";
import { gqlOk } from "../../helpers/graphql.js";
import { x12 } from "../../helpers/x12.js";
import {
  mapRefs,
  message,
  order,
  orderByRef,
  postX12,
  sample,
  untilDocument,
  untilStatus,
  withCheck,
  WIDGET_GTIN,
  XYZ_ITEMS,
  type ChannelContext,
} from "./context.js";

/** The segments of an X12 document as arrays of trimmed elements (tag first), by a real parser. */
export function x12SegmentsOf(content: string): string[][] {
  const interchange = new X12Parser(true).parse(content) as any;
  const out: string[][] = [interchange.header.elements.map((e: { value: string }) => e.value.trim())];
  out[0].unshift("ISA");
  for (const g of interchange.functionalGroups) {
    out.push(["GS", ...g.header.elements.map((e: { value: string }) => e.value)]);
    for (const t of g.transactions) {
      out.push(["ST", ...t.header.elements.map((e: { value: string }) => e.value)]);
      for (const s of t.segments) out.push([s.tag, ...s.elements.map((e: { value: string }) => e.value)]);
      out.push(["SE", ...t.trailer.elements.map((e: { value: string }) => e.value)]);
    }
    out.push(["GE", ...g.trailer.elements.map((e: { value: string }) => e.value)]);
  }
  out.push(["IEA", ...interchange.trailer.elements.map((e: { value: string }) => e.value)]);
  return out;
}

const tagged = (segs: string[][], tag: string) => segs.filter((s) => s[0] === tag);

export function x12ChannelTests(ctx: ChannelContext) {
  let xyzOrderId = "";

  it("a new partner's 850 (the sample): dead letter naming every unmapped value, mappings by the API, replay, then the order with allocation, 855, 997 and history", async () => {
    const bytes = sample("x12-850-xyzretail-6lines.edi");
    const first = await postX12(ctx, bytes);
    expect(first.status).toBe(422);
    expect(first.json).toMatchObject({ state: "DEAD_LETTER", failedStep: "MAP" });
    // The buyer's catalog numbers (CB) can only be looked up once the buyer is known: the partner and every vendor number are named.
    expect(first.json.error).toBe(
      [
        "no mapping for CUSTOMER 12:4405197800 from X12 (at customer)",
        ...XYZ_ITEMS.map((i, n) => `no mapping for PRODUCT ${i.vn} from X12 (at line ${n + 1})`),
      ].join("; "),
    );
    // Syntactically fine: the group is acknowledged as accepted at once.
    const ack997 = await ctx.db.outboundDocument.findFirstOrThrow({ where: { type: "997", inboundMessageIds: { has: first.json.messageId } } });
    const ak = x12SegmentsOf(ack997.content);
    expect(ak[0].slice(5, 9)).toEqual(["01", "999999999", "12", "4405197800"]); // from us (their receiver) to them
    expect(tagged(ak, "GS")[0].slice(1, 4)).toEqual(["FA", "999999999", "4405197800"]);
    expect(tagged(ak, "AK1")).toEqual([["AK1", "PO", "1421"]]);
    expect(tagged(ak, "AK2")).toEqual([["AK2", "850", "000000010"]]);
    expect(tagged(ak, "AK5")).toEqual([["AK5", "A"]]);
    expect(tagged(ak, "AK9")).toEqual([["AK9", "A", "1", "1", "1"]]);

    await mapRefs(ctx, [
      { kind: "CUSTOMER", system: "X12", externalValue: "12:4405197800", canonicalId: "CUST-XYZ" },
      ...XYZ_ITEMS.map((i) => ({ kind: "PRODUCT", system: "X12", externalValue: i.vn, canonicalId: i.sku })),
    ]);
    const replayed = await gqlOk(ctx.url, `mutation($id: ID!) { replayInboundMessage(id: $id) { state result failedStep error } }`, {
      id: first.json.messageId,
    });
    expect(replayed.replayInboundMessage).toMatchObject({ state: "PROCESSED", result: { outcome: "ACCEPTED", created: true } });
    xyzOrderId = replayed.replayInboundMessage.result.orderId;

    const o = await untilDocument(ctx, xyzOrderId, "855");
    expect(o).toMatchObject({
      status: "PARTIALLY_ALLOCATED",
      customerPo: "08292233294",
      channel: "EDI",
      currency: "USD",
      customer: { id: "CUST-XYZ" },
      requestedDeliveryDate: "2010-12-14",
      requestedShipDate: null,
      shipTo: { name: "XYZ RETAIL", address: "31875 SOLON RD, SOLON, OH 44139", gln: null },
      externalRefs: [{ system: "X12_850", value: "12:4405197800:08292233294" }],
      // Our prices: 120×9.25 + 220×13.50 + 126×10.99 + 76×4.35 + 72×7.50 + 696×9.55
      totalAmount: "12982.14",
    });
    const ordered = [120, 220, 126, 76, 72, 696];
    const allocated = [120, 220, 100, 0, 72, 696];
    expect(o.lines).toEqual(
      XYZ_ITEMS.map((item, n) => ({
        lineNumber: n + 1,
        sku: item.sku,
        unit: "EA",
        unitPrice: String(Number(item.price)),
        buyerUnitPrice: ["9.25", "13.79", "10.99", "4.35", "7.5", "9.55"][n],
        priceSource: "LIST_PRICE",
        customerPartNumber: ["065322-117", "066850-116", "060733-110", "065308-116", "065374-118", "067504-118"][n],
        gtin: null,
        quantityOrdered: ordered[n],
        quantityAllocated: allocated[n],
        quantityBackordered: ordered[n] - allocated[n],
        requestedDate: null,
        deliverTo: null,
        inBaseUnit: { unit: "EA", factor: 1, ordered: ordered[n] },
      })),
    );
    expect(o.capture.warnings).toEqual([
      { code: "PRICE_DIFFERENCE", message: "buyer price 13.79 USD per EA differs from ours, 13.5000 (list price): ours used", lineNumber: 2 },
    ]);
    expect(o.statusHistory.map((h: { to: string; source: string }) => [h.to, h.source])).toEqual([
      ["ACCEPTED", "edi"],
      ["PARTIALLY_ALLOCATED", "inventory"],
    ]);

    // The 855: per line what allocation decided, parsed back by a real parser.
    const [doc855] = o.documents.filter((d: { type: string }) => d.type === "855");
    expect(doc855).toMatchObject({ standard: "X12", partner: "X12:12:4405197800" });
    const segs = x12SegmentsOf(doc855.content);
    expect(segs[0].slice(5, 9)).toEqual(["01", "999999999", "12", "4405197800"]);
    expect(Number(segs[0][13])).toBe(Number(doc855.controlNumber));
    expect(tagged(segs, "GS")[0].slice(1, 4)).toEqual(["PR", "999999999", "4405197800"]);
    expect(tagged(segs, "GS")[0][8]).toBe("004010VICS");
    expect(tagged(segs, "BAK")[0].slice(0, 5)).toEqual(["BAK", "00", "AC", "08292233294", "20101127"]);
    expect(tagged(segs, "PO1").map((s) => s.slice(1, 6))).toEqual(
      XYZ_ITEMS.map((item, n) => [String(n + 1), String(ordered[n]), "EA", item.price.replace(/0+$/, "").replace(/\.$/, ""), "TE"]),
    );
    expect(tagged(segs, "PO1")[0].slice(6)).toEqual(["CB", "065322-117", "PR", "RO", "VN", "AB3542"]);
    expect(tagged(segs, "ACK").map((s) => s.slice(1, 4))).toEqual([
      ["IA", "120", "EA"],
      ["IC", "220", "EA"],
      ["IA", "100", "EA"],
      ["IB", "26", "EA"],
      ["IB", "76", "EA"],
      ["IA", "72", "EA"],
      ["IA", "696", "EA"],
    ]);
    expect(tagged(segs, "CTT")).toEqual([["CTT", "6", "1310"]]);
    expect(tagged(segs, "SE")[0][1]).toBe(String(segs.length - 4)); // ST..SE
    // The 997 of the group it came in is the order's too; both are served as sent.
    const doc997 = o.documents.find((d: { type: string }) => d.type === "997");
    expect(doc997.id).toBe(ack997.id);
    expect(Number(doc855.controlNumber)).toBe(Number(doc997.controlNumber) + 1); // one counter per partner
    const served = await fetch(new URL(`/documents/${doc855.id}`, ctx.base), { headers: { authorization: await bearer() } });
    expect(served.status).toBe(200);
    expect(served.headers.get("x-document-type")).toBe("855");
    expect(served.headers.get("content-type")).toMatch(/^application\/edi-x12/);
    expect(await served.text()).toBe(doc855.content);
    const missing = await fetch(new URL("/documents/DOC-nope", ctx.base), { headers: { authorization: await bearer() } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: "NOT_FOUND", message: "no document DOC-nope" });
  });

  it("answers a byte-identical resend as a duplicate, and the same PO in a new interchange with the order already captured", async () => {
    const bytes = sample("x12-850-xyzretail-6lines.edi");
    const orders = await ctx.db.order.count();
    const docs = await ctx.db.outboundDocument.count();
    const dup = await postX12(ctx, bytes);
    expect(dup.status).toBe(200);
    expect(dup.json).toMatchObject({ state: "DUPLICATE", original: { state: "PROCESSED" } });
    const again = await postX12(ctx, bytes.toString("latin1").replace(/000003438/g, "000003439"));
    expect(again.status).toBe(200);
    expect((await message(ctx, again.json.messageId)).result).toMatchObject({ orderId: xyzOrderId, duplicateOfOrder: true });
    expect(await ctx.db.order.count()).toBe(orders);
    // No second 997 for the byte-identical resend; one for the new interchange's group.
    expect(await ctx.db.outboundDocument.count()).toBe(docs + 1);
  });

  it("refuses a conflicting resend: the same control numbers with other content (409), the same PO with other content (422), nothing applied", async () => {
    const text = sample("x12-850-xyzretail-6lines.edi").toString("latin1");
    const changed = text.replace("PO1*1*120*EA", "PO1*1*121*EA");
    const orders = await ctx.db.order.count();
    const conflict = await postX12(ctx, changed);
    expect(conflict.status).toBe(409);
    expect(conflict.json).toMatchObject({ state: "DEAD_LETTER", failedStep: "IDEMPOTENCY" });
    const reused = await postX12(ctx, changed.replace(/000003438/g, "000003440"));
    expect(reused.status).toBe(422);
    expect(reused.json.failedStep).toBe("VALIDATE");
    expect(reused.json.error).toMatch(/idempotency key 12:4405197800:08292233294 was already used for order ORD-\w+ with different content/);
    expect(await ctx.db.order.count()).toBe(orders);
    expect((await order(ctx, xyzOrderId)).lines[0].quantityOrdered).toBe(120);
    // The conflict's group is answered with AK5 R (23: control number not unique).
    const ack = await ctx.db.outboundDocument.findFirstOrThrow({ where: { type: "997", inboundMessageIds: { has: conflict.json.messageId } } });
    expect(tagged(x12SegmentsOf(ack.content), "AK5")).toEqual([["AK5", "R", "23"]]);
  });

  it("dead-letters malformed and truncated copies with the reason and where, and rejects the malformed set in its 997", async () => {
    const text = sample("x12-850-xyzretail-6lines.edi")
      .toString("latin1")
      .replace(/000003438/g, "000003441");
    const malformed = await postX12(ctx, text.replace("PO1*3*126*EA", "PO1*3*12X*EA"));
    expect(malformed.status).toBe(422);
    expect(malformed.json).toMatchObject({
      state: "DEAD_LETTER",
      failedStep: "VALIDATE",
      error: 'PO102 "12X" must be a whole quantity of at least 1 (at segment 19 (PO1))',
    });
    const ack = await ctx.db.outboundDocument.findFirstOrThrow({ where: { type: "997", inboundMessageIds: { has: malformed.json.messageId } } });
    expect(tagged(x12SegmentsOf(ack.content), "AK5")).toEqual([["AK5", "R", "5"]]);
    expect(tagged(x12SegmentsOf(ack.content), "AK9")).toEqual([["AK9", "R", "1", "1", "0"]]);
    const cut = text.replace(/000003441/g, "000003442");
    const truncated = await postX12(ctx, cut.slice(0, cut.indexOf("CTT*6")));
    expect(truncated.status).toBe(400);
    expect(truncated.json).toMatchObject({ state: "DEAD_LETTER", failedStep: "PARSE" });
    expect(truncated.json.error).toMatch(/truncated: it ends with PO4 instead of an IEA trailer/);
  });

  it("captures a written 850 in cases with exact canonical values: units and pack sizes, dates by qualifier, charges, GLN ship-to, control totals as warnings", async () => {
    const gln = withCheck("061414100001");
    await mapRefs(ctx, [
      { kind: "CUSTOMER", system: "X12", externalValue: "ZZ:ACMEWRITE", canonicalId: "CUST-ACME" },
      { kind: "PRODUCT", system: "CUST-ACME", externalValue: "ACME-G-1", canonicalId: "CH-GADGET" },
    ]);
    const doc = x12({
      sender: ["ZZ", "ACMEWRITE"],
      receiver: ["ZZ", "DISTGRAPH"],
      control: "000000501",
      eol: "\r\n",
      groups: [
        {
          control: "501",
          functionalId: "PO",
          sets: [
            {
              id: "850",
              control: "0001",
              segments: [
                "BEG*00*SA*ACME-PO-77**20261126",
                "CUR*BY*USD",
                "REF*DP*042",
                "DTM*010*20261210",
                "DTM*002*20261215",
                "DTM*999*20261201",
                "N1*ST*ACME DC EAST*UL*" + gln,
                "N3*1 DOCK RD",
                "N4*CHARLOTTE*NC*28201*US",
                "N1*BY*ACME WHOLESALE*92*B-1",
                "PO1*1*2*CA*22.80*CP*EN*" + WIDGET_GTIN + "*VN*IGNORED-VN",
                "PO4*12*1*EA",
                "DTM*002*20261220",
                "SAC*A*C310***250",
                "PO1*2*5*EA**PE*IN*ACME-G-1",
                "CTP**UCP*4.95",
                "SAC*C*D240***1500**********FREIGHT",
                "CTT*3*7",
                "AMT*TT*73.45",
              ],
            },
          ],
        },
      ],
    });
    const r = await postX12(ctx, doc);
    expect(r.status).toBe(200);
    expect(r.json.state).toBe("PROCESSED");
    expect(r.json.warnings).toEqual([
      { step: "VALIDATE", code: "X12_TOTALS_MISMATCH", message: "CTT01 says 3 line items, the 850 has 2", where: "segment 19 (CTT)" },
      {
        step: "VALIDATE",
        code: "X12_TOTALS_MISMATCH",
        message: "AMT*TT says 73.45, the lines, allowances and charges add up to 82.85",
        where: "segment 20 (AMT)",
      },
      {
        step: "MAP",
        code: "X12_DATE_NOT_MAPPED",
        message: "DTM qualifier 999 has no DATE_QUALIFIER row under X12: its date 2026-12-01 was not used",
        where: "segment 7 (DTM)",
      },
      { step: "MAP", code: "PRICE_DIFFERENCE", message: "buyer price 4.95 USD per EA differs from ours, 5.0000 (list price): ours used", where: "line 2" },
    ]);
    const o = await untilStatus(ctx, (await message(ctx, r.json.messageId)).result.orderId, ["ALLOCATED"]);
    expect(o).toMatchObject({
      customerPo: "ACME-PO-77",
      customer: { id: "CUST-ACME" },
      requestedShipDate: "2026-12-10",
      requestedDeliveryDate: "2026-12-15",
      shipTo: { name: "ACME DC EAST", address: "1 DOCK RD, CHARLOTTE, NC 28201, US", gln },
      totalAmount: "70.60", // 2 CS × 22.80 + 5 EA × 5.00
    });
    expect(o.lines).toMatchObject([
      {
        lineNumber: 1,
        sku: "CH-WIDGET",
        unit: "CS",
        quantityOrdered: 2,
        quantityAllocated: 2,
        unitPrice: "22.8",
        buyerUnitPrice: "22.8",
        gtin: `0${WIDGET_GTIN}`,
        requestedDate: "2026-12-20",
        inBaseUnit: { unit: "EA", factor: 12, ordered: 24 },
      },
      {
        lineNumber: 2,
        sku: "CH-GADGET",
        unit: "EA",
        quantityOrdered: 5,
        unitPrice: "5",
        buyerUnitPrice: "4.95",
        customerPartNumber: "ACME-G-1",
        inBaseUnit: { factor: 1, ordered: 5 },
      },
    ]);
    expect(o.charges).toEqual([
      { kind: "ALLOWANCE", code: "C310", description: null, amount: "2.50", lineNumber: 1 },
      { kind: "CHARGE", code: "D240", description: "FREIGHT", amount: "15.00", lineNumber: 2 },
    ]);
  });

  it("cancels the order of a PO when the buyer sends its 850 with purpose 01, and says so when there is none (yet)", async () => {
    const cancel = (control: string, po: string) =>
      x12({
        sender: ["ZZ", "ACMEWRITE"],
        receiver: ["ZZ", "DISTGRAPH"],
        control,
        groups: [
          {
            control: control.slice(-3),
            functionalId: "PO",
            sets: [{ id: "850", control: "0001", segments: [`BEG*01*SA*${po}**20261127`, "PO1*1*2*CA*22.80*PE*EN*" + WIDGET_GTIN] }],
          },
        ],
      });
    const missing = await postX12(ctx, cancel("000000601", "NO-SUCH-PO"));
    expect(missing.status).toBe(422);
    expect(missing.json.error).toBe(
      "850 cancellation of PO NO-SUCH-PO: no order was captured under X12:ZZ:ACMEWRITE:NO-SUCH-PO (yet); replay this message once the order has arrived",
    );
    const done = await postX12(ctx, cancel("000000602", "ACME-PO-77"));
    expect(done.status).toBe(200);
    const o = await orderByRef(ctx, "ZZ:ACMEWRITE:ACME-PO-77");
    expect(o.status).toBe("CANCELLED");
    expect(o.statusHistory.at(-1)).toMatchObject({
      from: "ALLOCATED",
      to: "CANCELLED",
      source: "edi",
      reason: "cancelled by the buyer's 850 (BEG01 01) for PO ACME-PO-77",
    });
    // Acknowledged once, when allocated; the buyer's own cancellation is not acknowledged again.
    expect(o.documents.map((d: { type: string }) => d.type).sort()).toEqual(["855", "997"]);
    expect(tagged(x12SegmentsOf(o.documents.find((d: { type: string }) => d.type === "855").content), "BAK")[0][2]).toBe("AC");
  });
}

// Source adapters' parse and validate steps (no database): Shopify JSON, WMS events, X12 846.
import fs from "node:fs";
import { describe, it, expect } from "vitest";
import { IngestError } from "../../platform/ingest/errors.js";
import { parseShopifyJson, shopifyInventoryLevelsHandler } from "../../subgraphs/inventory/sources/shopify-inventory-levels.js";
import { wmsInventoryHandler } from "../../subgraphs/inventory/sources/wms-inventory.js";
import { x12InventoryAdviceHandler } from "../../subgraphs/inventory/sources/x12-846.js";
import { detachedStepContext } from "../../platform/ingest/handlers.js";

/** Steps run outside the pipeline, with the clock fixed just after the fixtures' times. */
const ctx = () => detachedStepContext({ now: new Date("2026-11-28T12:00:00Z") });

const sample = (file: string) => fs.readFileSync(new URL(`../fixtures/samples/${file}`, import.meta.url), "utf8");
const template846 = fs.readFileSync(new URL("../fixtures/x12-846-warehouse-snapshot.template.edi", import.meta.url), "utf8");

/** Runs fn, expects an IngestError of the step, returns it. */
function ingestErrorOf(step: "PARSE" | "VALIDATE", fn: () => unknown): IngestError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(IngestError);
    expect((err as IngestError).step).toBe(step);
    return err as IngestError;
  }
  throw new Error(`expected a ${step} IngestError, nothing was thrown`);
}

describe("parseShopifyJson", () => {
  const text = sample("shopify-orders-create-webhook-sample.json");
  const orderIdDigits = /"id"\s*:\s*(\d+)/.exec(text)![1];
  const order = parseShopifyJson(text) as Record<string, any>;

  it("keeps the order id (> 2^53) exact, as a string of the same digits", () => {
    expect(orderIdDigits).toBe("820982911946154508");
    expect(BigInt(orderIdDigits) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    // plain JSON.parse changes it
    expect(String((JSON.parse(text) as { id: number }).id)).not.toBe(orderIdDigits);
    expect(order.id).toBe(orderIdDigits);
    expect(order.admin_graphql_api_id).toBe(`gid://shopify/Order/${orderIdDigits}`);
  });

  it("keeps nested ids and *_id fields exact", () => {
    // the line item ids as digits in the raw text, from their admin_graphql_api_id
    const lineItemIds = [...text.matchAll(/shopify\\\/LineItem\\\/(\d+)"/g)].map((m) => m[1]);
    expect(lineItemIds).toEqual(["866550311766439020", "141249953214522974"]);
    expect(text).toContain(`"id": ${lineItemIds[0]},`);
    expect(order.line_items.map((l: { id: string }) => l.id)).toEqual(lineItemIds);
    for (const li of order.line_items) {
      expect(typeof li.product_id).toBe("string");
      expect(typeof li.variant_id).toBe("string");
    }
    expect(order.line_items[0].variant_id).toBe("808950810");
    expect(order.customer.id).toBe("115310627314723954");
  });

  it("leaves null ids and non-id numbers alone", () => {
    expect(order.user_id).toBeNull();
    expect(order.checkout_id).toBeNull();
    expect(order.number).toBe(234);
    expect(order.total_weight).toBe(0);
    expect(order.total_price).toBe("403.00");
  });

  it("quotes ids anywhere in the structure, including arrays and negative ids, but not inside strings", () => {
    const parsed = parseShopifyJson(
      '{"items":[{"id":9007199254740993},{"location_id" : -12}],"note":"say \\"id\\": 5, ok","valid":12345678901234567890,"id":1}',
    ) as Record<string, any>;
    expect(parsed.items[0].id).toBe("9007199254740993");
    expect(parsed.items[1].location_id).toBe("-12");
    expect(parsed.note).toBe('say "id": 5, ok');
    expect(typeof parsed.valid).toBe("number");
    expect(parsed.id).toBe("1");
  });

  it("gives string ids the inventory-levels schema accepts (events sample)", () => {
    const lines = sample("shopify-inventory_levels-update-events.jsonl").split("\n").filter(Boolean);
    const levels = lines.map((l) => shopifyInventoryLevelsHandler.validate(shopifyInventoryLevelsHandler.parse(Buffer.from(l), ctx()), ctx()));
    expect(levels.map((l) => [l.inventory_item_id, l.location_id, l.available, l.updated_at])).toEqual([
      ["808950810", "655441491", 42, "2024-01-02T08:57:24-05:00"],
      ["808950810", "655441491", 6, "2024-01-02T08:57:27-05:00"],
    ]);
  });

  it("the Shopify handler rejects a body that is not JSON at the parse step", () => {
    expect(ingestErrorOf("PARSE", () => shopifyInventoryLevelsHandler.parse(Buffer.from("{not json"), ctx())).message).toMatch(/^body is not valid JSON: /);
  });
});

describe("wmsInventoryHandler.validate", () => {
  const base = { eventId: "evt-1", location: "WH-ATL", occurredAt: "2026-11-27T23:00:00Z", sku: "SKU-1" };
  const validate = (e: unknown) => wmsInventoryHandler.validate(e, ctx());
  const rejection = (e: unknown) => ingestErrorOf("VALIDATE", () => validate(e)).message;

  it.each([
    ["RECEIPT", { ...base, type: "RECEIPT", quantity: 10, unit: "CS" }],
    ["PICK", { ...base, type: "PICK", quantity: 2 }],
    ["ADJUSTMENT (negative)", { ...base, type: "ADJUSTMENT", quantity: -3, reason: "damaged in aisle" }],
    ["ADJUSTMENT (positive)", { ...base, type: "ADJUSTMENT", quantity: 4 }],
    ["MOVE", { ...base, type: "MOVE", quantity: 5, toLocation: "WH-ATL-B2" }],
    ["COUNT (zero)", { ...base, type: "COUNT", quantity: 0 }],
    ["COUNT by gtin", { ...base, sku: undefined, gtin: "00012345678905", type: "COUNT", quantity: 7 }],
    [
      "COUNT_SNAPSHOT",
      {
        eventId: "evt-2",
        location: "WH-ATL",
        occurredAt: "2026-11-27T18:00:00-05:00",
        type: "COUNT_SNAPSHOT",
        counts: [
          { sku: "SKU-1", quantity: 480 },
          { gtin: "00012345678905", quantity: 12, unit: "CS" },
        ],
      },
    ],
  ])("accepts %s and returns the event", (_what, event) => {
    expect(validate(event)).toEqual(JSON.parse(JSON.stringify(event)));
  });

  it("parse reads a JSON body and rejects invalid JSON", () => {
    expect(wmsInventoryHandler.parse(Buffer.from('{"type":"PICK"}'), ctx())).toEqual({ type: "PICK" });
    expect(ingestErrorOf("PARSE", () => wmsInventoryHandler.parse(Buffer.from("type=PICK"), ctx())).message).toMatch(/^body is not valid JSON/);
  });

  it("rejects an event with neither sku nor gtin", () => {
    const err = ingestErrorOf("VALIDATE", () => validate({ ...base, sku: undefined, type: "RECEIPT", quantity: 1 }));
    expect(err.message).toBe("needs sku or gtin (at $.sku)");
    expect(err.where).toBe("$.sku");
  });

  it("rejects a snapshot count with neither sku nor gtin, naming its index", () => {
    const e = { eventId: "e", location: "L", occurredAt: base.occurredAt, type: "COUNT_SNAPSHOT", counts: [{ sku: "A", quantity: 1 }, { quantity: 2 }] };
    expect(rejection(e)).toBe("needs sku or gtin (at $.counts[1].sku)");
  });

  it("rejects a MOVE to the same location", () => {
    expect(rejection({ ...base, type: "MOVE", quantity: 5, toLocation: "WH-ATL" })).toBe("must differ from location (at $.toLocation)");
  });

  it("rejects a zero adjustment", () => {
    expect(rejection({ ...base, type: "ADJUSTMENT", quantity: 0 })).toBe("invalid document: $.quantity: must not be zero");
  });

  it.each(["RECEIPT", "PICK", "ADJUSTMENT", "COUNT"])("rejects a fractional %s quantity, naming the field", (type) => {
    expect(rejection({ ...base, type, quantity: 1.5 })).toContain("$.quantity: must be a whole number");
  });

  it("rejects a fractional count in a snapshot, naming its path", () => {
    const e = { eventId: "e", location: "L", occurredAt: base.occurredAt, type: "COUNT_SNAPSHOT", counts: [{ sku: "A", quantity: 2.25 }] };
    expect(rejection(e)).toContain("$.counts.0.quantity: must be a whole number");
  });

  it.each([
    ["a zero receipt", { ...base, type: "RECEIPT", quantity: 0 }, "$.quantity: must be positive"],
    ["a negative pick", { ...base, type: "PICK", quantity: -1 }, "$.quantity: must be positive"],
    ["a negative count", { ...base, type: "COUNT", quantity: -1 }, "$.quantity: must not be negative"],
    [
      "an empty snapshot",
      { eventId: "e", location: "L", occurredAt: base.occurredAt, type: "COUNT_SNAPSHOT", counts: [] },
      "$.counts: must name at least one item",
    ],
    ["a short gtin", { ...base, gtin: "1234", type: "PICK", quantity: 1 }, "$.gtin: must be 8 to 14 digits"],
    ["a time without offset", { ...base, occurredAt: "2026-11-27T23:00:00", type: "PICK", quantity: 1 }, "$.occurredAt"],
    ["a string quantity", { ...base, type: "PICK", quantity: "3" }, "$.quantity"],
    ["an unknown type", { ...base, type: "TELEPORT", quantity: 1 }, "$.type"],
    ["a MOVE without toLocation", { ...base, type: "MOVE", quantity: 1 }, "$.toLocation"],
  ])("rejects %s", (_what, event, expected) => {
    const message = rejection(event);
    expect(message.startsWith("invalid document: ")).toBe(true);
    expect(message).toContain(expected);
  });
});

describe("x12InventoryAdviceHandler (846)", () => {
  const filled = template846.replace("{sku1}", "SKU-1").replace("{gtin2}", "00012345678905").replace("{sku3}", "SKU-3");

  /** The filled fixture with segments edited, SE01 recounted so the envelope stays valid. */
  function edited(edit: (segments: string[]) => string[]): Buffer {
    const segments = edit(
      filled
        .split("~")
        .map((s) => s.trim())
        .filter(Boolean),
    );
    const st = segments.findIndex((s) => s.startsWith("ST*"));
    const se = segments.findIndex((s) => s.startsWith("SE*"));
    segments[se] = `SE*${se - st + 1}*0001`;
    return Buffer.from(segments.map((s) => `${s}~`).join("\n"));
  }
  const replacing = (from: string, to: string) => edited((segs) => segs.map((s) => (s === from ? to : s)));
  const validate = (raw: Buffer, context = ctx()) => x12InventoryAdviceHandler.validate(x12InventoryAdviceHandler.parse(raw, context), context);
  const rejection = (raw: Buffer) => ingestErrorOf("VALIDATE", () => validate(raw));

  it("fills every placeholder of the template", () => {
    expect(filled).not.toMatch(/[{}]/);
    expect(edited((s) => s).toString()).toContain("SE*11*0001~");
  });

  it("reads location, snapshot time and three lines from the fixture", () => {
    const doc = validate(Buffer.from(filled));
    expect(doc.controlNumber).toBe("0001");
    expect(doc.reference).toBe("SNAP-20261127-ATL");
    expect(doc.lines.map((l) => l.quantities[0].location)).toEqual(Array(3).fill({ code: "WH-ATL", where: "segment 4 (N1)", qualifier: "92" }));
    // Codes stay as sent: the AS_OF qualifier and the zone are resolved by mapping rows in map.
    expect(doc.dates).toEqual([{ qualifier: "405", date: "20261127", time: "2300", zone: "UT", where: "segment 3 (DTM)" }]);
    expect(doc.lines).toHaveLength(3);
    expect(doc.lines.map((l) => l.item)).toEqual([{ sku: "SKU-1" }, { gtin: "00012345678905" }, { sku: "SKU-3" }]);
    expect(doc.lines.map((l) => l.quantities.map((q) => q.qualifier))).toEqual([["17"], ["17"], ["33"]]);
    expect(doc.lines.map((l) => l.quantities[0].quantity)).toEqual([480, 12, 25]);
    expect(doc.lines.map((l) => l.quantities[0].unit)).toEqual(["EA", "CA", "EA"]); // as sent: UNIT rows map CA to CS in map
    expect(doc.lines[1].quantities[0].where).toBe("segment 8 (QTY)");
    expect(doc.lines.map((l) => l.where)).toEqual(["segment 5 (LIN)", "segment 7 (LIN)", "segment 9 (LIN)"]);
  });

  it("parse gives the segments with 1-based positions in the set", () => {
    const segments = x12InventoryAdviceHandler.parse(Buffer.from(filled), ctx());
    expect(segments.map((s) => `${s.n}:${s.tag}`)).toEqual(["1:ST", "2:BIA", "3:DTM", "4:N1", "5:LIN", "6:QTY", "7:LIN", "8:QTY", "9:LIN", "10:QTY"]);
    expect(segments[3].values).toEqual(["WH", "ATLANTA DC", "92", "WH-ATL"]);
  });

  it("reads a GLN location (N103 9)", () => {
    const doc = validate(replacing("N1*WH*ATLANTA DC*92*WH-ATL", "N1*WH*ATLANTA DC*9*0614141000005"));
    expect(doc.lines[0].quantities[0].location).toEqual({ gln: "0614141000005", where: "segment 4 (N1)", qualifier: "UL" });
  });

  it("keeps the DTM04 time zone code for the TIME_ZONE rows (resolved in map; see the order channels suite)", () => {
    const doc = validate(replacing("DTM*405*20261127*2300*UT", "DTM*405*20261127*2300*ET"));
    expect(doc.dates[0]).toMatchObject({ qualifier: "405", zone: "ET" });
  });

  it("keeps BIA04/BIA05 as the fallback time", () => {
    const doc = validate(edited((segs) => segs.filter((s) => !s.startsWith("DTM*")).map((s) => (s.startsWith("BIA*") ? "BIA*00*MM*SNAP*20261128*061530" : s))));
    expect(doc.dates).toEqual([]);
    expect(doc.biaTime).toEqual({ date: "20261128", time: "061530", zone: null, where: "segment 2 (BIA)" });
    expect(doc.reference).toBe("SNAP");
  });

  it("keeps both quantities of an item that has QTY*17 and QTY*33", () => {
    const doc = validate(edited((segs) => segs.flatMap((s) => (s === "QTY*17*480*EA" ? [s, "QTY*33*450*EA"] : [s]))));
    expect(doc.lines[0].quantities.map((q) => [q.qualifier, q.quantity])).toEqual([
      ["17", 480],
      ["33", 450],
    ]);
  });

  it("rejects an 846 without N1 or SDQ, at the first quantity without a location", () => {
    const err = rejection(edited((segs) => segs.filter((s) => !s.startsWith("N1*"))));
    expect(err.message).toContain("846 names no location for this quantity");
    expect(err.where).toBe("segment 5 (QTY)");
  });

  it("reads SDQ per-location quantities: each a location of its own, typed by the QTY before it", () => {
    const context = ctx();
    const doc = validate(
      edited((segs) =>
        segs.flatMap((s) => (s === "QTY*17*480*EA" ? [s, "SDQ*EA*92*0042*400*WH-CLT*70"] : s === "QTY*33*25*EA" ? [s, "SDQ*CA*UL*0614141000005*2"] : [s])),
      ),
      context,
    );
    expect(doc.lines[0].quantities.map((q) => [q.qualifier, q.quantity, q.unit, q.location])).toEqual([
      ["17", 400, "EA", { code: "0042", external: { system: "X12", value: "0042" }, where: "segment 7 (SDQ)" }],
      ["17", 70, "EA", { code: "WH-CLT", external: { system: "X12", value: "WH-CLT" }, where: "segment 7 (SDQ)" }],
    ]);
    // The second item has no SDQ: its QTY is for the N1 location.
    expect(doc.lines[1].quantities.map((q) => q.location?.where)).toEqual(["segment 4 (N1)"]);
    expect(doc.lines[2].quantities.map((q) => [q.qualifier, q.quantity, q.unit, q.location])).toEqual([
      ["33", 2, "CA", { gln: "0614141000005", where: "segment 12 (SDQ)" }],
    ]);
    // 400 + 70 is not the 480 of the QTY, and 2 cases are not its 25: two warnings, the SDQ figures apply.
    expect(context.warnings.map((w) => [w.code, w.where])).toEqual([
      ["X12_QUANTITY_MISMATCH", "segment 6 (QTY)"],
      ["X12_QUANTITY_MISMATCH", "segment 11 (QTY)"],
    ]);
  });

  it("reads SDQ without a QTY before it as on hand, and keeps the SDQ02 qualifier for the next SDQ", () => {
    const doc = validate(edited((segs) => segs.flatMap((s) => (s === "QTY*17*480*EA" ? ["SDQ*EA*UL*0614141000005*5", "SDQ*EA**0614141000012*6"] : [s]))));
    expect(doc.lines[0].quantities.map((q) => [q.qualifier, q.quantity, q.location])).toEqual([
      ["17", 5, { gln: "0614141000005", where: "segment 6 (SDQ)" }],
      ["17", 6, { gln: "0614141000012", where: "segment 7 (SDQ)" }],
    ]);
  });

  it("rejects an SDQ without a location and quantity pair, or with a bad quantity", () => {
    expect(rejection(replacing("QTY*17*480*EA", "SDQ*EA*92")).message).toBe("SDQ needs at least one location and quantity (SDQ03, SDQ04) (at segment 6 (SDQ))");
    expect(rejection(replacing("QTY*17*480*EA", "SDQ*EA*92*0042*many")).message).toBe(
      'quantity "many" must be a whole number from 0 to 1,000,000,000 (at segment 6 (SDQ))',
    );
  });

  it("rejects an N1 without a GLN or code qualifier, at its position", () => {
    const err = rejection(replacing("N1*WH*ATLANTA DC*92*WH-ATL", "N1*WH*ATLANTA DC*ZZ*WH-ATL"));
    expect(err.where).toBe("segment 4 (N1)");
    expect(err.message).toContain("N1 location needs N103 9 (GLN) or 92 (code)");
  });

  it.each(["4.5", "-3", "abc", "2000000000"])("rejects QTY %s (not a whole number in range), at the QTY's position", (q) => {
    const err = rejection(replacing("QTY*17*12*CA", `QTY*17*${q}*CA`));
    expect(err.message).toBe(`quantity "${q}" must be a whole number from 0 to 1,000,000,000 (at segment 8 (QTY))`);
  });

  // BUG: Number("") is 0, so an empty QTY02 passes as a quantity of 0 and would zero the position.
  it("rejects an empty QTY02 instead of reading it as 0", () => {
    const err = rejection(replacing("QTY*17*480*EA", "QTY*17**EA"));
    expect(err.where).toBe("segment 6 (QTY)");
  });

  it("keeps unit codes as sent, for the UNIT rows (an unknown one is a MAP miss; see the order channels suite)", () => {
    expect(validate(replacing("QTY*17*12*CA", "QTY*17*12*XX")).lines[1].quantities[0].unit).toBe("XX");
  });

  it("rejects a LIN without a known item qualifier", () => {
    const err = rejection(replacing("LIN*3*SK*SKU-3", "LIN*3*ZZ*SKU-3"));
    expect(err.message).toBe("LIN names no item: expected UK, EN, UP, SK, VN or BP (at segment 9 (LIN))");
  });

  it("rejects an item without QTY*17 or QTY*33", () => {
    const err = rejection(replacing("QTY*33*25*EA", "QTY*02*25*EA"));
    expect(err.message).toBe("item has no QTY*17 (on hand), QTY*33 (available) or SDQ quantities (at segment 9 (LIN))");
  });

  it("rejects an impossible time and a malformed date", () => {
    expect(rejection(replacing("DTM*405*20261127*2300*UT", "DTM*405*20261127*2575")).message).toContain("does not exist (at segment 3 (DTM))");
    expect(rejection(replacing("DTM*405*20261127*2300*UT", "DTM*405*261127*2300")).message).toContain('date "261127" is not CCYYMMDD');
  });

  // BUG: new Date("2026-02-30T…Z") rolls over to 2 March in V8, so x12Time's "does not exist" check never fires for it.
  it("rejects a calendar date that does not exist (20260230)", () => {
    const err = rejection(replacing("DTM*405*20261127*2300*UT", "DTM*405*20260230*2300"));
    expect(err.message).toContain("does not exist");
  });

  it("rejects an 846 without BIA", () => {
    expect(rejection(edited((segs) => segs.filter((s) => !s.startsWith("BIA*")))).message).toBe("846 has no BIA segment");
  });

  it("parse rejects another transaction set and non-X12 text", () => {
    const err = ingestErrorOf("PARSE", () => x12InventoryAdviceHandler.parse(Buffer.from(sample("x12-856-xyzretail-SOI-2items.edi")), ctx()));
    expect(err.message).toBe("expected transaction set 846, got 856 (at ST01)");
    expect(ingestErrorOf("PARSE", () => x12InventoryAdviceHandler.parse(Buffer.from("not x12 at all"), ctx())).message).toMatch(/^X12 does not parse: /);
  });
});

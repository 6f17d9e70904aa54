// Pure parts of the order channels: the EDIFACT envelope splitter (service characters, release
// characters, exact bytes, groups, counts), Shopify's HMAC check, the 855's per-line
// acknowledgement codes, and an 855 written and parsed back by node-x12.
import { describe, expect, it } from "vitest";
import { X12Parser } from "node-x12";
import { Prisma } from "../../platform/db/generated/client.js";
import { elementsOf, splitEdifactInterchange, DEFAULT_SERVICE_CHARS } from "../../platform/ingest/edifact-envelope.js";
import { shopifySignature, verifyShopifyWebhook } from "../../platform/ingest/auth/shopify-hmac.js";
import { IngestError } from "../../platform/ingest/errors.js";
import { build855, lineAcknowledgements, type X12PartnerContext } from "../../subgraphs/orders/documents/x12-855.js";
import { parseShopifyJson } from "../../subgraphs/orders/sources/shopify-orders.js";

const D = (v: string) => new Prisma.Decimal(v);

describe("EDIFACT interchange splitting", () => {
  const una = "UNA:+.? '\r\n";
  const unb = "UNB+UNOC:3+SENDER:14+RECIP:14+261127:1015+REF1'\r\n";
  const m1 = "UNH+1+ORDERS:D:96A:UN'\r\nBGM+220+A?'1+9'\r\nUNT+3+1'\r\n";
  const m2 = "UNH+2+ORDERS:D:96A:UN'\r\nBGM+220+B?+2+9'\r\nFTX+ZZZ+++what??'\r\nUNT+4+2'\r\n";
  const unz = "UNZ+2+REF1'\r\n";

  it("splits messages with their own keys and exact bytes (UNA, UNB, the message, UNZ), releases kept as sent", () => {
    const messages = splitEdifactInterchange(Buffer.from(una + unb + m1 + m2 + unz, "latin1"));
    expect(messages.map((m) => [m.messageType, m.idempotencyKey, m.position])).toEqual([
      ["ORDERS", "SENDER:14/RECIP:14/REF1/ORDERS/1", 2],
      ["ORDERS", "SENDER:14/RECIP:14/REF1/ORDERS/2", 5],
    ]);
    expect(messages[0].raw.toString("latin1")).toBe(una + unb + m1 + unz);
    expect(messages[1].raw.toString("latin1")).toBe(una + unb + m2 + unz);
    expect(messages[0].warnings).toEqual([]);
  });

  it("keeps a group's UNG/UNE with each of its messages and warns when UNZ or UNE counts disagree", () => {
    const body = unb + "UNG+ORDERS+S+R+261127:1015+G1+UN+D:96A'\r\n" + m1 + "UNE+2+G1'\r\n" + "UNZ+5+REF1'";
    const [m] = splitEdifactInterchange(Buffer.from(body, "latin1"));
    expect(m.raw.toString("latin1")).toContain("UNG+ORDERS");
    expect(m.warnings.map((w) => w.message)).toEqual(["UNE says 2 messages, group G1 has 1", "UNZ says 5 groups, the interchange has 1"]);
  });

  it("reads elements and components with release characters resolved", () => {
    expect(elementsOf("NAD+BY+123::9++M?+S?:Co??", DEFAULT_SERVICE_CHARS)).toEqual([["NAD"], ["BY"], ["123", "", "9"], [""], ["M+S:Co?"]]);
  });

  it.each([
    ["UNB+UNOC:3+S:14+R:14+261127:1015+REF1'UNH+1+ORDERS:D:96A:UN'BGM+220+A+9'UNT+3+1'UNZ+1+REF2'", 'UNZ 0020 "REF2" does not match UNB 0020 "REF1"'],
    ["UNB+UNOC:3+S:14+R:14+261127:1015+REF1'UNH+1+ORDERS:D:96A:UN'BGM+220+A+9'UNT+3+9'UNZ+1+REF1'", 'UNT 0062 "9" does not match UNH 0062 "1"'],
    ["UNB+UNOC:3+S:14+R:14+261127:1015+REF1'UNH+1+ORDERS:D:96A:UN'BGM+220+A+9'UNZ+1+REF1'", "message 1 has no UNT trailer (at end of interchange)"],
    ["UNB+UNOC:3+S:14+R:14+261127:1015+REF1'UNH+1+ORDERS:D:96A:UN'BGM+220+A+9", 'interchange is truncated: "BGM+220+A+9" is not terminated'],
    ["ISA*00*", "not an EDIFACT interchange: it must start with UNA or UNB"],
    ["UNA:+.?", "UNA service string advice is truncated"],
  ])("refuses a broken envelope: %s", (body, message) => {
    let err: unknown;
    try {
      splitEdifactInterchange(Buffer.from(body, "latin1"));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IngestError);
    expect((err as IngestError).step).toBe("PARSE");
    expect((err as Error).message).toContain(message);
  });
});

describe("Shopify webhook HMAC", () => {
  const secrets = new Map([["shop1.myshopify.com", "s3cret"]]);
  const body = Buffer.from('{"id":820982911946154508}');
  const headers = (h: Record<string, string>) => (name: string) => h[name];

  it("accepts the base64 HMAC-SHA256 of the raw body under the shop's secret, and nothing else", () => {
    const sig = shopifySignature(body, "s3cret");
    expect(verifyShopifyWebhook(body, headers({ "x-shopify-hmac-sha256": sig, "x-shopify-shop-domain": "Shop1.myshopify.com" }), secrets)).toEqual({
      ok: true,
      principal: "shopify:shop1.myshopify.com",
    });
    expect(
      verifyShopifyWebhook(
        Buffer.from(body.toString() + " "),
        headers({ "x-shopify-hmac-sha256": sig, "x-shopify-shop-domain": "shop1.myshopify.com" }),
        secrets,
      ).ok,
    ).toBe(false);
    expect(verifyShopifyWebhook(body, headers({ "x-shopify-hmac-sha256": "short", "x-shopify-shop-domain": "shop1.myshopify.com" }), secrets)).toMatchObject({
      ok: false,
    });
    expect(verifyShopifyWebhook(body, headers({ "x-shopify-shop-domain": "shop1.myshopify.com" }), secrets)).toEqual({
      ok: false,
      reason: "missing X-Shopify-Hmac-Sha256 header",
    });
    expect(verifyShopifyWebhook(body, headers({ "x-shopify-hmac-sha256": sig }), secrets)).toEqual({
      ok: false,
      reason: "missing X-Shopify-Shop-Domain header",
    });
    expect(verifyShopifyWebhook(body, headers({ "x-shopify-hmac-sha256": sig, "x-shopify-shop-domain": "x.myshopify.com" }), secrets)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("no webhook secret"),
    });
  });

  it("reads ids beyond 2^53 as their exact digits", () => {
    expect(parseShopifyJson('{"id":820982911946154508,"n":3,"p":"1.50"}')).toEqual({ id: "820982911946154508", n: 3, p: "1.50" });
  });
});

describe("855 acknowledgement", () => {
  const line = (o: Partial<Parameters<typeof lineAcknowledgements>[0]>) => ({
    lineNumber: 1,
    quantityOrdered: 10,
    quantityAllocated: 10,
    quantityBackordered: 0,
    unitPrice: D("2"),
    buyerUnitPrice: D("2"),
    ...o,
  });

  it("codes each line from the allocation outcome", () => {
    expect(lineAcknowledgements(line({}), false)).toEqual([{ code: "IA", quantity: 10 }]);
    expect(lineAcknowledgements(line({ buyerUnitPrice: D("2.10") }), false)).toEqual([{ code: "IC", quantity: 10 }]);
    expect(lineAcknowledgements(line({ quantityAllocated: 4, quantityBackordered: 6 }), false)).toEqual([
      { code: "IA", quantity: 4 },
      { code: "IB", quantity: 6 },
    ]);
    expect(lineAcknowledgements(line({ quantityAllocated: 0, quantityBackordered: 10 }), false)).toEqual([{ code: "IB", quantity: 10 }]);
    expect(lineAcknowledgements(line({}), true)).toEqual([{ code: "IR", quantity: 10 }]);
  });

  it("writes a valid interchange that parses back to the same values", () => {
    const ctx: X12PartnerContext = {
      standard: "X12",
      partner: { qualifier: "ZZ", id: "BUYER" },
      us: { qualifier: "01", id: "999999999" },
      group: { functionalId: "PO", applicationSender: "BUYERAPP", applicationReceiver: "US", version: "004010" },
      isa11: "U",
      isa12: "00401",
      usage: "T",
      poNumber: "PO-1",
      poDate: "2026-11-26",
      release: null,
      parties: [{ role: "ST", name: "DC*EAST~1", idQualifier: "UL", id: "0614141000012" }],
      lines: [{ lineNumber: 1, assignedId: "001", quantity: 10, unit: "CA", price: "2.5", priceBasis: "CP", ids: [["VN", "ABC"]] }],
    };
    const content = build855(
      ctx,
      { orderNumber: "SO-1", currency: "USD", status: "REJECTED" },
      [line({ unitPrice: D("2.5") })],
      42n,
      new Date("2026-11-28T10:15:00Z"),
    );
    const parsed = new X12Parser(true).parse(content) as any;
    expect(parsed.header.elements.map((e: { value: string }) => e.value.trim()).slice(4, 8)).toEqual(["01", "999999999", "ZZ", "BUYER"]);
    expect(parsed.header.elements[14].value).toBe("T");
    const group = parsed.functionalGroups[0];
    expect(group.header.elements.map((e: { value: string }) => e.value)).toEqual(["PR", "US", "BUYERAPP", "20261128", "1015", "42", "X", "004010"]);
    const segs = group.transactions[0].segments.map((s: any) => [s.tag, ...s.elements.map((e: { value: string }) => e.value)]);
    expect(segs).toEqual([
      ["BAK", "00", "RD", "PO-1", "20261126", "", "", "", "SO-1", "20261128"],
      ["CUR", "SE", "USD"],
      ["N1", "ST", "DC EAST 1", "UL", "0614141000012"],
      ["PO1", "001", "10", "CA", "2.5", "CP", "VN", "ABC"],
      ["ACK", "IR", "10", "CA"],
      ["CTT", "1", "10"],
    ]);
    expect(group.transactions[0].trailer.elements[0].value).toBe("8");
    // node-x12's parser reads numbers without their leading zeros; the text has the nine digits.
    expect(parsed.trailer.elements.map((e: { value: string }) => Number(e.value))).toEqual([1, 42]);
    expect(content).toContain("*000000042*0*T*>~");
    expect(content.trimEnd().endsWith("IEA*1*000000042~")).toBe(true);
  });
});

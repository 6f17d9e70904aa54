// Rules of order capture that need no database: GS1 normalisation, cross-reference checks, time
// zones, allocation planning, pricing, the credit decision, and the mappings CSV.
import { describe, expect, it } from "vitest";
import { Prisma } from "../../platform/db/generated/client.js";
import {
  Gs1FormatError,
  gs1CheckDigit,
  instantInZone,
  normalizeExternalValue,
  normalizeGln,
  normalizeGtin,
  normalizeSscc,
  prepareReferences,
  CrossReferenceError,
} from "../../platform/mapping/index.js";
import { planAllocation, warehouseOf } from "../../subgraphs/inventory/allocation-rules.js";
import { ourPrice, priceDiffers } from "../../subgraphs/orders/pricing.js";
import { creditDecision } from "../../subgraphs/erp-finance/domain.js";
import { commandProblems } from "../../subgraphs/orders/command.js";
import { parseMappingsCsv } from "../../scripts/mappings-csv.js";

const D = Prisma.Decimal;

describe("GS1 normalisation", () => {
  it("pads GTIN-8, -12 and -13 to GTIN-14 and keeps a valid one silent", () => {
    expect(normalizeGtin("96385074")).toEqual({ value: "00000096385074", warnings: [] });
    expect(normalizeGtin("036000291452")).toEqual({ value: "00036000291452", warnings: [] });
    expect(normalizeGtin(" 4006381333931 ")).toEqual({ value: "04006381333931", warnings: [] });
    expect(normalizeGtin("10614141000415").value).toBe("10614141000415");
  });

  it("warns about a wrong check digit instead of rejecting it", () => {
    expect(normalizeGtin("4006381333932")).toEqual({ value: "04006381333932", warnings: ["GTIN 04006381333932 has a wrong check digit (expected 1)"] });
    expect(normalizeGln("0614141000006").warnings).toEqual(["GLN 0614141000006 has a wrong check digit (expected 5)"]);
    expect(normalizeSscc("00106141411234567897").value).toBe("106141411234567897");
    expect(normalizeSscc("106141411234567890").warnings).toHaveLength(1);
  });

  it("rejects what is not a GS1 number at all, saying what it must be", () => {
    expect(() => normalizeGtin("12345")).toThrow(new Gs1FormatError('GTIN "12345" must be 8, 12, 13 or 14 digits'));
    expect(() => normalizeGtin("40063813339X1")).toThrow(Gs1FormatError);
    expect(() => normalizeGln("123")).toThrow('GLN "123" must be 13 digits');
    expect(gs1CheckDigit("061414100000")).toBe(5);
  });
});

describe("cross-references", () => {
  it("normalises values the same way for writing and for lookups", () => {
    expect(normalizeExternalValue("PRODUCT", "GS1", "4006381333931").value).toBe("04006381333931");
    expect(normalizeExternalValue("CUSTOMER", "X12", "ZZ :ACME RETAIL    ").value).toBe("ZZ:ACME RETAIL");
    expect(normalizeExternalValue("UNIT", "X12", " ca ").value).toBe("CA");
    expect(normalizeExternalValue("PRODUCT", "CUST-0004", " AB-778 ").value).toBe("AB-778");
  });

  it("checks a batch and names the first bad input", () => {
    const ok = prepareReferences([
      { kind: "PRODUCT", system: "GS1", externalValue: "4006381333932", canonicalId: "SKU-1" },
      { kind: "UNIT", system: "EDIFACT", externalValue: "pce", canonicalId: "ea" },
      { kind: "TIME_ZONE", system: "X12", externalValue: "LT", canonicalId: "America/Chicago" },
    ]);
    expect(ok.references.map((r) => [r.externalValue, r.canonicalId])).toEqual([
      ["04006381333932", "SKU-1"],
      ["PCE", "EA"],
      ["LT", "America/Chicago"],
    ]);
    expect(ok.warnings).toEqual(["references[0]: GTIN 04006381333932 has a wrong check digit (expected 1)"]);
    const fail = (refs: any[]) => {
      try {
        prepareReferences(refs);
      } catch (err) {
        return err as CrossReferenceError;
      }
      throw new Error("accepted");
    };
    expect(fail([{ kind: "TIME_ZONE", system: "X12", externalValue: "ZZ", canonicalId: "Mars/Olympus" }]).message).toBe(
      'references[0].canonicalId "Mars/Olympus" is neither a UTC offset (+HH:MM) nor an IANA time zone',
    );
    const repeated = fail([
      { kind: "PRODUCT", system: "GS1", externalValue: "4006381333931", canonicalId: "A" },
      { kind: "PRODUCT", system: "GS1", externalValue: "04006381333931", canonicalId: "B" },
    ]);
    expect(repeated).toMatchObject({ index: 1, message: "references[1] repeats references[0] (PRODUCT 04006381333931 from GS1)" });
    expect(fail([{ kind: "STATUS", system: "X12:BEG01", externalValue: "00", canonicalId: "original" }]).message).toContain("must be an upper-case token");
  });

  it("turns a wall-clock time into an instant in a fixed offset or an IANA zone (daylight saving included)", () => {
    expect(instantInZone(new Date("2026-11-27T23:00:00Z"), "-05:00").toISOString()).toBe("2026-11-28T04:00:00.000Z");
    expect(instantInZone(new Date("2026-07-01T12:00:00Z"), "America/New_York").toISOString()).toBe("2026-07-01T16:00:00.000Z");
    expect(instantInZone(new Date("2026-01-15T12:00:00Z"), "America/New_York").toISOString()).toBe("2026-01-15T17:00:00.000Z");
  });
});

describe("allocation rules", () => {
  const pos = (sku: string, locationId: string, warehouseId: string, available: number) => ({ sku, locationId, warehouseId, available });
  const positions = [
    pos("A", "ATL", "ATL", 10),
    pos("B", "ATL", "ATL", 1),
    pos("A", "CLT", "CLT", 6),
    pos("B", "CLT", "CLT", 5),
    pos("A", "RNO-Z1", "RNO", 4),
    pos("A", "RNO-Z2", "RNO", 4),
  ];

  it("ships the whole order from one warehouse when one can, even if another has more of a line", () => {
    const plan = planAllocation(
      [
        { lineId: "1", sku: "A", quantity: 5, unitFactor: 1 },
        { lineId: "2", sku: "B", quantity: 3, unitFactor: 1 },
      ],
      positions,
      [],
    );
    expect(Object.fromEntries(plan)).toEqual({ "1": [{ locationId: "CLT", quantity: 5 }], "2": [{ locationId: "CLT", quantity: 3 }] });
  });

  it("honours the ship-from preference first", () => {
    const plan = planAllocation([{ lineId: "1", sku: "A", quantity: 5, unitFactor: 1 }], positions, ["RNO"]);
    expect(plan.get("1")).toEqual([
      { locationId: "RNO-Z1", quantity: 4 },
      { locationId: "RNO-Z2", quantity: 1 },
    ]);
  });

  it("fills a line from one warehouse before splitting, then splits and backorders the rest in whole units", () => {
    const one = planAllocation(
      [
        { lineId: "1", sku: "A", quantity: 9, unitFactor: 1 },
        { lineId: "2", sku: "B", quantity: 6, unitFactor: 1 },
      ],
      positions,
      [],
    );
    expect(one.get("1")).toEqual([{ locationId: "ATL", quantity: 9 }]);
    // No warehouse has 6 of B: split in warehouse order (ATL and CLT tie on 11 available: by id).
    expect(one.get("2")).toEqual([
      { locationId: "ATL", quantity: 1 },
      { locationId: "CLT", quantity: 5 },
    ]);
    const cases = planAllocation([{ lineId: "1", sku: "A", quantity: 36, unitFactor: 4 }], positions, []);
    // 10 at ATL is 2 whole cases (8), 6 at CLT 1 case, 4+4 at RNO 2 cases: 20 of 36, the rest backordered.
    expect(cases.get("1")!.reduce((s, p) => s + p.quantity, 0)).toBe(20);
    expect(cases.get("1")!.every((p) => p.quantity % 4 === 0)).toBe(true);
  });

  it("never plans more than is available, and nothing from a negative position", () => {
    const plan = planAllocation([{ lineId: "1", sku: "A", quantity: 100, unitFactor: 1 }], [pos("A", "X", "X", -5), pos("A", "Y", "Y", 3)], []);
    expect(plan.get("1")).toEqual([{ locationId: "Y", quantity: 3 }]);
  });

  it("finds the warehouse of a zone", () => {
    const tree = new Map([
      ["WH", { id: "WH", kind: "WAREHOUSE", parentId: "SITE" }],
      ["Z", { id: "Z", kind: "ZONE", parentId: "WH" }],
      ["SITE", { id: "SITE", kind: "SITE", parentId: null }],
    ]);
    expect(warehouseOf("Z", tree)).toBe("WH");
    expect(warehouseOf("SITE", tree)).toBe("SITE");
  });
});

describe("pricing and credit", () => {
  const entries = [
    { priceList: "LIST", sku: "A", unit: "EA", unitPrice: "2.0000" },
    { priceList: "LIST", sku: "A", unit: "CS", unitPrice: "22.8000" },
    { priceList: "C1", sku: "A", unit: "EA", unitPrice: "1.9000" },
  ];

  it("prices from the customer's list, then the list price; in the line's unit, else base price x factor", () => {
    expect(ourPrice(entries, "C1", { sku: "A", unit: "CS", baseUnit: "EA", factor: 12 })).toEqual({ unitPrice: new D("22.8"), source: "CUSTOMER_PRICE_LIST" });
    expect(ourPrice(entries, "C2", { sku: "A", unit: "CS", baseUnit: "EA", factor: 12 })).toEqual({ unitPrice: new D("22.8"), source: "LIST_PRICE" });
    expect(ourPrice(entries, "C2", { sku: "A", unit: "PL", baseUnit: "EA", factor: 480 })).toEqual({ unitPrice: new D("960"), source: "LIST_PRICE" });
    expect(ourPrice(entries, "C2", { sku: "B", unit: "EA", baseUnit: "EA", factor: 1 })).toBeNull();
  });

  it("sees a buyer price as different only beyond the tolerance", () => {
    expect(priceDiffers(new D("2.00"), "1.95", 5)).toBe(false);
    expect(priceDiffers(new D("2.00"), "1.89", 5)).toBe(true);
    expect(priceDiffers(new D("2.00"), "2.0001", 0)).toBe(true);
  });

  it("approves credit while limit - open invoices - open orders - this order stays >= 0", () => {
    const customer = { creditLimit: new D("1000"), creditHold: false, currency: "USD" };
    expect(creditDecision(customer, "400", "300", "300", "USD")).toMatchObject({ approved: true, reason: null });
    expect(creditDecision(customer, "400", "300", "300.01", "USD")).toMatchObject({
      approved: false,
      reason: "credit limit 1000.00 USD exceeded by 0.01 USD (open invoices 400.00, other open orders 300.00, this order 300.01)",
    });
    expect(creditDecision({ ...customer, creditHold: true }, "0", "0", "1", "USD").reason).toBe("the customer's account is on credit hold in the ERP");
    expect(creditDecision(customer, "0", "0", "1", "EUR").reason).toBe("the order is in EUR but the customer's account is in USD");
  });
});

describe("the canonical order command", () => {
  it("names each problem by its field", () => {
    const { command, problems } = commandProblems({ channel: "EDI", system: "x12", idempotencyKey: "", customer: {}, lines: [{ quantity: 1.5 }] });
    expect(command).toBeNull();
    expect(problems.map((p) => p.field)).toEqual(["system", "idempotencyKey", "lines[0].quantity"]);
    const second = commandProblems({
      channel: "EDI",
      system: "X12",
      idempotencyKey: "ZZ:ACME:4500012269",
      customer: {},
      lines: [{ quantity: 1 }, { sku: "A", lineNumber: 1, quantity: 2 }],
    });
    expect(second.problems).toEqual([
      { field: "lines[0]", message: "names no product: give sku, gtin, customerPartNumber or references" },
      { field: "lines[1].lineNumber", message: "repeats line number 1" },
      { field: "customer", message: "names no customer: give id, gln or references" },
    ]);
  });
});

describe("mappings CSV", () => {
  it("reads quoted values as text and names the line of a bad row", () => {
    expect(parseMappingsCsv('\uFEFFkind,system,externalValue,canonicalId\r\nPRODUCT,GS1,"00012",A\r\nPRODUCT,C1,"x, ""y""",B\r\n')).toEqual([
      { kind: "PRODUCT", system: "GS1", externalValue: "00012", canonicalId: "A" },
      { kind: "PRODUCT", system: "C1", externalValue: 'x, "y"', canonicalId: "B" },
    ]);
    expect(() => parseMappingsCsv("kind,system,value,id\n")).toThrow(
      "line 1: the header must be kind,system,externalValue,canonicalId, got kind,system,value,id",
    );
    expect(() => parseMappingsCsv("kind,system,externalValue,canonicalId\nUNIT,X12,CA,\n")).toThrow("line 2: canonicalId is empty");
    expect(() => parseMappingsCsv("kind,system,externalValue,canonicalId\nUNIT,X12\n")).toThrow(/not valid CSV/);
  });
});

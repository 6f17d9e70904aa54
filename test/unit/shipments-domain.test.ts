// Shipment rules without a database: GS1 check digits, SSCCs, status from milestones.
import { describe, it, expect } from "vitest";
import type { MilestoneCode } from "../../platform/db/generated/client.js";
import { gs1CheckDigit, isValidSscc, makeSscc, statusFromMilestones } from "../../subgraphs/shipments/domain.js";

describe("gs1CheckDigit", () => {
  it.each([
    ["10614141123456789", 7, "SSCC 106141411234567897 (GS1 General Specifications example)"],
    ["400638133393", 1, "GTIN-13 4006381333931"],
    ["03600029145", 2, "UPC-A / GTIN-12 036000291452"],
    ["0001234567890", 5, "GTIN-14 00012345678905"],
    ["9780446360265".slice(0, 12), 5, "ISBN-13 9780446360265 from the 855 sample"],
    ["0", 0, "a single zero"],
  ])("%s -> %i (%s)", (body, digit) => {
    expect(gs1CheckDigit(body)).toBe(digit);
  });

  it("weights the rightmost body digit by 3", () => {
    // body "1": 1x3 = 3 -> 7; body "10": 0x3 + 1x1 = 1 -> 9
    expect(gs1CheckDigit("1")).toBe(7);
    expect(gs1CheckDigit("10")).toBe(9);
  });

  it("is 0, not 10, when the weighted sum is a multiple of 10", () => {
    // 5x3 + 5x1 = 20
    expect(gs1CheckDigit("55")).toBe(0);
  });
});

describe("isValidSscc", () => {
  it("accepts a correct SSCC-18", () => {
    expect(isValidSscc("106141411234567897")).toBe(true);
  });

  it.each([
    ["106141411234567890", "wrong check digit"],
    ["106141411234567898", "check digit off by one"],
    ["016141411234567897", "transposed digits"],
    ["10614141123456789", "17 digits"],
    ["1061414112345678970", "19 digits"],
    ["00106141411234567897", "with the (00) application identifier"],
    ["10614141123456789A", "a letter"],
    [" 106141411234567897", "leading space"],
    ["", "empty"],
  ])("rejects %j (%s)", (sscc) => {
    expect(isValidSscc(sscc)).toBe(false);
  });
});

describe("makeSscc", () => {
  it("builds the GS1 example SSCC from its parts", () => {
    expect(makeSscc(1, "0614141", 123456789)).toBe("106141411234567897");
  });

  it("pads the serial to fill 17 body digits and appends a valid check digit", () => {
    const sscc = makeSscc(0, "0614141", 1);
    expect(sscc).toMatch(/^\d{18}$/);
    expect(sscc.slice(0, 17)).toBe("00614141000000001");
    expect(isValidSscc(sscc)).toBe(true);
  });

  it("round-trips through isValidSscc for many prefixes and serials", () => {
    for (const prefix of ["0614141", "061414112", "4006381", "12345678901"]) {
      for (const serial of [0, 7, 42, 99_999, 12_345]) {
        const sscc = makeSscc(3, prefix, serial);
        expect(isValidSscc(sscc), sscc).toBe(true);
        expect(sscc.startsWith(`3${prefix}`)).toBe(true);
        expect(Number(sscc.slice(1 + prefix.length, 17))).toBe(serial);
        // a changed check digit no longer validates
        const wrong = sscc.slice(0, 17) + ((Number(sscc[17]) + 1) % 10);
        expect(isValidSscc(wrong)).toBe(false);
      }
    }
  });

  it("throws when the serial does not fit", () => {
    expect(() => makeSscc(1, "0614141", 1_234_567_890)).toThrow("SSCC body must be 17 digits, got 18");
  });
});

describe("statusFromMilestones", () => {
  const at = (iso: string) => new Date(iso);
  const m = (code: MilestoneCode, iso: string) => ({ code, occurredAt: at(iso) });

  it("is PLANNED without milestones", () => {
    expect(statusFromMilestones([])).toBe("PLANNED");
  });

  it.each<[MilestoneCode, string]>([
    ["PICKED", "PICKED"],
    ["PACKED", "PICKED"],
    ["PICKED_UP", "SHIPPED"],
    ["IN_TRANSIT", "IN_TRANSIT"],
    ["OUT_FOR_DELIVERY", "IN_TRANSIT"],
    ["DELIVERED", "DELIVERED"],
    ["EXCEPTION", "EXCEPTION"],
  ])("maps a single %s milestone to %s", (code, status) => {
    expect(statusFromMilestones([m(code, "2026-05-01T10:00:00Z")])).toBe(status);
  });

  it("uses the latest occurredAt, not the last element, when milestones arrive out of order", () => {
    const delivered = m("DELIVERED", "2026-05-03T15:00:00Z");
    const inTransit = m("IN_TRANSIT", "2026-05-02T08:00:00Z");
    const picked = m("PICKED", "2026-05-01T09:00:00Z");
    expect(statusFromMilestones([delivered, inTransit, picked])).toBe("DELIVERED");
    expect(statusFromMilestones([picked, delivered, inTransit])).toBe("DELIVERED");
    expect(statusFromMilestones([inTransit, picked])).toBe("IN_TRANSIT");
  });

  it("lets a later exception override an earlier delivery in any order", () => {
    const list = [m("EXCEPTION", "2026-05-04T00:00:00Z"), m("DELIVERED", "2026-05-03T00:00:00Z"), m("PICKED_UP", "2026-05-01T00:00:00Z")];
    expect(statusFromMilestones(list)).toBe("EXCEPTION");
    expect(statusFromMilestones([...list].reverse())).toBe("EXCEPTION");
  });

  it("compares instants, not the wall-clock text of different offsets", () => {
    // 10:00-05:00 is 15:00Z, later than 14:00Z
    expect(statusFromMilestones([m("OUT_FOR_DELIVERY", "2026-05-03T10:00:00-05:00"), m("IN_TRANSIT", "2026-05-03T14:00:00Z")])).toBe("IN_TRANSIT");
    expect(statusFromMilestones([m("DELIVERED", "2026-05-03T10:00:00-05:00"), m("PICKED_UP", "2026-05-03T14:00:00Z")])).toBe("DELIVERED");
  });
});

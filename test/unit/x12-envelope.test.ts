// splitInterchange on real sample interchanges, and its envelope errors.
import fs from "node:fs";
import { describe, it, expect } from "vitest";
import { IngestError } from "../../platform/ingest/errors.js";
import { separatorsOf, splitInterchange } from "../../platform/ingest/x12-envelope.js";

const sample = (file: string) => fs.readFileSync(new URL(`../fixtures/samples/${file}`, import.meta.url), "utf8");
const s850 = sample("x12-850-xyzretail-6lines.edi");
const s855 = sample("x12-855-poack-accept-reject.edi");
const s856 = sample("x12-856-xyzretail-SOI-2items.edi");

/** Segments of an interchange with "~" terminators and line breaks. */
const segmentsOf = (text: string) => text.split("~").map((s) => s.trim()).filter(Boolean);
const join = (segments: string[]) => segments.map((s) => `${s}~`).join("\n") + "\n";

/** Runs fn, expects a PARSE IngestError, returns it. */
function parseErrorOf(fn: () => unknown): IngestError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(IngestError);
    expect((err as IngestError).step).toBe("PARSE");
    return err as IngestError;
  }
  throw new Error("expected a PARSE IngestError, nothing was thrown");
}

describe("splitInterchange on the shared samples", () => {
  it.each([
    // ISA05:ISA06 / ISA13 / GS06 / ST02
    ["850", s850, "12:4405197800/000003438/1421/000000010"],
    ["855", s855, "ZZ:1556150/000000005/5/0005"],
    ["856", s856, "12:4405197800/000000049/49/0008"],
  ])("splits the %s into one set with its idempotency key", (setId, text, key) => {
    const sets = splitInterchange(text);
    expect(sets).toHaveLength(1);
    expect(sets[0].setId).toBe(setId);
    expect(sets[0].idempotencyKey).toBe(key);
    expect(sets[0].position).toBe(3);
  });

  it.each([
    ["850", s850],
    ["855", s855],
    ["856", s856],
  ])("builds the key from the ISA, GS and ST elements of the %s", (_id, text) => {
    const seg = segmentsOf(text);
    const isa = seg[0].split("*");
    const gs = seg.find((s) => s.startsWith("GS*"))!.split("*");
    const st = seg.find((s) => s.startsWith("ST*"))!.split("*");
    expect(splitInterchange(text)[0].idempotencyKey).toBe(`${isa[5]}:${isa[6].trim()}/${isa[13]}/${gs[6]}/${st[2]}`);
  });

  it.each([
    ["850", s850],
    ["855", s855],
    ["856", s856],
  ])("keeps every segment of the %s set in raw, which re-splits to itself", (_id, text) => {
    const [set] = splitInterchange(text);
    // one-set sample: raw is the same interchange, without the line breaks
    expect(segmentsOf(set.raw)).toEqual(segmentsOf(text));
    const again = splitInterchange(set.raw);
    expect(again).toHaveLength(1);
    expect(again[0]).toEqual(set);
  });

  it("reads the separators from the ISA", () => {
    expect(separatorsOf(s850)).toEqual({ element: "*", component: ">", segment: "~" });
    // the 856 uses ISA11 "-" as repetition separator; that must not be taken for a separator
    expect(separatorsOf(s856)).toEqual({ element: "*", component: ">", segment: "~" });
  });

  it("ignores a byte order mark, leading whitespace and CRLF line breaks", () => {
    const crlf = "\uFEFF\r\n  " + s855.replace(/\n/g, "\r\n");
    const [set] = splitInterchange(crlf);
    expect(set.idempotencyKey).toBe("ZZ:1556150/000000005/5/0005");
    expect(set.raw).not.toContain("\r");
    expect(set.raw).not.toContain("\uFEFF");
  });

  it("works with other separators (| elements, ^ component, newline segments)", () => {
    const text = s855.replace(/\*/g, "|").replace("|>~", "|^\n").replace(/~\n?/g, "\n");
    const [set] = splitInterchange(text);
    expect(set.setId).toBe("855");
    expect(set.idempotencyKey).toBe("ZZ:1556150/000000005/5/0005");
  });
});

describe("splitInterchange with several sets and groups", () => {
  // the 850 with its transaction set twice (ST02 000000010 and 000000011) in one group
  const seg = segmentsOf(s850);
  const stAt = seg.findIndex((s) => s.startsWith("ST*"));
  const seAt = seg.findIndex((s) => s.startsWith("SE*"));
  const body = seg.slice(stAt, seAt + 1);
  const second = body.map((s) => s.replace("*000000010", "*000000011"));
  const twoSets = join([...seg.slice(0, stAt), ...body, ...second, "GE*2*1421", "IEA*1*000003438"]);

  it("gives each set its own key and position", () => {
    const sets = splitInterchange(twoSets);
    expect(sets.map((s) => s.setId)).toEqual(["850", "850"]);
    expect(sets.map((s) => s.idempotencyKey)).toEqual(["12:4405197800/000003438/1421/000000010", "12:4405197800/000003438/1421/000000011"]);
    expect(sets.map((s) => s.position)).toEqual([3, 3 + body.length]);
  });

  it("makes each raw a complete one-set interchange that re-splits to the same set", () => {
    for (const set of splitInterchange(twoSets)) {
      const again = splitInterchange(set.raw);
      expect(again).toHaveLength(1);
      expect(again[0].setId).toBe(set.setId);
      expect(again[0].idempotencyKey).toBe(set.idempotencyKey);
      expect(again[0].raw).toBe(set.raw);
      const rawSegments = segmentsOf(set.raw);
      expect(rawSegments.at(-2)).toBe("GE*1*1421");
      expect(rawSegments.at(-1)).toBe("IEA*1*000003438");
      expect(rawSegments.filter((s) => s.startsWith("ST*"))).toHaveLength(1);
    }
  });

  it("splits two functional groups with their own GS06", () => {
    const gs2 = seg[1].replace("*1421*", "*1422*");
    const text = join([seg[0], seg[1], ...body, "GE*1*1421", gs2, ...second, "GE*1*1422", "IEA*2*000003438"]);
    expect(splitInterchange(text).map((s) => s.idempotencyKey)).toEqual([
      "12:4405197800/000003438/1421/000000010",
      "12:4405197800/000003438/1422/000000011",
    ]);
  });
});

describe("splitInterchange errors", () => {
  const seg = segmentsOf(s850); // 37 segments: ISA, GS, ST..SE (33), GE, IEA
  const replace = (from: string, to: string) => join(seg.map((s) => (s === from ? to : s)));

  it("has the expected sample layout", () => {
    expect(seg).toHaveLength(37);
    expect(seg[34]).toBe("SE*33*000000010");
  });

  it("rejects text that is not X12 at byte 0", () => {
    const err = parseErrorOf(() => splitInterchange('{"order": 1}'));
    expect(err.message).toBe("not an X12 interchange: it must start with an ISA segment (at byte 0)");
    expect(err.where).toBe("byte 0");
    expect(parseErrorOf(() => splitInterchange("")).where).toBe("byte 0");
    expect(parseErrorOf(() => splitInterchange("UNB+UNOA:1+SENDER+RECEIVER'")).where).toBe("byte 0");
  });

  it("rejects an interchange cut inside the ISA", () => {
    const err = parseErrorOf(() => splitInterchange(s850.slice(0, 60)));
    expect(err.message).toContain("the ISA segment needs 106 characters, got 60");
    expect(err.where).toBe("ISA");
  });

  it("rejects an interchange without its IEA trailer, naming the last segment", () => {
    const err = parseErrorOf(() => splitInterchange(join(seg.slice(0, -1))));
    expect(err.message).toBe("interchange is truncated: it ends with GE instead of an IEA trailer (at segment 36)");
  });

  it("rejects an interchange cut in the middle of a segment", () => {
    const cut = s850.slice(0, s850.indexOf("PO1*3*") + 8);
    const err = parseErrorOf(() => splitInterchange(cut));
    const count = segmentsOf(cut).length;
    expect(err.message).toBe(`interchange is truncated: it ends with PO1 instead of an IEA trailer (at segment ${count})`);
  });

  it("rejects an SE segment count that does not match, at the SE's position", () => {
    const err = parseErrorOf(() => splitInterchange(replace("SE*33*000000010", "SE*32*000000010")));
    expect(err.message).toBe("SE01 says 32 segments, transaction set 000000010 has 33 (at segment 35 (SE))");
    expect(err.where).toBe("segment 35 (SE)");
  });

  it("rejects an SE control number that does not match ST02", () => {
    const err = parseErrorOf(() => splitInterchange(replace("SE*33*000000010", "SE*33*000000099")));
    expect(err.message).toBe('SE02 "000000099" does not match ST02 "000000010" (at segment 35 (SE))');
  });

  it("rejects a GE control number that does not match GS06, at the GE's position", () => {
    const err = parseErrorOf(() => splitInterchange(replace("GE*1*1421", "GE*1*9999")));
    expect(err.message).toBe('GE02 "9999" does not match GS06 "1421" (at segment 36 (GE))');
  });

  it("rejects an IEA control number that does not match ISA13", () => {
    const err = parseErrorOf(() => splitInterchange(replace("IEA*1*000003438", "IEA*1*000003439")));
    expect(err.message).toBe('IEA02 "000003439" does not match ISA13 "000003438" (at segment 37 (IEA))');
  });

  it("rejects an IEA group count that does not match", () => {
    const err = parseErrorOf(() => splitInterchange(replace("IEA*1*000003438", "IEA*2*000003438")));
    expect(err.message).toBe("IEA01 says 2 functional groups, found 1 (at segment 37 (IEA))");
  });

  it("rejects a missing SE, at the GE that closes the group", () => {
    const err = parseErrorOf(() => splitInterchange(join(seg.filter((s) => !s.startsWith("SE*")))));
    expect(err.message).toBe("GE inside transaction set 000000010 (missing SE) (at segment 35 (GE))");
  });

  it("rejects a missing GE, at the end of the interchange", () => {
    const err = parseErrorOf(() => splitInterchange(join(seg.filter((s) => !s.startsWith("GE*")))));
    expect(err.message).toBe("functional group 1421 has no GE trailer (at end of interchange)");
  });

  it("rejects a segment outside a transaction set, at its position", () => {
    const text = join([...seg.slice(0, 2), "REF*DP*038", ...seg.slice(2)]);
    const err = parseErrorOf(() => splitInterchange(text));
    expect(err.message).toBe("REF segment outside a transaction set (at segment 3 (REF))");
  });

  it("rejects an ISA with the wrong number of elements", () => {
    // ISA of the right length but with one element separator replaced: 15 elements
    const isa = seg[0].replace("*U*", "*U-");
    const err = parseErrorOf(() => splitInterchange(join([isa, ...seg.slice(1)])));
    expect(err.message).toBe("ISA must have 16 elements, found 15 (at segment 1 (ISA))");
  });

  it("rejects an interchange with no transaction set", () => {
    const err = parseErrorOf(() => splitInterchange(join([seg[0], seg[1], "GE*0*1421", "IEA*1*000003438"])));
    expect(err.message).toBe("interchange holds no transaction set (at ISA)");
  });
});

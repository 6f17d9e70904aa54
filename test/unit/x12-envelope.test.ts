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
const segmentsOf = (text: string) =>
  text
    .split("~")
    .map((s) => s.trim())
    .filter(Boolean);
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
    // ISA05:ISA06 / ISA07:ISA08 / ISA13 / GS06 / ST01 / ST02
    ["850", s850, "12:4405197800/01:999999999/000003438/1421/850/000000010"],
    ["855", s855, "ZZ:1556150/ZZ:123MILL/000000005/5/855/0005"],
    ["856", s856, "12:4405197800/01:999999999/000000049/49/856/0008"],
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
  ])("builds the key from sender, receiver, ISA13, GS06, ST01 and ST02 of the %s", (_id, text) => {
    const seg = segmentsOf(text);
    const isa = seg[0].split("*");
    const gs = seg.find((s) => s.startsWith("GS*"))!.split("*");
    const st = seg.find((s) => s.startsWith("ST*"))!.split("*");
    expect(splitInterchange(text)[0].idempotencyKey).toBe(`${isa[5]}:${isa[6].trim()}/${isa[7]}:${isa[8].trim()}/${isa[13]}/${gs[6]}/${st[1]}/${st[2]}`);
  });

  it.each([
    ["850", s850],
    ["855", s855],
    ["856", s856],
  ])("keeps the %s's bytes exactly in its one set's raw, which re-splits to itself", (_id, text) => {
    const [set] = splitInterchange(Buffer.from(text, "latin1"));
    expect(set.raw.toString("latin1")).toBe(text);
    expect(set.warnings).toEqual([]);
    const again = splitInterchange(set.raw);
    expect(again).toHaveLength(1);
    expect(again[0]).toEqual(set);
  });

  it("reads the separators from the ISA", () => {
    expect(separatorsOf(s850)).toEqual({ element: "*", component: ">", segment: "~" });
    // the 856 uses ISA11 "-" as repetition separator; that must not be taken for a separator
    expect(separatorsOf(s856)).toEqual({ element: "*", component: ">", segment: "~" });
  });

  it("skips a UTF-8 byte order mark and leading whitespace, and keeps CRLF line breaks", () => {
    const crlf = s855.replace(/\n/g, "\r\n");
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("\r\n  " + crlf, "latin1")]);
    const [set] = splitInterchange(body);
    expect(set.idempotencyKey).toBe("ZZ:1556150/ZZ:123MILL/000000005/5/855/0005");
    expect(set.raw.toString("latin1")).toBe(crlf);
    // The same content with other line breaks: the same content hash.
    expect(set.contentHash).toBe(splitInterchange(s855)[0].contentHash);
    expect(set.contentHash).not.toBe(splitInterchange(s855.replace("ACK*IA*", "ACK*IR*"))[0].contentHash);
  });

  it("works with other separators (| elements, ^ component, newline segments)", () => {
    const text = s855.replace(/\*/g, "|").replace("|>~", "|^\n").replace(/~\n?/g, "\n");
    const [set] = splitInterchange(text);
    expect(set.setId).toBe("855");
    expect(set.idempotencyKey).toBe("ZZ:1556150/ZZ:123MILL/000000005/5/855/0005");
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
    expect(sets.map((s) => s.idempotencyKey)).toEqual([
      "12:4405197800/01:999999999/000003438/1421/850/000000010",
      "12:4405197800/01:999999999/000003438/1421/850/000000011",
    ]);
    expect(sets.map((s) => s.position)).toEqual([3, 3 + body.length]);
  });

  it("makes each raw the set within its original envelope segments, byte for byte, which re-splits to the same set", () => {
    const lines = twoSets
      .split("\n")
      .filter(Boolean)
      .map((l) => `${l}\n`);
    for (const [i, set] of splitInterchange(twoSets).entries()) {
      const own = lines.slice(2 + i * body.length, 2 + (i + 1) * body.length);
      expect(set.raw.toString("latin1")).toBe([lines[0], lines[1], ...own, lines.at(-2), lines.at(-1)].join(""));
      // The group's GE01 still counts both sets: splitting the set's raw again warns about it.
      const again = splitInterchange(set.raw);
      expect(again).toHaveLength(1);
      expect(again[0].idempotencyKey).toBe(set.idempotencyKey);
      expect(again[0].contentHash).toBe(set.contentHash);
      expect(again[0].warnings).toEqual([
        { code: "X12_COUNT_MISMATCH", message: "GE01 says 2 transaction sets, functional group 1421 has 1", where: `segment ${body.length + 3} (GE)` },
      ]);
    }
  });

  it("splits two functional groups with their own GS06", () => {
    const gs2 = seg[1].replace("*1421*", "*1422*");
    const text = join([seg[0], seg[1], ...body, "GE*1*1421", gs2, ...second, "GE*1*1422", "IEA*2*000003438"]);
    expect(splitInterchange(text).map((s) => s.idempotencyKey)).toEqual([
      "12:4405197800/01:999999999/000003438/1421/850/000000010",
      "12:4405197800/01:999999999/000003438/1422/850/000000011",
    ]);
  });

  it("records GE01 and IEA01 counts that disagree with the content as warnings on the sets concerned", () => {
    const gs2 = seg[1].replace("*1421*", "*1422*");
    const text = join([seg[0], seg[1], ...body, "GE*3*1421", gs2, ...second, "GE*1*1422", "IEA*5*000003438"]);
    const sets = splitInterchange(text);
    const ge1 = `segment ${2 + body.length + 1} (GE)`;
    const iea = `segment ${segmentsOf(text).length} (IEA)`;
    expect(sets[0].warnings).toEqual([
      { code: "X12_COUNT_MISMATCH", message: "GE01 says 3 transaction sets, functional group 1421 has 1", where: ge1 },
      { code: "X12_COUNT_MISMATCH", message: "IEA01 says 5 functional groups, the interchange has 2", where: iea },
    ]);
    expect(sets[1].warnings).toEqual([{ code: "X12_COUNT_MISMATCH", message: "IEA01 says 5 functional groups, the interchange has 2", where: iea }]);
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

  it("accepts an IEA group count that does not match, with a warning", () => {
    const [set] = splitInterchange(replace("IEA*1*000003438", "IEA*2*000003438"));
    expect(set.warnings).toEqual([{ code: "X12_COUNT_MISMATCH", message: "IEA01 says 2 functional groups, the interchange has 1", where: "segment 37 (IEA)" }]);
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

// The byte-level JSON reading behind exact raw bytes and store-first: element ranges, depth, hashes.
import { describe, expect, it } from "vitest";
import { canonicalJson, MAX_JSON_DEPTH, scanJson, sha256, withoutBom } from "../../platform/ingest/json-body.js";
import { IngestError } from "../../platform/ingest/errors.js";

const ranges = (text: string) => {
  const body = Buffer.from(text);
  const { elements } = scanJson(body);
  return elements?.map(([a, b]) => body.subarray(a, b).toString());
};

describe("scanJson", () => {
  it("finds each element of a top-level array exactly, whatever the whitespace and content", () => {
    expect(ranges(`[ {"a": "x,y]}"} ,\n\t[1, [2]], "s\\"]", 3.5e2 , null,true]`)).toEqual([`{"a": "x,y]}"}`, "[1, [2]]", `"s\\"]"`, "3.5e2", "null", "true"]);
    expect(ranges("[]")).toEqual([]);
    expect(ranges("  [ ]  ")).toEqual([]);
  });

  it("keeps multi-byte characters inside their element", () => {
    expect(ranges(`[{"n":"naïve ☃ 😀"},{"n":"é"}]`)).toEqual([`{"n":"naïve ☃ 😀"}`, `{"n":"é"}`]);
  });

  it("says a top-level object or value is not an array", () => {
    expect(scanJson(Buffer.from(` {"a":[1,2]} `)).elements).toBeNull();
    expect(scanJson(Buffer.from(`"x"`)).elements).toBeNull();
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels, naming the byte, before anything recurses`, () => {
    expect(() => scanJson(Buffer.from("[".repeat(MAX_JSON_DEPTH) + "]".repeat(MAX_JSON_DEPTH)))).not.toThrow();
    const deep = Buffer.from("[".repeat(100_000) + "]".repeat(100_000));
    let err: unknown;
    try {
      scanJson(deep);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IngestError);
    expect((err as IngestError).step).toBe("PARSE");
    expect((err as IngestError).message).toBe(`JSON nested deeper than ${MAX_JSON_DEPTH} levels (at byte ${MAX_JSON_DEPTH})`);
    // brackets inside strings do not count
    expect(() => scanJson(Buffer.from(`{"s": "${"[".repeat(1000)}"}`))).not.toThrow();
  });
});

describe("canonicalJson and content hashes", () => {
  it("is the same for the same content written differently, and differs for other content", () => {
    const a = JSON.parse(`{ "b": [1, {"y": 2, "x": 1}], "a": "é" }`);
    const b = JSON.parse(`{"a":"\\u00e9","b":[1,{"x":1,"y":2}]}`);
    expect(canonicalJson(a)).toBe(`{"a":"é","b":[1,{"x":1,"y":2}]}`);
    expect(sha256(canonicalJson(a))).toBe(sha256(canonicalJson(b)));
    expect(sha256(canonicalJson({ ...b, b: [2, { x: 1, y: 2 }] }))).not.toBe(sha256(canonicalJson(b)));
  });

  it("drops a UTF-8 byte-order mark only at the start", () => {
    expect(withoutBom(Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d])).toString()).toBe("{}");
    expect(withoutBom(Buffer.from("{}")).toString()).toBe("{}");
  });
});

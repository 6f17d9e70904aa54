// JSON request bodies at the byte level: how deep they nest (checked before anything recurses
// into them), where each element of a top-level array starts and ends (so each message keeps the
// exact bytes that were sent, not a re-serialisation), and a content hash that ignores
// formatting and key order (so a reformatted resend is a duplicate, a changed one a conflict).
import { createHash } from "node:crypto";
import { parseError } from "./errors.js";

/** Deeper nesting is refused before parsing: no later step may recurse without bound. */
export const MAX_JSON_DEPTH = 64;

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The body without a leading UTF-8 byte-order mark, which is not part of the document. */
export const withoutBom = (body: Buffer) => (body.subarray(0, 3).equals(UTF8_BOM) ? body.subarray(3) : body);

/**
 * A JSON message's bytes as a value; invalid JSON is a PARSE failure naming what JSON.parse found.
 * A single message is stored exactly as sent, byte-order mark included: it is skipped here.
 */
export function parseJsonMessage(raw: Buffer): unknown {
  try {
    return JSON.parse(withoutBom(raw).toString("utf8"));
  } catch (err) {
    throw parseError(`body is not valid JSON: ${(err as Error).message}`);
  }
}

const isSpace = (b: number) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

/**
 * Byte ranges of the elements of a top-level array ([start, end), whitespace trimmed), or null
 * when the body is not an array. Structural characters are ASCII and never occur inside a UTF-8
 * multi-byte sequence, so scanning bytes is exact. Throws a parse error for nesting deeper than
 * MAX_JSON_DEPTH; does not otherwise validate (JSON.parse does).
 */
export function scanJson(body: Buffer): { elements: [number, number][] | null } {
  let depth = 0;
  let inString = false;
  let topArray: boolean | null = null;
  const elements: [number, number][] = [];
  let elementStart = -1;
  let lastSignificant = -1;
  for (let i = 0; i < body.length; i++) {
    const b = body[i];
    if (inString) {
      if (b === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (b === 0x22) inString = false;
      lastSignificant = i;
      continue;
    }
    if (isSpace(b)) continue;
    if (topArray === null) topArray = b === 0x5b;
    if (topArray && depth === 1 && elementStart < 0 && b !== 0x5d && b !== 0x2c) elementStart = i;
    if (b === 0x22) inString = true;
    else if (b === 0x5b || b === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) throw parseError(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`, `byte ${i}`);
    } else if (b === 0x5d || b === 0x7d) {
      if (topArray && depth === 1 && elementStart >= 0) {
        elements.push([elementStart, lastSignificant + 1]);
        elementStart = -1;
      }
      depth--;
    } else if (b === 0x2c && topArray && depth === 1) {
      if (elementStart >= 0) elements.push([elementStart, lastSignificant + 1]);
      elementStart = -1;
    }
    lastSignificant = i;
  }
  return { elements: topArray ? elements : null };
}

/** JSON with object keys sorted and no whitespace: equal for equal content however it was written. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

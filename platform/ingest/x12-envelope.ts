// Splits an X12 interchange into its transaction sets before anything is parsed further, so each
// set becomes its own inbound message with its own idempotency key and goes to the domain that
// owns its transaction set. Envelope errors name the segment; envelope counts (GE01, IEA01) that
// disagree with the content are warnings, not errors.
//
// Each set's raw bytes are bytes the sender sent, unchanged: the ISA and GS segments, the set's
// ST..SE, and the GE and IEA segments, each with the line breaks that followed it. For a one-set
// interchange that is the body exactly. Nothing is re-generated (so GE01 still counts the sets of
// the whole group; parseTransactionSet ignores envelope counts for that reason).
import { X12Parser } from "node-x12";
import { parseError } from "./errors.js";
import { sha256, withoutBom } from "./json-body.js";
import type { WarningInput } from "./warnings.js";

export interface X12TransactionSet {
  /** ST01: 846, 850, 856… */
  setId: string;
  /** sender qualifier:id / receiver qualifier:id / ISA13 / GS06 / ST01 / ST02 */
  idempotencyKey: string;
  /** The set within its envelope, as received (see above). */
  raw: Buffer;
  /** sha256 of the set's ST..SE segments without line breaks: what decides duplicate or conflict. */
  contentHash: string;
  /** Segment number of the ST in the original interchange (1-based), for error messages. */
  position: number;
  /** Envelope findings that concern this set (counts that disagree with the content). */
  warnings: WarningInput[];
}

export interface X12Separators {
  element: string;
  segment: string;
  component: string;
}

const ISA_LENGTH = 106;

export function separatorsOf(text: string): X12Separators {
  if (!text.startsWith("ISA")) throw parseError("not an X12 interchange: it must start with an ISA segment", "byte 0");
  if (text.length < ISA_LENGTH) throw parseError(`interchange is truncated: the ISA segment needs ${ISA_LENGTH} characters, got ${text.length}`, "ISA");
  return { element: text[3], component: text[104], segment: text[105] };
}

interface SegmentSpan {
  text: string;
  /** Byte range in the interchange, including the terminator and the line breaks after it. */
  start: number;
  end: number;
}

/** Segments with their byte spans. Latin-1 decoding maps each byte to one character, so offsets are byte offsets. */
function segmentSpans(text: string, terminator: string): SegmentSpan[] {
  const spans: SegmentSpan[] = [];
  let pos = 0;
  while (pos < text.length) {
    while (pos < text.length && (text[pos] === "\r" || text[pos] === "\n") && text[pos] !== terminator) pos++;
    if (pos >= text.length) break;
    const t = text.indexOf(terminator, pos);
    let end = t < 0 ? text.length : t + 1;
    while (end < text.length && (text[end] === "\r" || text[end] === "\n") && text[end] !== terminator) end++;
    const segment = text.slice(pos, t < 0 ? text.length : t);
    if (segment.trim() !== "") spans.push({ text: segment.replace(/^\s+/, ""), start: pos, end });
    pos = end;
  }
  return spans;
}

/** The interchange from a request body: a UTF-8 byte-order mark and leading whitespace are not part of it. */
function interchangeBytes(input: Buffer | string): Buffer {
  const body = withoutBom(typeof input === "string" ? Buffer.from(input.replace(/^\uFEFF/, ""), "latin1") : input);
  let start = 0;
  while (start < body.length && (body[start] === 0x20 || body[start] === 0x09 || body[start] === 0x0a || body[start] === 0x0d)) start++;
  return body.subarray(start);
}

export function splitInterchange(input: Buffer | string): X12TransactionSet[] {
  const bytes = interchangeBytes(input);
  const text = bytes.toString("latin1");
  const sep = separatorsOf(text);
  const spans = segmentSpans(text, sep.segment);
  const elements = (s: SegmentSpan) => s.text.split(sep.element);
  const isa = elements(spans[0]);
  if (isa.length !== 17) throw parseError(`ISA must have 16 elements, found ${isa.length - 1}`, "segment 1 (ISA)");
  const party = (qualifier: string, id: string) => `${qualifier.trim()}:${id.trim()}`;
  const sender = party(isa[5], isa[6]);
  const receiver = party(isa[7], isa[8]);
  const isaControl = isa[13].trim();
  const lastSpan = spans[spans.length - 1];
  const last = elements(lastSpan);
  if (last[0] !== "IEA")
    throw parseError(`interchange is truncated: it ends with ${last[0] || "nothing"} instead of an IEA trailer`, `segment ${spans.length}`);
  if (last[2]?.trim() !== isaControl) throw parseError(`IEA02 "${last[2]}" does not match ISA13 "${isaControl}"`, `segment ${spans.length} (IEA)`);

  interface PendingSet extends Omit<X12TransactionSet, "raw"> {
    gs: SegmentSpan;
    body: [number, number];
    ge?: SegmentSpan;
  }
  const sets: PendingSet[] = [];
  let gs: SegmentSpan | null = null;
  let gsControl = "";
  let groupSets: PendingSet[] = [];
  let groups = 0;
  let st: { index: number; id: string; control: string } | null = null;
  for (let i = 1; i < spans.length - 1; i++) {
    const e = elements(spans[i]);
    const where = `segment ${i + 1} (${e[0]})`;
    switch (e[0]) {
      case "GS":
        if (gs) throw parseError("GS inside an open functional group (missing GE)", where);
        gs = spans[i];
        gsControl = e[6]?.trim() ?? "";
        groupSets = [];
        groups++;
        break;
      case "GE": {
        if (!gs) throw parseError("GE without a GS", where);
        if (st) throw parseError(`GE inside transaction set ${st.control} (missing SE)`, where);
        if (e[2]?.trim() !== gsControl) throw parseError(`GE02 "${e[2]}" does not match GS06 "${gsControl}"`, where);
        const said = e[1]?.trim() ?? "";
        const countWarning =
          Number(said) !== groupSets.length || !/^\d+$/.test(said)
            ? { code: "X12_COUNT_MISMATCH", message: `GE01 says ${said} transaction sets, functional group ${gsControl} has ${groupSets.length}`, where }
            : null;
        for (const s of groupSets) {
          s.ge = spans[i];
          if (countWarning) s.warnings.push(countWarning);
        }
        gs = null;
        break;
      }
      case "ST":
        if (!gs) throw parseError("ST outside a functional group", where);
        if (st) throw parseError(`ST inside transaction set ${st.control} (missing SE)`, where);
        st = { index: i, id: e[1]?.trim() ?? "", control: e[2]?.trim() ?? "" };
        break;
      case "SE": {
        if (!st) throw parseError("SE without an ST", where);
        const count = i - st.index + 1;
        if (Number(e[1]) !== count) throw parseError(`SE01 says ${e[1]} segments, transaction set ${st.control} has ${count}`, where);
        if (e[2]?.trim() !== st.control) throw parseError(`SE02 "${e[2]}" does not match ST02 "${st.control}"`, where);
        const content = spans
          .slice(st.index, i + 1)
          .map((s) => s.text.trim())
          .join(sep.segment);
        const set: PendingSet = {
          setId: st.id,
          idempotencyKey: `${sender}/${receiver}/${isaControl}/${gsControl}/${st.id}/${st.control}`,
          contentHash: sha256(Buffer.from(content, "latin1")),
          position: st.index + 1,
          warnings: [],
          gs: gs!,
          body: [spans[st.index].start, spans[i].end],
        };
        sets.push(set);
        groupSets.push(set);
        st = null;
        break;
      }
      default:
        if (!st) throw parseError(`${e[0]} segment outside a transaction set`, where);
    }
  }
  if (st) throw parseError(`transaction set ${st.control} has no SE trailer`, "end of interchange");
  if (gs) throw parseError(`functional group ${gsControl} has no GE trailer`, "end of interchange");
  if (!sets.length) throw parseError("interchange holds no transaction set", "ISA");
  const saidGroups = last[1]?.trim() ?? "";
  if (Number(saidGroups) !== groups || !/^\d+$/.test(saidGroups)) {
    const w = {
      code: "X12_COUNT_MISMATCH",
      message: `IEA01 says ${saidGroups} functional groups, the interchange has ${groups}`,
      where: `segment ${spans.length} (IEA)`,
    };
    for (const s of sets) s.warnings.push(w);
  }
  const slice = (s: SegmentSpan) => bytes.subarray(s.start, s.end);
  return sets.map(({ gs: group, body, ge, ...set }) => ({
    ...set,
    raw: Buffer.concat([slice(spans[0]), slice(group), bytes.subarray(body[0], body[1]), slice(ge!), slice(lastSpan)]),
  }));
}

export interface ParsedSet {
  /** ST elements: [ST01, ST02, …] */
  header: string[];
  /** Segments between ST and SE, with their 1-based position in the set (ST is 1). */
  segments: { tag: string; values: string[]; n: number }[];
}

/**
 * One transaction set from a message's raw bytes, for a transaction set's adapter. The envelope
 * was checked when the interchange was split; its counts are not checked again here, because a
 * set keeps its group's original GE (whose GE01 counts every set of the group).
 */
export function parseTransactionSet(raw: Buffer, expectedSetId?: string): ParsedSet {
  const parser = new X12Parser(false);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- node-x12 types parse() loosely; segments are read below
  let interchange: any;
  try {
    interchange = parser.parse(raw.toString("latin1"));
  } catch (err) {
    throw parseError(`X12 does not parse: ${(err as Error).message}`);
  }
  const problem = parser.diagnostics.find((d: { level: number; message: string }) => d.level === 2 && !/The value in (GE01|IEA01)/.test(d.message));
  if (problem) throw parseError(`X12 does not parse: ${(problem as { message: string }).message.replace(/^X12 Standard: /, "")}`);
  const set = interchange?.functionalGroups?.[0]?.transactions?.[0];
  if (!set?.header) throw parseError("no transaction set in the interchange");
  const header = set.header.elements.map((e: { value: string }) => e.value);
  if (expectedSetId && header[0] !== expectedSetId) throw parseError(`expected transaction set ${expectedSetId}, got ${header[0]}`, "ST01");
  return {
    header,
    segments: set.segments.map((s: { tag: string; elements: { value: string }[] }, i: number) => ({
      tag: s.tag,
      values: s.elements.map((e) => e.value),
      n: i + 2,
    })),
  };
}

export interface X12Header {
  /** ISA elements with ISA01 at index 1 (index 0 is "ISA"), untrimmed as sent. */
  isa: string[];
  /** GS elements of the set's group, GS01 at index 1. */
  gs: string[];
}

/**
 * The ISA and GS segments of a stored transaction set (the message keeps its envelope, see
 * above): who sent it to whom, the version, the functional group; what a reply (855, 997) needs.
 */
export function interchangeHeaderOf(raw: Buffer): X12Header {
  const text = interchangeBytes(raw).toString("latin1");
  const sep = separatorsOf(text);
  const spans = segmentSpans(text, sep.segment);
  const gs = spans.find((s) => s.text.startsWith(`GS${sep.element}`));
  if (!gs) throw parseError("no GS segment before the transaction set", "GS");
  return { isa: spans[0].text.split(sep.element), gs: gs.text.split(sep.element) };
}

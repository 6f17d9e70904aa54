// Splits a UN/EDIFACT interchange (UNA? UNB (UNG UNH..UNT UNE | UNH..UNT)* UNZ) into its
// messages before anything is parsed further, like x12-envelope.ts does for X12: each message
// becomes its own inbound message with its own idempotency key and exact bytes.
//
// Syntax (ISO 9735): the service string advice UNA, when present, gives the six service
// characters (component separator, element separator, decimal mark, release character, reserved
// or repetition separator, segment terminator); otherwise the defaults : + . ? space ' apply. A
// release character makes the next character literal (?' is an apostrophe in the data, ?? a
// question mark). Line breaks between segments are not EDIFACT but common, and are tolerated; a
// UTF-8 byte-order mark before the interchange is not part of it.
//
// A message's raw bytes are the sender's: UNA, UNB, its group's UNG, its UNH..UNT, UNE and UNZ,
// each with the line breaks that followed it. Its idempotency key is
// "<sender id>:<qualifier>/<recipient id>:<qualifier>/<UNB 0020>/<message type>/<UNH 0062>".
import { parseError } from "./errors.js";
import { sha256, withoutBom } from "./json-body.js";
import type { WarningInput } from "./warnings.js";

export interface EdifactServiceChars {
  component: string;
  element: string;
  decimal: string;
  /** Empty when the interchange declares no release character (UNA4 a space). */
  release: string;
  repetition: string;
  segment: string;
}

export const DEFAULT_SERVICE_CHARS: EdifactServiceChars = { component: ":", element: "+", decimal: ".", release: "?", repetition: " ", segment: "'" };

export interface EdifactMessage {
  /** UNH 0065: ORDERS, INVOIC... */
  messageType: string;
  idempotencyKey: string;
  raw: Buffer;
  /** sha256 of the UNH..UNT segments without line breaks. */
  contentHash: string;
  /** 1-based segment number of the UNH in the interchange. */
  position: number;
  warnings: WarningInput[];
}

interface Span {
  text: string;
  start: number;
  end: number;
}

export function serviceCharsOf(text: string): { chars: EdifactServiceChars; unaLength: number } {
  if (text.startsWith("UNA")) {
    if (text.length < 9) throw parseError("UNA service string advice is truncated: it needs 6 characters after UNA", "UNA");
    const [component, element, decimal, release, repetition, segment] = text.slice(3, 9);
    const chars = { component, element, decimal, release: release === " " ? "" : release, repetition, segment };
    const used = [component, element, release, segment].filter(Boolean);
    if (new Set(used).size !== used.length) throw parseError(`UNA declares the same character for two roles ("${text.slice(3, 9)}")`, "UNA");
    return { chars, unaLength: 9 };
  }
  if (!text.startsWith("UNB")) throw parseError("not an EDIFACT interchange: it must start with UNA or UNB", "byte 0");
  return { chars: DEFAULT_SERVICE_CHARS, unaLength: 0 };
}

/** Segment spans, honouring the release character; line breaks after a terminator belong to its span. */
function segmentSpans(text: string, from: number, c: EdifactServiceChars): Span[] {
  const spans: Span[] = [];
  let pos = from;
  while (pos < text.length) {
    while (pos < text.length && (text[pos] === "\r" || text[pos] === "\n")) pos++;
    if (pos >= text.length) break;
    let i = pos;
    let terminated = false;
    while (i < text.length) {
      if (c.release && text[i] === c.release) i += 2;
      else if (text[i] === c.segment) {
        terminated = true;
        break;
      } else i++;
    }
    if (!terminated) {
      const tail = text.slice(pos).trim();
      if (tail) throw parseError(`interchange is truncated: "${tail.slice(0, 20)}" is not terminated by ${c.segment}`, `segment ${spans.length + 1}`);
      break;
    }
    let end = i + 1;
    while (end < text.length && (text[end] === "\r" || text[end] === "\n")) end++;
    spans.push({ text: text.slice(pos, i), start: pos, end });
    pos = end;
  }
  return spans;
}

/** Splits on a separator that is not released. */
export function splitReleased(text: string, separator: string, release: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (release && ch === release && i + 1 < text.length) {
      cur += text[i + 1];
      i++;
    } else if (ch === separator) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Elements of a segment as arrays of components, release characters resolved. */
export function elementsOf(segment: string, c: EdifactServiceChars): string[][] {
  // Split elements first (respecting releases but keeping them for the component split).
  const elements: string[] = [];
  let cur = "";
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i];
    if (c.release && ch === c.release && i + 1 < segment.length) {
      cur += ch + segment[i + 1];
      i++;
    } else if (ch === c.element) {
      elements.push(cur);
      cur = "";
    } else cur += ch;
  }
  elements.push(cur);
  return elements.map((e) => splitReleased(e, c.component, c.release));
}

export function splitEdifactInterchange(input: Buffer): EdifactMessage[] {
  let bytes = withoutBom(input);
  let start = 0;
  while (start < bytes.length && (bytes[start] === 0x20 || bytes[start] === 0x0a || bytes[start] === 0x0d || bytes[start] === 0x09)) start++;
  bytes = bytes.subarray(start);
  const text = bytes.toString("latin1"); // one character per byte: offsets are byte offsets
  const { chars, unaLength } = serviceCharsOf(text);
  const spans = segmentSpans(text, unaLength, chars);
  const tag = (s: Span) => s.text.slice(0, 3);
  const el = (s: Span) => elementsOf(s.text, chars);
  if (!spans.length || tag(spans[0]) !== "UNB") throw parseError("the interchange has no UNB header", "segment 1");
  const unb = el(spans[0]);
  const syntax = unb[1]?.[0] ?? "";
  if (!/^UNO[A-Z]$/.test(syntax)) throw parseError(`UNB syntax identifier "${syntax}" is not one of UNOA..UNOZ`, "segment 1 (UNB)");
  const sender = `${unb[2]?.[0] ?? ""}:${unb[2]?.[1] ?? ""}`;
  const recipient = `${unb[3]?.[0] ?? ""}:${unb[3]?.[1] ?? ""}`;
  const control = unb[5]?.[0] ?? "";
  if (!unb[2]?.[0]) throw parseError("UNB has no sender identification (0004)", "segment 1 (UNB)");
  if (!unb[3]?.[0]) throw parseError("UNB has no recipient identification (0010)", "segment 1 (UNB)");
  if (!control) throw parseError("UNB has no interchange control reference (0020)", "segment 1 (UNB)");
  const last = spans[spans.length - 1];
  if (tag(last) !== "UNZ")
    throw parseError(`interchange is truncated: it ends with ${tag(last) || "nothing"} instead of a UNZ trailer`, `segment ${spans.length}`);
  const unz = el(last);
  if ((unz[2]?.[0] ?? "") !== control)
    throw parseError(`UNZ 0020 "${unz[2]?.[0] ?? ""}" does not match UNB 0020 "${control}"`, `segment ${spans.length} (UNZ)`);

  interface Pending extends Omit<EdifactMessage, "raw"> {
    group: Span | null;
    body: [number, number];
    une?: Span;
  }
  const messages: Pending[] = [];
  let group: { span: Span; ref: string; messages: Pending[] } | null = null;
  let groups = 0;
  let open: { index: number; ref: string; type: string } | null = null;
  for (let i = 1; i < spans.length - 1; i++) {
    const s = spans[i];
    const where = `segment ${i + 1} (${tag(s)})`;
    switch (tag(s)) {
      case "UNG":
        if (group) throw parseError("UNG inside an open functional group (missing UNE)", where);
        if (open) throw parseError(`UNG inside message ${open.ref} (missing UNT)`, where);
        group = { span: s, ref: el(s)[5]?.[0] ?? "", messages: [] };
        groups++;
        break;
      case "UNE": {
        if (!group) throw parseError("UNE without a UNG", where);
        if (open) throw parseError(`UNE inside message ${open.ref} (missing UNT)`, where);
        const une = el(s);
        if ((une[2]?.[0] ?? "") !== group.ref) throw parseError(`UNE 0048 "${une[2]?.[0] ?? ""}" does not match UNG 0048 "${group.ref}"`, where);
        const said = une[1]?.[0] ?? "";
        for (const m of group.messages) {
          m.une = s;
          if (Number(said) !== group.messages.length)
            m.warnings.push({ code: "EDIFACT_COUNT_MISMATCH", message: `UNE says ${said} messages, group ${group.ref} has ${group.messages.length}`, where });
        }
        group = null;
        break;
      }
      case "UNH": {
        if (open) throw parseError(`UNH inside message ${open.ref} (missing UNT)`, where);
        const unh = el(s);
        const ref = unh[1]?.[0] ?? "";
        const type = unh[2]?.[0] ?? "";
        if (!ref) throw parseError("UNH has no message reference number (0062)", where);
        if (!type) throw parseError("UNH has no message type (0065)", where);
        open = { index: i, ref, type };
        break;
      }
      case "UNT": {
        if (!open) throw parseError("UNT without a UNH", where);
        const unt = el(s);
        const count = i - open.index + 1;
        if (Number(unt[1]?.[0]) !== count) throw parseError(`UNT 0074 says ${unt[1]?.[0] ?? ""} segments, message ${open.ref} has ${count}`, where);
        if ((unt[2]?.[0] ?? "") !== open.ref) throw parseError(`UNT 0062 "${unt[2]?.[0] ?? ""}" does not match UNH 0062 "${open.ref}"`, where);
        const content = spans
          .slice(open.index, i + 1)
          .map((x) => x.text.trim())
          .join(chars.segment);
        const m: Pending = {
          messageType: open.type,
          idempotencyKey: `${sender}/${recipient}/${control}/${open.type}/${open.ref}`,
          contentHash: sha256(Buffer.from(content, "latin1")),
          position: open.index + 1,
          warnings: [],
          group: group?.span ?? null,
          body: [spans[open.index].start, s.end],
        };
        messages.push(m);
        group?.messages.push(m);
        open = null;
        break;
      }
      default:
        if (!open) throw parseError(`${tag(s)} segment outside a message`, where);
    }
  }
  if (open) throw parseError(`message ${open.ref} has no UNT trailer`, "end of interchange");
  if (group) throw parseError(`functional group ${group.ref} has no UNE trailer`, "end of interchange");
  if (!messages.length) throw parseError("interchange holds no message", "UNB");
  const said = unz[1]?.[0] ?? "";
  const counted = groups || messages.length;
  if (Number(said) !== counted) {
    const w = {
      code: "EDIFACT_COUNT_MISMATCH",
      message: `UNZ says ${said} ${groups ? "groups" : "messages"}, the interchange has ${counted}`,
      where: `segment ${spans.length} (UNZ)`,
    };
    for (const m of messages) m.warnings.push(w);
  }
  const una = bytes.subarray(0, unaLength > 0 ? spans[0].start : 0);
  const slice = (s: Span) => bytes.subarray(s.start, s.end);
  return messages.map(({ group: g, body, une, ...m }) => ({
    ...m,
    raw: Buffer.concat([una, slice(spans[0]), ...(g ? [slice(g)] : []), bytes.subarray(body[0], body[1]), ...(une ? [slice(une)] : []), slice(last)]),
  }));
}

// Splits an X12 interchange into its transaction sets before anything is parsed further, so each
// set becomes its own inbound message with its own idempotency key (sender + ISA13 + GS06 + ST02)
// and goes to the domain that owns its transaction set. Envelope errors name the segment.
import { parseError } from "./errors.js";

export interface X12TransactionSet {
  /** ST01: 846, 850, 856… */
  setId: string;
  /** sender qualifier:id + ISA13 + GS06 + ST02 */
  idempotencyKey: string;
  /** A complete one-set interchange (ISA, GS, ST..SE, GE, IEA), parseable on its own. */
  raw: string;
  /** Segment number of the ST in the original interchange (1-based), for error messages. */
  position: number;
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

export function splitInterchange(input: string): X12TransactionSet[] {
  const text = input.replace(/^\uFEFF/, "").trimStart();
  const sep = separatorsOf(text);
  // Line breaks after the segment terminator are common and carry no data.
  const segments = text.split(sep.segment).map((s) => s.replace(/^[\r\n]+/, "")).filter((s) => s.trim() !== "");
  const elements = (s: string) => s.split(sep.element);
  const isa = elements(segments[0]);
  if (isa.length !== 17) throw parseError(`ISA must have 16 elements, found ${isa.length - 1}`, "segment 1 (ISA)");
  const sender = `${isa[5].trim()}:${isa[6].trim()}`;
  const isaControl = isa[13].trim();
  const last = elements(segments[segments.length - 1]);
  if (last[0] !== "IEA") throw parseError(`interchange is truncated: it ends with ${last[0] || "nothing"} instead of an IEA trailer`, `segment ${segments.length}`);
  if (last[2]?.trim() !== isaControl) throw parseError(`IEA02 "${last[2]}" does not match ISA13 "${isaControl}"`, `segment ${segments.length} (IEA)`);

  const sets: X12TransactionSet[] = [];
  let gs: string | null = null;
  let gsControl = "";
  let groups = 0;
  let st: { start: number; id: string; control: string } | null = null;
  for (let i = 1; i < segments.length - 1; i++) {
    const e = elements(segments[i]);
    const where = `segment ${i + 1} (${e[0]})`;
    switch (e[0]) {
      case "GS":
        if (gs) throw parseError("GS inside an open functional group (missing GE)", where);
        gs = segments[i];
        gsControl = e[6]?.trim() ?? "";
        groups++;
        break;
      case "GE":
        if (!gs) throw parseError("GE without a GS", where);
        if (st) throw parseError(`GE inside transaction set ${st.control} (missing SE)`, where);
        if (e[2]?.trim() !== gsControl) throw parseError(`GE02 "${e[2]}" does not match GS06 "${gsControl}"`, where);
        gs = null;
        break;
      case "ST":
        if (!gs) throw parseError("ST outside a functional group", where);
        if (st) throw parseError(`ST inside transaction set ${st.control} (missing SE)`, where);
        st = { start: i, id: e[1]?.trim() ?? "", control: e[2]?.trim() ?? "" };
        break;
      case "SE": {
        if (!st) throw parseError("SE without an ST", where);
        const count = i - st.start + 1;
        if (Number(e[1]) !== count) throw parseError(`SE01 says ${e[1]} segments, transaction set ${st.control} has ${count}`, where);
        if (e[2]?.trim() !== st.control) throw parseError(`SE02 "${e[2]}" does not match ST02 "${st.control}"`, where);
        const body = segments.slice(st.start, i + 1);
        const t = sep.segment;
        sets.push({
          setId: st.id,
          idempotencyKey: `${sender}/${isaControl}/${gsControl}/${st.control}`,
          raw: [segments[0], gs!, ...body, `GE${sep.element}1${sep.element}${gsControl}`, `IEA${sep.element}1${sep.element}${isa[13]}`].join(t) + t,
          position: st.start + 1,
        });
        st = null;
        break;
      }
      default:
        if (!st) throw parseError(`${e[0]} segment outside a transaction set`, where);
    }
  }
  if (st) throw parseError(`transaction set ${st.control} has no SE trailer`, "end of interchange");
  if (gs) throw parseError(`functional group ${gsControl} has no GE trailer`, "end of interchange");
  if (Number(last[1]) !== groups) throw parseError(`IEA01 says ${last[1]} functional groups, found ${groups}`, `segment ${segments.length} (IEA)`);
  if (!sets.length) throw parseError("interchange holds no transaction set", "ISA");
  return sets;
}

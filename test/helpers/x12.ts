// Builds X12 interchanges for tests: the ISA padded to its fixed width, SE01/GE01/IEA01 counted
// (or overridden to test count mismatches), any line break after each segment terminator.

export interface X12Set {
  id: string;
  control: string;
  /** Segments between ST and SE, without terminators: "BIA*00*MM*REF*20261127*2300". */
  segments: string[];
}

export interface X12Group {
  control: string;
  functionalId?: string;
  sets: X12Set[];
  /** GE01 as written; defaults to the number of sets. */
  ge01?: number;
}

export interface X12Interchange {
  sender?: [string, string];
  receiver?: [string, string];
  control?: string;
  groups: X12Group[];
  /** IEA01 as written; defaults to the number of groups. */
  iea01?: number;
  /** Written after every segment terminator ("", "\n" or "\r\n"). */
  eol?: string;
}

const pad = (s: string, n: number) => s.padEnd(n, " ").slice(0, n);

export function isaSegment(sender: [string, string], receiver: [string, string], control: string) {
  return `ISA*00*${pad("", 10)}*00*${pad("", 10)}*${sender[0]}*${pad(sender[1], 15)}*${receiver[0]}*${pad(receiver[1], 15)}*261127*2300*^*00401*${control}*0*T*>`;
}

/** The interchange's segments (no terminators), in order. */
export function x12Segments(x: X12Interchange): string[] {
  const sender = x.sender ?? ["ZZ", "ACMEWMS"];
  const receiver = x.receiver ?? ["ZZ", "DISTGRAPH"];
  const control = x.control ?? "000000101";
  const out = [isaSegment(sender, receiver, control)];
  for (const g of x.groups) {
    out.push(`GS*${g.functionalId ?? "IB"}*${sender[1]}*${receiver[1]}*20261127*2300*${g.control}*X*004010`);
    for (const s of g.sets) out.push(`ST*${s.id}*${s.control}`, ...s.segments, `SE*${s.segments.length + 2}*${s.control}`);
    out.push(`GE*${g.ge01 ?? g.sets.length}*${g.control}`);
  }
  out.push(`IEA*${x.iea01 ?? x.groups.length}*${control}`);
  return out;
}

export function x12(x: X12Interchange): string {
  const eol = x.eol ?? "\n";
  return x12Segments(x)
    .map((s) => `${s}~${eol}`)
    .join("");
}

/** The segments of an 846 snapshot: BIA, DTM, an optional N1 location, then the given item segments. */
export function inventoryAdvice(reference: string, items: string[], options: { n1?: string | null; date?: string; time?: string } = {}): string[] {
  const n1 = options.n1 === undefined ? "N1*WH*WAREHOUSE A*92*FX-WH-A" : options.n1;
  return [`BIA*00*MM*${reference}*20261127*2300`, `DTM*405*${options.date ?? "20261127"}*${options.time ?? "2300"}*UT`, ...(n1 ? [n1] : []), ...items];
}

// Writes one X12 interchange holding one functional group with one transaction set, with
// node-x12's generator: it pads the ISA, and counts SE01, GE01 and IEA01, so the envelope is valid
// by construction. Used for every document this graph sends to an X12 partner (855, 997).
import { JSEDINotation, X12Generator } from "node-x12";

export interface X12Party {
  qualifier: string;
  id: string;
}

export interface X12Envelope {
  /** Us: the receiver of the partner's interchange. */
  sender: X12Party;
  /** The partner. */
  receiver: X12Party;
  /** ISA13 and GS06: the control number (unique per partner, platform/documents nextControlNumber). */
  control: bigint;
  /** GS01: PR (855), FA (997)... */
  functionalId: string;
  /** GS02/GS03 application codes; default the ISA ids. */
  applicationSender?: string;
  applicationReceiver?: string;
  /** GS08, e.g. 004010 (the partner's version, as its own group said). */
  version: string;
  /** ISA11 (U, or the repetition separator from 00402) and ISA12, as the partner's interchange had them. */
  isa11?: string;
  isa12?: string;
  /** ISA15: P (production) or T (test), as the partner's interchange. */
  usage?: string;
  at: Date;
}

export interface X12SetContent {
  /** ST01 */
  id: string;
  /** Segments between ST and SE, as [tag, ...elements]. */
  segments: string[][];
}

const ymd = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, "");
const hm = (d: Date) => d.toISOString().slice(11, 16).replace(":", "");

/** Element values may not contain the separators we write with. */
export function x12Text(value: string | null | undefined, max = 80): string {
  return (value ?? "")
    .replace(/[*~>^\r\n]/g, " ")
    .trim()
    .slice(0, max);
}

export function writeX12(envelope: X12Envelope, set: X12SetContent): string {
  const control = envelope.control.toString().padStart(9, "0");
  const options = { elementDelimiter: "*", segmentTerminator: "~", subElementDelimiter: ">", endOfLine: "\n", format: true };
  const jsen = new JSEDINotation(
    [
      "00",
      "",
      "00",
      "",
      envelope.sender.qualifier,
      envelope.sender.id,
      envelope.receiver.qualifier,
      envelope.receiver.id,
      ymd(envelope.at).slice(2),
      hm(envelope.at),
      envelope.isa11 ?? "U",
      envelope.isa12 ?? "00401",
      control,
      "0",
      envelope.usage ?? "P",
      ">",
    ],
    options,
  );
  const group = jsen.addFunctionalGroup([
    envelope.functionalId,
    envelope.applicationSender ?? envelope.sender.id,
    envelope.applicationReceiver ?? envelope.receiver.id,
    ymd(envelope.at),
    hm(envelope.at),
    envelope.control.toString(),
    "X",
    envelope.version,
  ]);
  const tx = group.addTransaction([set.id, "0001"]);
  for (const [tag, ...elements] of set.segments) tx.addSegment(tag, elements);
  return new X12Generator(jsen, options).toString();
}

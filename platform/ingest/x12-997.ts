// The X12 997 functional acknowledgement: one per functional group received, telling the sender
// which transaction sets were accepted (AK2/AK5 per set, AK9 for the group). It answers whether
// a set could be read, not whether its business content was taken: a set dead-lettered for a
// missing mapping is syntactically fine (accepted, A), one that does not parse or breaks a data
// rule (PARSE, VALIDATE) or reuses a control number with other content (IDEMPOTENCY) is rejected
// (R). Produced once per group received (document key "997:<sender>/<receiver>/<ISA13>/<GS06>:<first
// message id>"; a byte-identical resend is all duplicates and gets none), after the
// request that carried it was processed; stored in platform/documents with the ids of the sets'
// messages, so an order captured from one of them lists it (Order.documents).
import type { Db } from "../db/client.js";
import type { IngestStep } from "../db/generated/client.js";
import { documentByKey, nextControlNumber, storeDocument, type OutboundDocumentView } from "../documents/index.js";
import { writeX12 } from "../documents/x12-writer.js";
import { storableText } from "./errors.js";
import { storableKey } from "./message-store.js";
import { interchangeHeaderOf } from "./x12-envelope.js";

export interface ReceivedSet {
  messageId: string;
  /** sender/receiver/ISA13/GS06/ST01/ST02 (x12-envelope.ts) */
  idempotencyKey: string;
  raw: Buffer;
  state: string;
  failedStep: IngestStep | null;
  /** The request's correlation id: the 997 belongs to the same transaction. */
  correlationId?: string | null;
}

/** AK5/AK9 codes: A accepted, E accepted with errors, P partially accepted, R rejected. */
export type AckCode = "A" | "E" | "P" | "R";

/** AK502 syntax error codes (X12 716). */
const AK502: Partial<Record<IngestStep, string>> = {
  PARSE: "5", // one or more segments in error
  VALIDATE: "5",
  IDEMPOTENCY: "23", // transaction set control number not unique within the functional group
};

export function setAcknowledgement(set: Pick<ReceivedSet, "state" | "failedStep">): { code: "A" | "R"; error: string | null } {
  if (set.state === "DEAD_LETTER" && set.failedStep && AK502[set.failedStep]) return { code: "R", error: AK502[set.failedStep]! };
  return { code: "A", error: null };
}

export function groupAcknowledgement(codes: ("A" | "R")[]): AckCode {
  const accepted = codes.filter((c) => c === "A").length;
  return accepted === codes.length ? "A" : accepted === 0 ? "R" : "P";
}

const groupKeyOf = (idempotencyKey: string) => idempotencyKey.split("/").slice(0, 4).join("/");

/**
 * Writes the 997 of every functional group among these sets that has none yet. A set that is a
 * DUPLICATE was acknowledged with its original's group; a group whose 997 exists is skipped.
 */
export async function acknowledgeX12Groups(db: Db, sets: ReceivedSet[], now: Date = new Date()): Promise<OutboundDocumentView[]> {
  const groups = new Map<string, ReceivedSet[]>();
  for (const s of sets) {
    if (s.state === "DUPLICATE") continue;
    // The key as the message store keeps it: a control character in the envelope (a NUL byte in
    // ISA06) is escaped there, and no text column can take it raw.
    const key = groupKeyOf(storableKey(s.idempotencyKey));
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const written: OutboundDocumentView[] = [];
  for (const [groupKey, members] of groups) {
    // Per group as received: a group that reused the control numbers of an earlier one with other
    // content (a conflict) gets its own 997, which rejects it.
    const documentKey = `997:${groupKey}:${members[0].messageId}`;
    if (await documentByKey(db, documentKey)) continue;
    const { isa, gs } = interchangeHeaderOf(members[0].raw);
    // The partner's envelope values go into text (the partner key, the 997 itself): escaped the
    // way the message store escapes them, so the 997 answers even an envelope with a NUL byte.
    const t = (v: string | undefined) => storableText((v ?? "").trim());
    const partner = { qualifier: t(isa[5]), id: t(isa[6]) };
    const acks = members.map((m) => {
      const [, , , , setId, control] = m.idempotencyKey.split("/");
      return { setId, control, ...setAcknowledgement(m) };
    });
    const accepted = acks.filter((a) => a.code === "A").length;
    const segments: string[][] = [["AK1", t(gs[1]), t(gs[6])]];
    for (const a of acks) {
      segments.push(["AK2", a.setId, a.control]);
      segments.push(a.error ? ["AK5", "R", a.error] : ["AK5", "A"]);
    }
    segments.push(["AK9", groupAcknowledgement(acks.map((a) => a.code)), String(acks.length), String(acks.length), String(accepted)]);
    written.push(
      await db.$transaction(async (tx) => {
        const partnerKey = `X12:${partner.qualifier}:${partner.id}`;
        const control = await nextControlNumber(tx, partnerKey);
        const content = writeX12(
          {
            sender: { qualifier: t(isa[7]), id: t(isa[8]) },
            receiver: partner,
            control,
            functionalId: "FA",
            applicationSender: t(gs[3]),
            applicationReceiver: t(gs[2]),
            version: t(gs[8]),
            isa11: t(isa[11]),
            isa12: t(isa[12]),
            usage: t(isa[15]),
            at: now,
          },
          { id: "997", segments },
        );
        return storeDocument(tx, {
          documentKey,
          type: "997",
          standard: "X12",
          partner: partnerKey,
          controlNumber: control.toString().padStart(9, "0"),
          content,
          inboundMessageIds: members.map((m) => m.messageId),
          correlationId: members[0].correlationId ?? null,
        });
      }),
    );
  }
  return written;
}

// Carrier status onto shipment milestones, from two sources:
// - X12 214 (shipment status message): B10 names the shipment (B1001 the carrier's PRO /
//   tracking number, B1002 our shipment number or bill of lading, B1003 SCAC), L11 BM a bill of
//   lading; each LX loop's AT7 gives a status code (AT701), its date and time (AT705/AT706, AT707
//   time code) and MS1 the city. AT701 codes are mapped as data: STATUS rows under "X12:AT701"
//   (seeded: AF, CP picked up; P1, X4, X6, J1 in transit; X1, AV out for delivery; D1 delivered;
//   A7, A9, AP, SD exception). An unmapped code is a MAP dead letter naming it: add the row, replay.
// - POST /ingest/tms/milestones (JSON): one milestone per message, the shipment by number,
//   tracking number, SSCC or bill of lading; `code` a milestone code (PICKED_UP...) or the TMS's
//   own code mapped under STATUS rows of system "TMS".
// The shipment is found when the message is applied: none found is a VALIDATE dead letter
// (a status can arrive before its shipment's confirmation: replay it afterwards).
import { z } from "zod";
import type { Db } from "../../../platform/db/client.js";
import type { MilestoneCode } from "../../../platform/db/generated/client.js";
import { parseError, validationError } from "../../../platform/ingest/errors.js";
import { parseJsonMessage } from "../../../platform/ingest/json-body.js";
import { zodValidationError } from "../../../platform/ingest/zod-errors.js";
import type { ApplyContext, ApplyOutcome, IngestHandler, StepContext } from "../../../platform/ingest/handlers.js";
import { interchangeHeaderOf, parseTransactionSet, type ParsedSet } from "../../../platform/ingest/x12-envelope.js";
import { mappingSessionFor } from "../../../platform/mapping/index.js";
import type { Tx } from "../../../platform/events/event-log.js";
import { recordMilestoneIn } from "../commands.js";
import { instantOf } from "./x12-945.js";

export const MILESTONE_CODES: MilestoneCode[] = ["PICKED", "PACKED", "PICKED_UP", "IN_TRANSIT", "OUT_FOR_DELIVERY", "DELIVERED", "EXCEPTION"];

export interface ShipmentRef {
  shipmentNumber?: string | null;
  trackingNumber?: string | null;
  sscc?: string | null;
  billOfLading?: string | null;
}

export interface MilestoneCommand {
  ref: ShipmentRef;
  milestones: { code: MilestoneCode; occurredAt: Date; location: string | null; note: string | null; where: string }[];
  source: string;
}

const describeRef = (r: ShipmentRef) =>
  [
    r.shipmentNumber && `shipment ${r.shipmentNumber}`,
    r.trackingNumber && `tracking ${r.trackingNumber}`,
    r.sscc && `SSCC ${r.sscc}`,
    r.billOfLading && `bill of lading ${r.billOfLading}`,
  ]
    .filter(Boolean)
    .join(" / ");

export async function findShipment(tx: Tx, r: ShipmentRef) {
  const or = [
    ...(r.shipmentNumber ? [{ shipmentNumber: r.shipmentNumber }, { consignment: r.shipmentNumber }, { id: r.shipmentNumber }] : []),
    ...(r.trackingNumber ? [{ trackingNumber: r.trackingNumber }, { packages: { some: { trackingNumber: r.trackingNumber } } }] : []),
    ...(r.sscc ? [{ packages: { some: { sscc: r.sscc } } }] : []),
    ...(r.billOfLading ? [{ consignment: r.billOfLading }] : []),
  ];
  if (!or.length) return [];
  return tx.shipment.findMany({ where: { OR: or }, select: { id: true }, orderBy: { id: "asc" } });
}

async function applyMilestones(c: MilestoneCommand, tx: Tx, ctx: ApplyContext): Promise<ApplyOutcome> {
  const shipments = await findShipment(tx, c.ref);
  if (!shipments.length)
    throw validationError(`no shipment matches ${describeRef(c.ref) || "(no reference)"}: replay this message once the shipment is confirmed`);
  // A consignment (bill of lading) carrying several orders' shipments: the status is each one's.
  const recorded = [];
  for (const s of shipments) {
    for (const m of c.milestones) {
      const after = await recordMilestoneIn(
        tx,
        { shipmentId: s.id, code: m.code, occurredAt: m.occurredAt, location: m.location, source: c.source, note: m.note },
        ctx.correlationId,
      );
      recorded.push({ shipmentId: s.id, code: m.code, status: after?.status });
    }
  }
  return { state: "PROCESSED", result: { milestones: recorded } };
}

// ---- X12 214 ----

interface Status214 {
  ref: ShipmentRef;
  statuses: { code: string; reason: string | null; date: string; time: string; city: string | null; where: string }[];
}

function validate214(set: ParsedSet, ctx: StepContext): Status214 {
  const at = (s: { tag: string; n: number }) => `segment ${s.n} (${s.tag})`;
  const v = (s: { values: string[] }, i: number) => (s.values[i - 1] ?? "").trim();
  const b10 = set.segments.find((s) => s.tag === "B10");
  if (!b10) throw validationError("the 214 has no B10 segment (carrier reference, shipment id)");
  const ref: ShipmentRef = { trackingNumber: v(b10, 1) || null, shipmentNumber: v(b10, 2) || null };
  const statuses: Status214["statuses"] = [];
  let last: Status214["statuses"][number] | null = null;
  for (const s of set.segments) {
    if (s.tag === "L11" && v(s, 2) === "BM" && !last) ref.billOfLading = v(s, 1);
    if (s.tag === "AT7") {
      if (!v(s, 1)) continue; // an appointment (AT703) without a status
      if (!/^\d{8}$/.test(v(s, 5))) throw validationError(`AT705 "${v(s, 5)}" is not a date CCYYMMDD`, at(s));
      last = { code: v(s, 1), reason: v(s, 2) || null, date: v(s, 5), time: v(s, 6), city: null, where: at(s) };
      ctx.sourceTime(instantOf(last.date, last.time), at(s));
      statuses.push(last);
    }
    if (s.tag === "MS1" && last) last.city = [v(s, 1), v(s, 2), v(s, 3)].filter(Boolean).join(", ") || null;
  }
  if (!statuses.length) throw validationError("the 214 reports no status (no AT7 with AT701)");
  if (!describeRef(ref)) throw validationError("B10 names neither a carrier reference (B1001) nor a shipment (B1002)", at(b10));
  return { ref, statuses };
}

export const x12CarrierStatusHandler: IngestHandler<ParsedSet, Status214, MilestoneCommand> = {
  source: "x12",
  kind: "214",
  parse(raw) {
    const set = parseTransactionSet(raw, "214");
    try {
      interchangeHeaderOf(raw);
    } catch (err) {
      throw parseError(`the 214's envelope cannot be read: ${(err as Error).message}`);
    }
    return set;
  },
  validate: validate214,
  async map(s, db, scope) {
    const session = mappingSessionFor(db, scope, "X12", "shipments", () => ({}));
    const milestones = [];
    for (const st of s.statuses) {
      const code = await session.code("STATUS", "X12:AT701", st.code, st.where);
      if (code && !MILESTONE_CODES.includes(code as MilestoneCode))
        throw validationError(`STATUS row X12:AT701 ${st.code} maps to ${code}, which is not a milestone code (${MILESTONE_CODES.join(", ")})`, st.where);
      milestones.push({
        code: code as MilestoneCode,
        occurredAt: instantOf(st.date, st.time),
        location: st.city,
        note: `AT7 ${st.code}${st.reason ? ` (reason ${st.reason})` : ""}`,
        where: st.where,
      });
    }
    return { ref: s.ref, milestones, source: "edi-214" };
  },
  apply: applyMilestones,
};

// ---- TMS JSON ----

const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    // eslint-disable-next-line no-control-regex -- identifiers end up in keys and messages: no control characters
    .regex(/^[^\u0000-\u001f\u007f]*$/, "must not contain control characters");

export const tmsMilestoneSchema = z.object({
  eventId: text(200),
  shipment: z
    .object({
      shipmentNumber: text(100).optional(),
      trackingNumber: text(100).optional(),
      sscc: z
        .string()
        .regex(/^\d{18}$/, "must be 18 digits")
        .optional(),
      billOfLading: text(100).optional(),
    })
    .refine((r) => r.shipmentNumber || r.trackingNumber || r.sscc || r.billOfLading, "needs shipmentNumber, trackingNumber, sscc or billOfLading"),
  code: text(40),
  occurredAt: z.iso.datetime({ offset: true }),
  location: text(200).optional(),
  note: text(1000).optional(),
});
export type TmsMilestone = z.infer<typeof tmsMilestoneSchema>;

export const tmsMilestoneHandler: IngestHandler<unknown, TmsMilestone, MilestoneCommand> = {
  source: "tms",
  kind: "milestone",
  parse: parseJsonMessage,
  validate(parsed, ctx) {
    const result = tmsMilestoneSchema.safeParse(parsed);
    if (!result.success) throw zodValidationError(result.error);
    ctx.sourceTime(new Date(result.data.occurredAt), "$.occurredAt");
    return result.data;
  },
  async map(m, db: Db, scope) {
    let code = m.code as MilestoneCode;
    if (!MILESTONE_CODES.includes(code)) {
      const session = mappingSessionFor(db, scope, "TMS", "shipments", () => ({}));
      code = ((await session.code("STATUS", "TMS", m.code, "$.code")) ?? m.code) as MilestoneCode;
      if (!session.misses.length && !MILESTONE_CODES.includes(code))
        throw validationError(`STATUS row TMS ${m.code} maps to ${code}, which is not a milestone code`, "$.code");
    }
    return {
      ref: m.shipment,
      milestones: [{ code, occurredAt: new Date(m.occurredAt), location: m.location ?? null, note: m.note ?? null, where: "$" }],
      source: "tms",
    };
  },
  apply: applyMilestones,
};

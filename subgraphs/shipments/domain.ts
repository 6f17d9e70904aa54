// Shipment rules that need no database: SSCC check digits, status from milestones.
import type { MilestoneCode, ShipmentStatus } from "../../platform/db/generated/client.js";

/** GS1 mod-10 check digit over the digits before it (SSCC-18, GTIN, GLN all use it). */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidSscc(sscc: string): boolean {
  return /^\d{18}$/.test(sscc) && gs1CheckDigit(sscc.slice(0, 17)) === Number(sscc[17]);
}

/** Builds an SSCC from extension digit, company prefix and serial reference. */
export function makeSscc(extension: number, companyPrefix: string, serial: number): string {
  const body = `${extension}${companyPrefix}${String(serial).padStart(16 - companyPrefix.length, "0")}`;
  if (body.length !== 17) throw new Error(`SSCC body must be 17 digits, got ${body.length}`);
  return body + gs1CheckDigit(body);
}

const statusAfter: Record<MilestoneCode, ShipmentStatus> = {
  PICKED: "PICKED",
  PACKED: "PICKED",
  PICKED_UP: "SHIPPED",
  IN_TRANSIT: "IN_TRANSIT",
  OUT_FOR_DELIVERY: "IN_TRANSIT",
  DELIVERED: "DELIVERED",
  EXCEPTION: "EXCEPTION",
};

/** Status implied by the latest milestone (by occurredAt, so late-arriving events don't regress it). */
export function statusFromMilestones(milestones: { code: MilestoneCode; occurredAt: Date }[]): ShipmentStatus {
  if (!milestones.length) return "PLANNED";
  const latest = milestones.reduce((a, b) => (b.occurredAt > a.occurredAt ? b : a));
  return statusAfter[latest.code];
}

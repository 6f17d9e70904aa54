// Time-ordered unique ids: sorting by id is sorting by creation, within and across processes
// (to the millisecond, then by a per-process counter), which keeps arrival order recoverable.
import { randomBytes } from "node:crypto";

let lastMs = 0;
let counter = 0;

export function timeOrderedId(): string {
  const now = Date.now();
  if (now === lastMs) counter++;
  else {
    lastMs = now;
    counter = 0;
  }
  return `${now.toString(36).padStart(9, "0")}-${counter.toString(36).padStart(4, "0")}-${randomBytes(6).toString("hex")}`;
}

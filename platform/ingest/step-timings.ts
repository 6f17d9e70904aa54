// How long each step of a message's last processing attempt took, stored on the message
// (InboundMessage.stepTimings) so trace(correlationId) can show parse, map and apply as separate
// steps with their durations. Times are measured in the process with a monotonic clock; only
// startedAt is a wall-clock time, so the steps' times in a trace are startedAt plus the durations.
import { performance } from "node:perf_hooks";

export interface StepTimings {
  /** When parsing began (ISO time). */
  startedAt: string;
  parseMs?: number;
  validateMs?: number;
  mapMs?: number;
  /** The apply call that applied this message; with appliedWith > 1 it applied that many messages together. */
  applyMs?: number;
  appliedWith?: number;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** A stopwatch for one message: lap(step) records the time since the previous lap. */
export class StepClock {
  readonly timings: StepTimings = { startedAt: new Date().toISOString() };
  private last = performance.now();

  lap(step: "parseMs" | "validateMs" | "mapMs"): void {
    const now = performance.now();
    this.timings[step] = round(now - this.last);
    this.last = now;
  }
}

/** Times an apply call that applied `count` messages. */
export async function timedApply<T>(count: number, fn: () => Promise<T>): Promise<{ value: T; applyMs: number; appliedWith: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, applyMs: round(performance.now() - started), appliedWith: count };
}

/** Reads the stored JSON back; anything else (null, a row written before the column) is null. */
export function stepTimingsOf(value: unknown): StepTimings | null {
  if (!value || typeof value !== "object" || typeof (value as StepTimings).startedAt !== "string") return null;
  return value as StepTimings;
}

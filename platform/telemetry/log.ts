// Structured JSON logs (pino), one line per event, to stdout. Lines about a request, an inbound
// message or an event carry its correlation id (logFor), so one id finds everything it caused.
import { pino, type Logger } from "pino";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

export const log: Logger = pino(
  {
    level: "info",
    // "level":"info" rather than pino's numbers, and an ISO time: readable by people and by log shippers alike.
    formatters: { level: (label) => ({ level: label }) },
    timestamp: pino.stdTimeFunctions.isoTime,
    base: { pid: process.pid },
  },
  process.stdout,
);

/** LOG_LEVEL, set once at start-up by the process's entry point (app/config.ts reads it). */
export function setLogLevel(level: LogLevel) {
  log.level = level;
}

/** A logger whose every line carries this correlation id (and any other fields given). */
export const logFor = (correlationId: string, bindings: Record<string, unknown> = {}): Logger => log.child({ correlationId, ...bindings });

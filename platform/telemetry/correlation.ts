// Correlation ids tie one request or inbound message to everything it caused, across processes.
export const CORRELATION_HEADER = "x-correlation-id";

/** A caller's id is accepted only if printable and bounded, so it is safe to log and store. */
export const isAcceptableCorrelationId = (id: string | undefined): id is string => !!id && /^[\w.:-]{1,128}$/.test(id);

/**
 * The trace id of a W3C traceparent header (version 00: 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>),
 * or null when absent or malformed (an all-zero id is invalid by the spec).
 */
export function traceIdOf(traceparent: string | undefined): string | null {
  const m = /^([\da-f]{2})-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})$/.exec(traceparent?.trim().toLowerCase() ?? "");
  if (!m || m[1] === "ff" || /^0+$/.test(m[2]!) || /^0+$/.test(m[3]!)) return null;
  return m[2]!;
}

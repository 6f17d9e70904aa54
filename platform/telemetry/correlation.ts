// Correlation ids tie one request or inbound message to everything it caused, across processes.
export const CORRELATION_HEADER = "x-correlation-id";

/** A caller's id is accepted only if printable and bounded, so it is safe to log and store. */
export const isAcceptableCorrelationId = (id: string | undefined): id is string => !!id && /^[\w.:-]{1,128}$/.test(id);

// Every request carries a correlation id: the caller's x-correlation-id when it is safe to log and
// store, else a new one. It is echoed in the response, forwarded to subgraphs and stored with
// inbound messages, and names the request in every server log line about it.
import { randomUUID } from "node:crypto";
import type { Request, RequestHandler } from "express";
import { CORRELATION_HEADER, isAcceptableCorrelationId, traceIdOf } from "../telemetry/correlation.js";

type WithCorrelation = Request & { correlationId?: string };

export function correlationIdOf(req: Request): string {
  const r = req as WithCorrelation;
  return (r.correlationId ??= randomUUID());
}

export const assignCorrelationId: RequestHandler = (req, res, next) => {
  const given = req.header(CORRELATION_HEADER);
  // x-correlation-id first; else the trace id of a W3C traceparent, so a traced caller's id is ours too.
  const id = isAcceptableCorrelationId(given) ? given : (traceIdOf(req.header("traceparent")) ?? randomUUID());
  (req as WithCorrelation).correlationId = id;
  res.setHeader(CORRELATION_HEADER, id);
  next();
};

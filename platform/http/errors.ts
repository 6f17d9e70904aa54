// Error bodies for everything that happens outside GraphQL execution: unknown routes, bodies that
// cannot be read (malformed JSON, too large, unknown charset), unexpected exceptions. Every body
// is JSON with a code from platform/errors.ts and a message meant for the caller; the original
// error stays in the server log under the request's correlation id. GraphQL endpoints answer in
// GraphQL's shape so GraphQL clients read them as they read any other error.
import type { ErrorRequestHandler, Express, Request, RequestHandler, Response } from "express";
import { ErrorCode } from "../errors.js";
import { correlationIdOf } from "./correlation.js";
import { logFor } from "../telemetry/log.js";

export interface HttpError {
  status: number;
  code: ErrorCode;
  message: string;
}

/** `{ code, message, correlationId, ...extra }`: the body of every non-GraphQL error. */
export function sendError(req: Request, res: Response, error: HttpError, extra: Record<string, unknown> = {}) {
  res.status(error.status).json({ code: error.code, message: error.message, correlationId: correlationIdOf(req), ...extra });
}

/** `{ errors: [{ message, extensions: { code } }] }`: the same error for a GraphQL client. */
export function sendGraphQLError(res: Response, error: HttpError) {
  res.status(error.status).json({ errors: [{ message: error.message, extensions: { code: error.code } }] });
}

/**
 * What a body-parser (or other middleware) error means for the caller. `bodyLimit` names the
 * limit that applied, e.g. "1mb (BODY_LIMIT)".
 */
export function classifyRequestError(err: unknown, bodyLimit?: string): HttpError | null {
  const e = err as { type?: string; status?: number; message?: string };
  switch (e?.type) {
    case "entity.too.large":
      return { status: 413, code: ErrorCode.PAYLOAD_TOO_LARGE, message: `The request body is larger than the limit${bodyLimit ? ` of ${bodyLimit}` : ""}` };
    case "entity.parse.failed":
      // JSON.parse's own message says where ("… in JSON at position 27"); it holds nothing internal.
      return { status: 400, code: ErrorCode.BAD_REQUEST, message: `The request body is not valid JSON: ${e.message}` };
    case "charset.unsupported":
    case "encoding.unsupported":
      return { status: 415, code: ErrorCode.UNSUPPORTED_MEDIA_TYPE, message: `The request body cannot be read: ${e.message}` };
    case "request.aborted":
    case "request.size.invalid":
    case "stream.encoding.set":
      return { status: 400, code: ErrorCode.BAD_REQUEST, message: "The request body was incomplete or inconsistent with its headers" };
  }
  return null;
}

const internalError = (req: Request): HttpError => ({
  status: 500,
  code: ErrorCode.INTERNAL_SERVER_ERROR,
  message: `Internal server error; the server log has the details under correlation id ${correlationIdOf(req)}`,
});

export function logRequestError(req: Request, msg: string, err: unknown) {
  logFor(correlationIdOf(req)).error({ method: req.method, path: req.originalUrl.split("?")[0], error: String(err), stack: (err as Error)?.stack }, msg);
}

/** Error middleware for a GraphQL endpoint: GraphQL's shape, with the limit that applied named. */
export function graphqlErrorHandler(bodyLimit: string): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const known = classifyRequestError(err, bodyLimit);
    if (!known) logRequestError(req, "unexpected error on a GraphQL endpoint", err);
    sendGraphQLError(res, known ?? internalError(req));
  };
}

const notFound: RequestHandler = (req, res) => {
  sendError(req, res, { status: 404, code: ErrorCode.ROUTE_NOT_FOUND, message: `No route ${req.method} ${req.path}` });
};

const lastResort: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) return next(err);
  const known = classifyRequestError(err);
  if (!known) logRequestError(req, "unexpected error", err);
  sendError(req, res, known ?? internalError(req));
};

/** Mount after every route: JSON 404 for unknown routes, JSON for any error nothing else handled. */
export function mountErrorHandlers(app: Express) {
  app.use(notFound);
  app.use(lastResort);
}

// One registry of error codes. Every error a client can see carries one of these codes in
// extensions.code; anything else is masked as INTERNAL_SERVER_ERROR outside development.
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";

export const ErrorCode = {
  /** An argument is malformed or out of range; the message names it. */
  INVALID_ARGUMENT: "INVALID_ARGUMENT",
  /** `after` or `before` is not a cursor this field issued. */
  INVALID_CURSOR: "INVALID_CURSOR",
  /** Forward (`first`/`after`) and backward (`last`/`before`) paging arguments mixed in one request. */
  INVALID_PAGE_ARGUMENTS: "INVALID_PAGE_ARGUMENTS",
  /** `first` or `last` is outside 1..MAX_PAGE_SIZE. */
  PAGE_SIZE_OUT_OF_RANGE: "PAGE_SIZE_OUT_OF_RANGE",
  /** A date range whose start is not before its end. */
  INVALID_DATE_RANGE: "INVALID_DATE_RANGE",
  /** A command named an entity that does not exist. Queries return null instead. */
  NOT_FOUND: "NOT_FOUND",
  /** A status change the entity's lifecycle does not allow (SHIPPED back to PENDING, say). */
  INVALID_STATUS_TRANSITION: "INVALID_STATUS_TRANSITION",
  /** A subscriber fell too far behind; resubscribe with since: lastSequence to continue without loss. */
  SUBSCRIBER_TOO_SLOW: "SUBSCRIBER_TOO_SLOW",
  /** A subgraph could not be reached or answered with an error the gateway could not use. */
  SUBGRAPH_UNAVAILABLE: "SUBGRAPH_UNAVAILABLE",
  /** Raw message bodies beyond the request's byte budget; read fewer, or page with raw(offset, length). */
  RAW_BUDGET_EXCEEDED: "RAW_BUDGET_EXCEEDED",
  /** A JSON array of operations longer than GRAPHQL_BATCH_MAX (or any batch when it is 0); nothing ran. */
  BATCH_TOO_LARGE: "BATCH_TOO_LARGE",
  /** A browser preflight from an origin not in CORS_ORIGINS (HTTP 403). */
  CORS_ORIGIN_NOT_ALLOWED: "CORS_ORIGIN_NOT_ALLOWED",
  /** Something unexpected; details are in the server log under the correlation id. */
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes Apollo Server itself assigns to request errors; they describe the client's mistake. */
const requestErrorCodes = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
]);
const registeredCodes = new Set<string>(Object.values(ErrorCode));

export class DomainError extends GraphQLError {
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...details } });
  }
}

export const invalidArgument = (argument: string, reason: string) =>
  new DomainError(ErrorCode.INVALID_ARGUMENT, `Argument "${argument}" ${reason}`, { argument });

export function isDevelopment(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV === "development";
}

/**
 * Apollo Server formatError: keeps registered and request errors as they are, masks the rest.
 * Errors forwarded by the gateway from a subgraph were already formatted there and keep their code.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  const original = unwrapResolverError(error);
  const known =
    original instanceof DomainError ||
    (typeof code === "string" && (registeredCodes.has(code) || requestErrorCodes.has(code)));
  if (known && code !== ErrorCode.INTERNAL_SERVER_ERROR) return formatted;
  if (isDevelopment()) return formatted;
  if (code === ErrorCode.INTERNAL_SERVER_ERROR && formatted.message === "Internal server error") return formatted;
  console.error(JSON.stringify({ level: "error", msg: "unexpected error", error: String(original), stack: (original as Error)?.stack }));
  return { message: "Internal server error", path: formatted.path, locations: formatted.locations, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

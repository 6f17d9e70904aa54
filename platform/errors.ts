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
  /** An idempotency key was used before with different content; the first request's result stands. */
  IDEMPOTENCY_KEY_REUSED: "IDEMPOTENCY_KEY_REUSED",
  /** A subscriber fell too far behind; resubscribe with since: lastSequence to continue without loss. */
  SUBSCRIBER_TOO_SLOW: "SUBSCRIBER_TOO_SLOW",
  /** A WebSocket already runs WS_MAX_SUBSCRIPTIONS_PER_SOCKET operations; the new one is refused, the others go on. */
  SUBSCRIPTION_LIMIT_REACHED: "SUBSCRIPTION_LIMIT_REACHED",
  /** A subgraph could not be reached or answered with an error the gateway could not use. */
  SUBGRAPH_UNAVAILABLE: "SUBGRAPH_UNAVAILABLE",
  /** Raw message bodies beyond the request's byte budget; read fewer, or page with raw(offset, length). */
  RAW_BUDGET_EXCEEDED: "RAW_BUDGET_EXCEEDED",
  /** A JSON array of operations longer than GRAPHQL_BATCH_MAX (or any batch when it is 0); nothing ran. */
  BATCH_TOO_LARGE: "BATCH_TOO_LARGE",
  /** A browser preflight from an origin not in CORS_ORIGINS (HTTP 403). */
  CORS_ORIGIN_NOT_ALLOWED: "CORS_ORIGIN_NOT_ALLOWED",
  /** The operation's result grew past MAX_RESULT_ITEMS or MAX_RESULT_BYTES; `extensions.limit` names it. */
  RESULT_TOO_LARGE: "RESULT_TOO_LARGE",
  /** The operation ran past OPERATION_TIMEOUT_MS and was cancelled, subgraph work included. */
  OPERATION_TIMEOUT: "OPERATION_TIMEOUT",
  /** The gateway's request to a subgraph is larger than SUBGRAPH_BODY_LIMIT (or the subgraph refused it as too large). */
  SUBGRAPH_REQUEST_TOO_LARGE: "SUBGRAPH_REQUEST_TOO_LARGE",
  /** The token lacks a scope the field requires (`missingScopes` names it), or the row belongs to another customer or unit. */
  FORBIDDEN: "FORBIDDEN",
  /** The operation exceeds a limit (depth, aliases, root fields, tokens, estimated cost); `limit` and `value` say which. */
  OPERATION_LIMIT_EXCEEDED: "OPERATION_LIMIT_EXCEEDED",
  /** Too many requests from this caller; retry after the Retry-After header's seconds (HTTP 429). */
  RATE_LIMITED: "RATE_LIMITED",
  /** Trusted-documents mode: the operation is not registered (`npm run documents:register`). */
  DOCUMENT_NOT_TRUSTED: "DOCUMENT_NOT_TRUSTED",
  /** Something unexpected; details are in the server log under the correlation id. */
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",

  // HTTP-level errors, outside GraphQL execution (also in GraphQL's shape on GraphQL endpoints).
  /** The request cannot be read: malformed JSON, an incomplete body (Apollo Server uses it too). */
  BAD_REQUEST: "BAD_REQUEST",
  /** No route for this method and path. */
  ROUTE_NOT_FOUND: "ROUTE_NOT_FOUND",
  /** The request body is larger than the route's limit; the message names the limit and its variable. */
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  /** The body's content type or charset cannot be read. */
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  /** No valid token (HTTP 401; on a field: anonymous access to a field that needs one), or a webhook signature that does not match (nothing stored). */
  UNAUTHENTICATED: "UNAUTHENTICATED",
  /** The process is protecting its memory or capacity and refuses new work for now (HTTP 503); retry later. */
  SERVER_OVERLOADED: "SERVER_OVERLOADED",
  /** /health/ready: a readiness check failed (HTTP 503); `checks` says which. */
  NOT_READY: "NOT_READY",

  // Ingestion outcomes: the step at which a message failed (see the README's Ingestion section).
  /** The body could not be parsed (not JSON, not X12…). */
  PARSE_FAILED: "PARSE_FAILED",
  /** The message is well-formed but breaks a rule of its format (a missing field, a bad quantity…). */
  VALIDATION_FAILED: "VALIDATION_FAILED",
  /** An item, location or unit has no mapping to a canonical value. */
  MAPPING_FAILED: "MAPPING_FAILED",
  /** The idempotency key was already used with different content: a conflict, kept as a dead letter naming both. */
  IDEMPOTENCY_CONFLICT: "IDEMPOTENCY_CONFLICT",
  /** Applying failed on our side; the message is kept and retried, operations see the cause. */
  APPLY_FAILED: "APPLY_FAILED",
  /** The request could not be taken in now (the database locked or away); send it again later (HTTP 503). */
  TEMPORARILY_UNAVAILABLE: "TEMPORARILY_UNAVAILABLE",
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
 * Whether an error is one the caller must not see as it is: neither a registered code nor a request
 * error, and not already masked (a subgraph masks its own and the gateway forwards them).
 */
export function isUnexpectedError(code: unknown, original: unknown, message: string): boolean {
  const known = original instanceof DomainError || (typeof code === "string" && (registeredCodes.has(code) || requestErrorCodes.has(code)));
  if (known && code !== ErrorCode.INTERNAL_SERVER_ERROR) return false;
  return !(code === ErrorCode.INTERNAL_SERVER_ERROR && message === "Internal server error");
}

/**
 * Apollo Server formatError: keeps registered and request errors as they are, masks the rest.
 * Errors forwarded by the gateway from a subgraph were already formatted there and keep their code.
 * The originals are logged with the request's correlation id by logUnexpectedErrors (graphql/).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  if (!isUnexpectedError(formatted.extensions?.code, unwrapResolverError(error), formatted.message)) return formatted;
  if (isDevelopment()) return formatted;
  return { message: "Internal server error", path: formatted.path, locations: formatted.locations, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

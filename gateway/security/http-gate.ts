// What an HTTP GraphQL request passes before Apollo Server parses it: authentication (401),
// the caller's rate (429 with Retry-After), the batch size, each document's token count, and in
// trusted-documents mode the registry (a hash-only request is expanded to its registered text).
// The context it builds (request-context.ts) is the one the operation then runs with.
import type { Request, RequestHandler, Response } from "express";
import type { GraphQLError } from "graphql";
import type { GatewayContext } from "../context.js";
import { AuthenticationError } from "./authenticate.js";
import type { RequestContextBuilder } from "./request-context.js";
import type { RateLimiter } from "./rate-limit.js";
import { checkTokens, type OperationLimits } from "./operation-limits.js";
import type { TrustedDocuments } from "./trusted-documents.js";
import { ErrorCode } from "../../platform/errors.js";
import { correlationIdOf } from "../../platform/http/server.js";

type WithContext = Request & { gatewayContext?: GatewayContext };

/** The context the gate built; a request it let through without one (the IDE page) runs as nobody. */
export const gatewayContextOf = (req: Request): GatewayContext =>
  (req as WithContext).gatewayContext ?? { correlationId: correlationIdOf(req), identity: null, clientName: null };

export interface HttpGateOptions {
  contexts: RequestContextBuilder;
  rateLimiter: RateLimiter;
  limits: OperationLimits;
  trusted: TrustedDocuments;
}

function refuse(
  req: Request,
  res: Response,
  status: number,
  error: { message: string; extensions?: Record<string, unknown> },
  headers: Record<string, string> = {},
) {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  const { http: _http, ...extensions } = (error.extensions ?? {}) as Record<string, unknown>;
  res.status(status).json({ errors: [{ message: error.message, extensions: { ...extensions, correlationId: correlationIdOf(req) } }] });
}

/** The key a caller is rate-limited under: its token's subject, else its address. */
export const rateKey = (context: GatewayContext, address: string | undefined) =>
  context.identity ? `sub:${context.identity.subject}` : `ip:${address ?? "unknown"}`;

export function httpGate({ contexts, rateLimiter, limits, trusted }: HttpGateOptions): RequestHandler {
  return async (req, res, next) => {
    // A GET without an operation is a browser asking for the IDE page (Apollo Server's landing
    // page); it runs nothing, so it needs no token (the IDE sends one with its operations).
    if (req.method === "GET" && req.query?.query === undefined && req.query?.extensions === undefined) return next();
    let context: GatewayContext;
    try {
      context = await contexts.fromHttp(req);
    } catch (err) {
      if (!(err instanceof AuthenticationError)) return next(err);
      return refuse(
        req,
        res,
        401,
        { message: `Not authenticated: ${err.message}`, extensions: { code: ErrorCode.UNAUTHENTICATED } },
        { "www-authenticate": `Bearer error="invalid_token", error_description="${err.message.replace(/"/g, "'")}"` },
      );
    }
    const rate = rateLimiter.take(rateKey(context, req.socket.remoteAddress));
    if (!rate.allowed) {
      return refuse(
        req,
        res,
        429,
        {
          message: `Too many requests: at most ${rateLimiter.options.perMinute} per minute (RATE_LIMIT_PER_MINUTE, burst RATE_LIMIT_BURST ${rateLimiter.options.burst}); retry in ${rate.retryAfterSeconds} s`,
          extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds: rate.retryAfterSeconds },
        },
        { "retry-after": String(rate.retryAfterSeconds) },
      );
    }
    (req as WithContext).gatewayContext = context;
    if (req.method === "POST") {
      // The batch's size was checked before (GRAPHQL_BATCH_MAX, platform/http/graphql-requests.ts).
      const batch = Array.isArray(req.body) ? req.body : [req.body];
      for (const op of batch) {
        if (!op || typeof op !== "object") continue;
        const error = gateOperation(op as Record<string, unknown>, limits, trusted);
        if (error) return refuse(req, res, 400, error);
      }
    } else if (typeof req.query?.query === "string" || trusted.mode !== "off") {
      const op = { query: req.query.query, extensions: typeof req.query.extensions === "string" ? safeJson(req.query.extensions) : undefined };
      const error = gateOperation(op, limits, trusted);
      if (error) return refuse(req, res, 400, error);
      if (op.query !== req.query.query) (req as Request & { query: Record<string, unknown> }).query.query = op.query as string;
    }
    next();
  };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/** Token count and trusted documents for one operation; expands a registered hash in place. */
export function gateOperation(op: Record<string, unknown>, limits: OperationLimits, trusted: TrustedDocuments): GraphQLError | null {
  const query = typeof op.query === "string" ? op.query : undefined;
  if (query) {
    const tooMany = checkTokens(query, limits);
    if (tooMany) return tooMany;
  }
  if (trusted.mode === "off") return null;
  const hash = ((op.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash as string | undefined) ?? undefined;
  const resolved = trusted.resolve(query, hash);
  if ("error" in resolved) return resolved.error;
  op.query = resolved.query;
  // The registry answered for the hash: Apollo's own persisted-query cache need not.
  if (op.extensions && typeof op.extensions === "object") delete (op.extensions as Record<string, unknown>).persistedQuery;
  return null;
}

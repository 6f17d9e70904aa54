// The gateway's REST routes (GET /export/<dataset>, GET /documents/<id>) pass the same door as
// GraphQL: a verified token (401 otherwise), the caller's rate (429), and the scope the data needs
// (403 naming it). They hand out whole datasets and partners' documents, so a token bound to one
// customer or business unit (a row scope) is refused: those callers read their rows through the
// graph, where the row-level rules apply. Requests forwarded to a subgraph process (distributed
// mode) carry the gateway's secret and the caller's identity, as GraphQL calls do.
import type { Request, RequestHandler, Response } from "express";
import type { GatewaySecurity } from "./index.js";
import { AuthenticationError } from "./authenticate.js";
import { rateKey } from "./http-gate.js";
import { rowScope } from "../../platform/auth/identity.js";
import { Scope } from "../../platform/auth/scopes.js";
import { encodeIdentity, GATEWAY_SECRET_HEADER, IDENTITY_HEADER } from "../../platform/auth/gateway-credential.js";
import { sendError } from "../../platform/http/errors.js";
import { ErrorCode } from "../../platform/errors.js";

export interface RestAccessRule {
  /** The scope the request's data needs, or null when the route does not know it (it answers 404 itself). */
  scopeOf(req: Request): string | null;
  /** What the route serves, for error messages: "the orders export". */
  describe(req: Request): string;
}

function refuse(req: Request, res: Response, status: number, code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
  sendError(req, res, { status, code, message }, { error: message, ...extra });
}

export function restAccess(security: GatewaySecurity, rule: RestAccessRule): RequestHandler {
  return async (req, res, next) => {
    if (!security.authenticator.enabled) return next();
    let identity;
    try {
      identity = (await security.contexts.fromHttp(req)).identity;
    } catch (err) {
      if (!(err instanceof AuthenticationError)) return next(err);
      res.setHeader("www-authenticate", `Bearer error="invalid_token", error_description="${err.message.replace(/"/g, "'")}"`);
      return refuse(req, res, 401, ErrorCode.UNAUTHENTICATED, `Not authenticated: ${err.message}`);
    }
    const rate = security.rateLimiter.take(rateKey({ correlationId: "", identity, clientName: null }, req.socket.remoteAddress));
    if (!rate.allowed) {
      res.setHeader("retry-after", String(rate.retryAfterSeconds));
      return refuse(req, res, 429, ErrorCode.RATE_LIMITED, `Too many requests; retry in ${rate.retryAfterSeconds} s`, {
        retryAfterSeconds: rate.retryAfterSeconds,
      });
    }
    if (!identity)
      return refuse(req, res, 401, ErrorCode.UNAUTHENTICATED, `${rule.describe(req)} requires an authenticated caller: send authorization: Bearer <token>`);
    if (rowScope(identity)) {
      return refuse(
        req,
        res,
        403,
        ErrorCode.FORBIDDEN,
        `${rule.describe(req)} is not open to a token bound to one customer or business unit; read your rows through the graph`,
      );
    }
    const scope = rule.scopeOf(req);
    if (scope && !identity.scopes.includes(scope)) {
      return refuse(req, res, 403, ErrorCode.FORBIDDEN, `${rule.describe(req)} requires the scope ${scope}, which the token does not have`, {
        missingScopes: [scope],
      });
    }
    // For a subgraph process behind this gateway (distributed mode); harmless in-process.
    req.headers[IDENTITY_HEADER] = encodeIdentity(identity);
    if (security.options.gatewaySecret) req.headers[GATEWAY_SECRET_HEADER] = security.options.gatewaySecret;
    next();
  };
}

/** GET /export/<dataset>: the dataset's own scope (exportScopes: dataset -> scope). */
export const exportAccessRule = (exportScopes: Record<string, string>): RestAccessRule => ({
  scopeOf: (req) => exportScopes[String(req.params.dataset ?? "")] ?? null,
  describe: (req) => `the ${String(req.params.dataset)} export`,
});

/** GET /documents/<id>: partners' documents belong to orders. */
export const documentAccessRule: RestAccessRule = { scopeOf: () => Scope.ORDERS_READ, describe: () => "reading an outbound document" };

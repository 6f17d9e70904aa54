// Who may post to /ingest/*: one middleware in front of every ingestion route, so a route added
// later is covered without doing anything. A request passes with
//   - a bearer token (jose-verified, the gateway's keys) holding the `ingest` scope, or
//   - a per-source API key in x-api-key (INGEST_API_KEYS, "<source>:<key>,…"; the source is the
//     route's, e.g. x12, wms, edifact), or
//   - for a route that declares its source's own signature (Shopify's HMAC, RouteSpec.auth), that
//     signature, checked by the router on the raw bytes (this middleware lets it through).
// A browser on another origin cannot post: a request whose Origin is not this server's and not in
// CORS_ORIGINS is refused (403) before anything else, whatever it carries.
import type { Request, RequestHandler } from "express";
import { secretMatches } from "../../auth/gateway-credential.js";
import { bearerToken, TokenError, type TokenVerifier } from "../../auth/tokens.js";
import { Scope } from "../../auth/scopes.js";
import { correlationIdOf } from "../../http/server.js";
import type { RouteSpec } from "../routes.js";

export const API_KEY_HEADER = "x-api-key";

export interface IngestAccessOptions {
  /** false: no check (benchmarks; AUTH_DISABLED in development). */
  enabled: boolean;
  /** Verifies bearer tokens; null when no token keys are configured (API keys and signatures only). */
  verifyToken: TokenVerifier | null;
  /** source -> accepted API keys (INGEST_API_KEYS). */
  apiKeys: ReadonlyMap<string, readonly string[]>;
  /** Browser origins allowed to post (CORS_ORIGINS). */
  allowedOrigins: readonly string[];
}

/** "x12:k1,wms:k2,x12:k3" -> source -> keys. */
export function parseApiKeys(value: string | undefined): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const entry of (value ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const at = entry.indexOf(":");
    const source = entry.slice(0, at).trim();
    const key = entry.slice(at + 1).trim();
    if (at < 1 || key.length < 16)
      throw new Error(`INGEST_API_KEYS entries must be <source>:<key of at least 16 characters>, got "${entry.slice(0, Math.max(at, 0)) || "…"}:…"`);
    keys.set(source, [...(keys.get(source) ?? []), key]);
  }
  return keys;
}

function sameOrigin(req: Request, origin: string): boolean {
  try {
    return new URL(origin).host === req.header("host");
  } catch {
    return false;
  }
}

export function ingestAccess(routes: readonly RouteSpec[], options: IngestAccessOptions): RequestHandler {
  const byPath = new Map(routes.map((r) => [r.path, r]));
  return async (req, res, next) => {
    const correlationId = correlationIdOf(req);
    const refuse = (status: number, reason: string) => {
      console.warn(JSON.stringify({ level: "warn", msg: "ingest request refused", path: req.path, correlationId, status, reason }));
      res.status(status).json({ error: `${status === 403 ? "forbidden" : "not authenticated"}: ${reason}; nothing was stored or applied`, correlationId });
    };
    const origin = req.header("origin");
    if (origin && !sameOrigin(req, origin) && !options.allowedOrigins.includes(origin))
      return refuse(403, `browser requests from origin ${origin} may not post to ingestion endpoints`);
    if (!options.enabled || req.method !== "POST") return next();
    const route = byPath.get(req.originalUrl.split("?")[0]);
    // No such route: the router answers 404 naming the endpoints (nothing is stored). A route with
    // its source's own signature is checked on the raw body by the router.
    if (!route || route.auth) return next();
    const source = route?.source;
    const apiKey = req.header(API_KEY_HEADER);
    if (apiKey) {
      const accepted = (source && options.apiKeys.get(source)) || [];
      if (accepted.some((k) => secretMatches(k, apiKey))) return next();
      return refuse(401, `x-api-key is not a key of source ${source ?? "(unknown route)"}`);
    }
    let token: string | null;
    try {
      token = bearerToken(req.header("authorization"));
    } catch (err) {
      return refuse(401, (err as Error).message);
    }
    if (!token) return refuse(401, `send authorization: Bearer <token with the ${Scope.INGEST} scope> or ${API_KEY_HEADER}: <the source's key>`);
    if (!options.verifyToken)
      return refuse(401, "bearer tokens are not accepted here: no token keys are configured (AUTH_HS256_SECRET, AUTH_JWKS_FILE or AUTH_JWKS_URL)");
    try {
      const identity = await options.verifyToken(token);
      if (!identity.scopes.includes(Scope.INGEST)) return refuse(403, `the token lacks the ${Scope.INGEST} scope`);
      return next();
    } catch (err) {
      if (err instanceof TokenError) return refuse(401, err.reason);
      return next(err);
    }
  };
}

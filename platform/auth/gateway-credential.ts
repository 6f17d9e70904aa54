// How a subgraph knows a call comes from the gateway, and who the gateway is calling for. In
// distributed mode the gateway sends GATEWAY_SHARED_SECRET in x-gateway-secret with every subgraph
// request, and the caller's identity (as verified by the gateway) in x-graph-identity. A subgraph
// refuses a request without the secret (401) and trusts the identity header only together with it.
// In the embedded mode the gateway calls the subgraphs in-process and hands over the identity
// directly; their HTTP endpoints are off unless SUBGRAPH_DEBUG_ENDPOINTS turns them on.
import { timingSafeEqual, createHash } from "node:crypto";
import type { Request, RequestHandler } from "express";
import type { Identity } from "./identity.js";

export const GATEWAY_SECRET_HEADER = "x-gateway-secret";
export const IDENTITY_HEADER = "x-graph-identity";

export function encodeIdentity(identity: Identity | null | undefined): string {
  return identity ? Buffer.from(JSON.stringify(identity), "utf8").toString("base64url") : "";
}

export function decodeIdentity(value: string | undefined): Identity | null {
  if (!value) return null;
  const parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as Identity;
  if (typeof parsed?.subject !== "string" || !Array.isArray(parsed.scopes)) throw new Error(`${IDENTITY_HEADER} is not an identity`);
  return parsed;
}

const digest = (s: string) => createHash("sha256").update(s).digest();

export const secretMatches = (expected: string, given: string | undefined) => !!given && timingSafeEqual(digest(expected), digest(given));

type WithIdentity = Request & { graphIdentity?: Identity | null };

/** The identity the gateway forwarded with this request (set by requireGatewayCredential). */
export const forwardedIdentity = (req: Request): Identity | null => (req as WithIdentity).graphIdentity ?? null;

/**
 * Refuses requests that do not carry the gateway's secret (401, JSON body naming the header).
 * With no secret configured (development only: production refuses to start without one) every
 * caller is accepted and its identity header is believed.
 */
export function requireGatewayCredential(secret: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (secret && !secretMatches(secret, req.header(GATEWAY_SECRET_HEADER))) {
      res.status(401).json({
        errors: [
          {
            message: `this subgraph accepts calls only from the gateway: ${GATEWAY_SECRET_HEADER} is missing or wrong`,
            extensions: { code: "UNAUTHENTICATED" },
          },
        ],
      });
      return;
    }
    try {
      (req as WithIdentity).graphIdentity = decodeIdentity(req.header(IDENTITY_HEADER));
    } catch (err) {
      res.status(400).json({ errors: [{ message: (err as Error).message, extensions: { code: "BAD_REQUEST" } }] });
      return;
    }
    next();
  };
}

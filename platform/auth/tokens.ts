// JWT bearer tokens, verified with `jose`: RS256/ES256 against a JWKS (a file or a URL; keys are
// chosen by `kid`), or HS256 with a shared secret for local development. Claims become an Identity.
import fs from "node:fs";
import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from "jose";
import type { Identity } from "./identity.js";

export interface TokenKeys {
  /** AUTH_HS256_SECRET: HS256 secret (at least 32 characters). For development and tests. */
  hs256Secret?: string;
  /** AUTH_JWKS_FILE: path of a JSON Web Key Set (RS256/ES256 public keys). */
  jwksFile?: string;
  /** AUTH_JWKS_URL: URL of a JSON Web Key Set, fetched and cached (RS256/ES256). */
  jwksUrl?: string;
  /** AUTH_ISSUER: the required `iss`, when set. */
  issuer?: string;
  /** AUTH_AUDIENCE: the required `aud`, when set. */
  audience?: string;
}

export const hasKeys = (keys: TokenKeys) => !!(keys.hs256Secret || keys.jwksFile || keys.jwksUrl);

/** A token that cannot be accepted; `reason` is safe to show the caller (never key material). */
export class TokenError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export type TokenVerifier = (token: string) => Promise<Identity>;

const ASYMMETRIC = ["RS256", "ES256"];

export function createTokenVerifier(keys: TokenKeys): TokenVerifier {
  if (keys.hs256Secret !== undefined && keys.hs256Secret.length < 32) throw new Error("AUTH_HS256_SECRET must be at least 32 characters");
  const secret = keys.hs256Secret ? new TextEncoder().encode(keys.hs256Secret) : null;
  const jwks: JWTVerifyGetKey | null = keys.jwksFile
    ? createLocalJWKSet(JSON.parse(fs.readFileSync(keys.jwksFile, "utf8")))
    : keys.jwksUrl
      ? createRemoteJWKSet(new URL(keys.jwksUrl))
      : null;
  if (!secret && !jwks) throw new Error("no token keys configured (AUTH_HS256_SECRET, AUTH_JWKS_FILE or AUTH_JWKS_URL)");
  const claims = { issuer: keys.issuer, audience: keys.audience };
  return async (token) => {
    try {
      const alg = JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString("utf8"))?.alg;
      let payload: JWTPayload;
      if (alg === "HS256" && secret) payload = (await jwtVerify(token, secret, { ...claims, algorithms: ["HS256"] })).payload;
      else if (ASYMMETRIC.includes(alg) && jwks) payload = (await jwtVerify(token, jwks, { ...claims, algorithms: ASYMMETRIC })).payload;
      else
        throw new TokenError(
          `token algorithm ${JSON.stringify(alg ?? null)} is not accepted here (accepted: ${[secret && "HS256", jwks && "RS256, ES256"].filter(Boolean).join(", ")})`,
        );
      return identityOf(payload);
    } catch (err) {
      if (err instanceof TokenError) throw err;
      if (err instanceof joseErrors.JWTExpired) throw new TokenError("token expired");
      if (err instanceof joseErrors.JWTClaimValidationFailed) throw new TokenError(`token claim ${err.claim} is not accepted (${err.reason})`);
      if (err instanceof joseErrors.JWSSignatureVerificationFailed || err instanceof joseErrors.JWKSNoMatchingKey)
        throw new TokenError("token signature does not verify");
      if (err instanceof joseErrors.JOSEError) throw new TokenError(`token is not valid (${err.code})`);
      if (err instanceof SyntaxError) throw new TokenError("token is not a JWT");
      throw err;
    }
  };
}

function identityOf(payload: JWTPayload): Identity {
  if (!payload.sub) throw new TokenError("token has no sub claim");
  const scope = payload.scope ?? payload.scp;
  const scopes = Array.isArray(scope) ? scope.map(String) : typeof scope === "string" ? scope.split(" ").filter(Boolean) : [];
  const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);
  return {
    subject: payload.sub,
    scopes,
    customerId: str(payload.customer_id),
    businessUnitId: str(payload.business_unit_id),
    expiresAt: payload.exp,
    clientName: str(payload.client_name) ?? str(payload.azp) ?? str(payload.client_id),
  };
}

export interface TokenClaims {
  sub: string;
  scopes: readonly string[];
  customerId?: string;
  businessUnitId?: string;
  clientName?: string;
  /** Lifetime, e.g. "12h" or seconds (default 12h). */
  expiresIn?: string | number;
  issuer?: string;
  audience?: string;
}

/** Signs an HS256 token: the development token printed at start, tests, `npm run token`. */
export function signHs256Token(secret: string, claims: TokenClaims): Promise<string> {
  let jwt = new SignJWT({
    scope: claims.scopes.join(" "),
    ...(claims.customerId && { customer_id: claims.customerId }),
    ...(claims.businessUnitId && { business_unit_id: claims.businessUnitId }),
    ...(claims.clientName && { client_name: claims.clientName }),
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.sub)
    .setIssuedAt();
  jwt =
    typeof claims.expiresIn === "number"
      ? jwt.setExpirationTime(Math.floor(Date.now() / 1000) + claims.expiresIn)
      : jwt.setExpirationTime(claims.expiresIn ?? "12h");
  if (claims.issuer) jwt = jwt.setIssuer(claims.issuer);
  if (claims.audience) jwt = jwt.setAudience(claims.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}

/** The token in `authorization: Bearer <token>`, or null when there is none; throws on a malformed header. */
export function bearerToken(header: string | undefined | null): string | null {
  if (header == null || header === "") return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) throw new TokenError('authorization must be "Bearer <token>"');
  return m[1];
}

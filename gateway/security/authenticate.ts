// Authentication: turns an `authorization: Bearer <token>` value (an HTTP header, or the
// graphql-ws connection_init payload) into a verified Identity. Without a token the caller is
// refused unless anonymous access is allowed (AUTH_ALLOW_ANONYMOUS); a bad token is always refused.
import type { Identity } from "../../platform/auth/identity.js";
import { bearerToken, createTokenVerifier, TokenError, type TokenKeys, type TokenVerifier } from "../../platform/auth/tokens.js";

export interface AuthenticationOptions {
  /** false turns authentication off (benchmarks, a graph behind another authenticating proxy): every caller is anonymous with every right. */
  enabled: boolean;
  keys: TokenKeys;
  /** AUTH_ALLOW_ANONYMOUS: serve requests without a token (fields needing a scope are denied). Default false. */
  allowAnonymous: boolean;
}

/** Authentication failed: HTTP 401 / WebSocket close 4401 with this reason. */
export class AuthenticationError extends Error {}

export interface Authenticator {
  enabled: boolean;
  /** The identity for an authorization value; null for anonymous. Throws AuthenticationError. */
  authenticate(authorization: string | undefined | null): Promise<Identity | null>;
}

export function createAuthenticator(options: AuthenticationOptions): Authenticator {
  if (!options.enabled) return { enabled: false, authenticate: async () => null };
  const verify: TokenVerifier = createTokenVerifier(options.keys);
  return {
    enabled: true,
    async authenticate(authorization) {
      try {
        const token = bearerToken(authorization);
        if (!token) {
          if (options.allowAnonymous) return null;
          throw new AuthenticationError("authentication required: send authorization: Bearer <token>");
        }
        return await verify(token);
      } catch (err) {
        if (err instanceof TokenError) throw new AuthenticationError(err.reason);
        throw err;
      }
    },
  };
}

// Tokens for tests: every test app verifies HS256 tokens signed with TEST_AUTH_SECRET, so a test
// gets a token in one call. The GraphQL, WebSocket and ingestion helpers send the all-scopes
// token unless a test passes its own authorization (or an empty one, to be anonymous).
import { signHs256Token, type TokenClaims } from "../../platform/auth/tokens.js";
import { allScopes } from "../../platform/auth/scopes.js";
import { securityOptionsFromEnv, type AppSecurityOptions } from "../../app/config.js";

export const TEST_AUTH_SECRET = "test-secret-for-hs256-tokens-only-in-tests-0123456789";
export const TEST_GATEWAY_SECRET = "test-gateway-shared-secret-0123456789abcdef";

/** The security settings of test apps: real checks, HS256 with the test secret, rate limits off. */
export function testSecurity(overrides: Partial<AppSecurityOptions> = {}, env: NodeJS.ProcessEnv = {}): AppSecurityOptions {
  const base = securityOptionsFromEnv({ AUTH_HS256_SECRET: TEST_AUTH_SECRET, RATE_LIMIT_PER_MINUTE: "0", ...env });
  return { ...base, ...overrides };
}

export const signTestToken = (claims: Partial<TokenClaims> = {}) => signHs256Token(TEST_AUTH_SECRET, { sub: "test", scopes: allScopes, ...claims });

let admin: Promise<string> | null = null;
/** A token with every scope, valid for a day. */
export const adminToken = () => (admin ??= signTestToken({ sub: "test-admin", expiresIn: "24h" }));
export const bearer = async (token?: string) => `Bearer ${token ?? (await adminToken())}`;

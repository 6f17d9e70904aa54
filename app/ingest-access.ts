// Who may post to the ingestion endpoints of a process, from its security settings: the same token
// keys as the gateway (a token with the ingest scope), the per-source API keys, the CORS origins.
import type { AppSecurityOptions } from "./config.js";
import { createTokenVerifier, hasKeys } from "../platform/auth/tokens.js";
import type { IngestAccessOptions } from "../platform/ingest/auth/ingest-access.js";

export function ingestAccessOptions(security: AppSecurityOptions, corsOrigins: readonly string[]): IngestAccessOptions {
  const { enabled, keys } = security.authentication;
  return {
    enabled,
    verifyToken: enabled && hasKeys(keys) ? createTokenVerifier(keys) : null,
    apiKeys: security.ingestApiKeys,
    allowedOrigins: corsOrigins,
  };
}

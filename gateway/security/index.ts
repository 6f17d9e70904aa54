// The gateway's security, assembled once per gateway from typed options (app/config.ts reads
// them): authentication, the request-context builder, schema-declared authorization, operation
// limits, rate limits and trusted documents. Each concern lives in its own module here.
import type { ApolloServerPlugin } from "@apollo/server";
import type { RequestHandler } from "express";
import { createAuthenticator, type AuthenticationOptions, type Authenticator } from "./authenticate.js";
import { createRequestContextBuilder, type RequestContextBuilder } from "./request-context.js";
import { Authorizer } from "./authorize.js";
import { DEFAULT_OPERATION_LIMITS, operationLimitsPlugin, type OperationLimits } from "./operation-limits.js";
import { DEFAULT_RATE_LIMIT, RateLimiter, type RateLimitOptions } from "./rate-limit.js";
import { TrustedDocuments, type TrustedDocumentOptions } from "./trusted-documents.js";
import { httpGate } from "./http-gate.js";
import type { GatewayContext } from "../context.js";

export interface SecurityOptions {
  authentication: AuthenticationOptions;
  /** GATEWAY_SHARED_SECRET: sent to subgraphs with every request (distributed mode). */
  gatewaySecret?: string;
  limits: OperationLimits;
  rateLimit: RateLimitOptions;
  trustedDocuments: TrustedDocumentOptions;
  /** INTROSPECTION: answer schema introspection (default on, off with NODE_ENV=production). */
  introspection: boolean;
}

/** Everything off: benchmarks' baseline, and callers that put the graph behind their own checks. */
export const OPEN_SECURITY: SecurityOptions = {
  authentication: { enabled: false, keys: {}, allowAnonymous: true },
  limits: { ...DEFAULT_OPERATION_LIMITS, maxDepth: Infinity, maxAliases: Infinity, maxRootFields: Infinity, maxTokens: Infinity, maxCost: Infinity },
  rateLimit: { perMinute: 0, burst: 0 },
  trustedDocuments: { mode: "off", file: "" },
  introspection: true,
};

export { DEFAULT_OPERATION_LIMITS, DEFAULT_RATE_LIMIT };

export interface GatewaySecurity {
  options: SecurityOptions;
  authenticator: Authenticator;
  contexts: RequestContextBuilder;
  authorizer: Authorizer;
  rateLimiter: RateLimiter;
  trusted: TrustedDocuments;
  /** Express middleware in front of the GraphQL endpoint (http-gate.ts). */
  httpGate: RequestHandler;
  /** Apollo Server plugins of the gateway (operation limits). */
  plugins: ApolloServerPlugin<GatewayContext>[];
}

export function createGatewaySecurity(options: SecurityOptions, supergraphSdl: string): GatewaySecurity {
  const authenticator = createAuthenticator(options.authentication);
  const contexts = createRequestContextBuilder(authenticator);
  const rateLimiter = new RateLimiter(options.rateLimit);
  const trusted = TrustedDocuments.load(options.trustedDocuments);
  return {
    options,
    authenticator,
    contexts,
    authorizer: Authorizer.fromSupergraph(supergraphSdl),
    rateLimiter,
    trusted,
    httpGate: httpGate({ contexts, rateLimiter, limits: options.limits, trusted }),
    plugins: [operationLimitsPlugin<GatewayContext>(options.limits)],
  };
}

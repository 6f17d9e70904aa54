import type { OperationBudget } from "../platform/limits/operation-budget.js";
import type { Identity } from "../platform/auth/identity.js";

/**
 * What every gateway operation runs with, built in one place (security/request-context.ts) for
 * HTTP requests, WebSocket operations and subscription follow-ups.
 */
export interface GatewayContext {
  correlationId: string;
  /** The verified caller; null when anonymous (authentication off, or anonymous access allowed). */
  identity: Identity | null;
  /** The calling application (apollographql-client-name header, or the token's client_name). */
  clientName: string | null;
  /** Set by the operation guard (gateway/limits) when execution starts; every subgraph fetch honours it. */
  budget?: OperationBudget;
}

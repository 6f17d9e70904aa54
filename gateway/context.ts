import type { OperationBudget } from "../platform/limits/operation-budget.js";

export interface GatewayContext {
  correlationId: string;
  /** Set by the operation guard (gateway/limits) when execution starts; every subgraph fetch honours it. */
  budget?: OperationBudget;
}

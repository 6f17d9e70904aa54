// A budget for one GraphQL request served over HTTP by a subgraph (distributed mode, or a
// subgraph's debugging route in embedded mode): the same limits the gateway applies to a whole
// operation, so a subgraph protects itself whoever calls it. Released when the response ends.
import type { Response } from "express";
import type { MemoryGuard } from "../limits/memory-guard.js";
import { OperationBudget, type OperationLimits } from "../limits/operation-budget.js";

export function budgetForRequest(res: Response, limits: OperationLimits, memory: MemoryGuard): OperationBudget {
  const budget = new OperationBudget(limits, memory);
  // A client that hangs up cancels the work done for it.
  res.once("close", () => {
    if (!res.writableFinished) budget.stop(budget.cancelled("the client closed the connection"));
    budget.dispose();
  });
  return budget;
}

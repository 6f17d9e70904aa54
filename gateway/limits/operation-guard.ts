// Wraps the gateway's executor so every operation (HTTP, WebSocket, subscription follow-ups) runs
// within a budget (platform/limits/operation-budget.ts): refused at once when memory is short,
// cancelled at OPERATION_TIMEOUT_MS, stopped when its result grows past MAX_RESULT_ITEMS or
// MAX_RESULT_BYTES. The budget rides on the context to every subgraph fetch; when it stops, the
// caller gets its one error without waiting for the work still winding down.
import type { GatewayExecutor, GatewayInterface } from "@apollo/server-gateway-interface";
import { DomainError, ErrorCode } from "../../platform/errors.js";
import type { MemoryGuard } from "../../platform/limits/memory-guard.js";
import { OperationBudget, type OperationLimits } from "../../platform/limits/operation-budget.js";
import type { GatewayContext } from "../context.js";

export interface OperationGuardOptions {
  limits: OperationLimits;
  memory: MemoryGuard;
}

export function guardExecutor(executor: GatewayExecutor, { limits, memory }: OperationGuardOptions): GatewayExecutor {
  return async (requestContext) => {
    if (memory.overloaded()) return { errors: [new DomainError(ErrorCode.SERVER_OVERLOADED, memory.message(), { limit: "MEMORY_LIMIT_FRACTION" })] };
    const budget = new OperationBudget(limits, memory);
    (requestContext.context as GatewayContext).budget = budget;
    try {
      const result = await Promise.race([executor(requestContext), budget.stopped()]);
      const reason = budget.stopReason;
      return reason ? { errors: [reason] } : (result as Awaited<ReturnType<GatewayExecutor>>);
    } finally {
      budget.dispose();
    }
  };
}

/** The gateway as Apollo Server sees it, with every execution guarded. */
export function guardGateway(gateway: GatewayInterface, options: OperationGuardOptions): GatewayInterface {
  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    load: async (args) => {
      const loaded = await gateway.load(args);
      return { ...loaded, executor: loaded.executor && guardExecutor(loaded.executor, options) };
    },
    stop: () => gateway.stop(),
  };
}

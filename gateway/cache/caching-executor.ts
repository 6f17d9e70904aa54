// The entity cache in the gateway's execution path (outermost: a hit skips authorization, the
// operation guard and the query planner, because the answer was produced by them for a caller with
// the same access). The key is the caller's access (scopes and row scope), the document, the
// operation and its variables. Queries only: a mutation runs, then waits for this replica to read
// the events it wrote, so the caller's next query here is fresh.
import type { GraphQLSchema } from "graphql";
import type { GatewayExecutor, GatewayInterface } from "@apollo/server-gateway-interface";
import { accessKey } from "../../platform/auth/identity.js";
import { entityCacheRequests } from "../../platform/telemetry/metrics.js";
import type { GatewayContext } from "../context.js";
import { planFor, type CachePlan } from "./cache-plan.js";
import type { EntityCacheFeed } from "./event-feed.js";
import { takeTags } from "./response-tags.js";
import { documentHash, withDocument } from "../with-document.js";

/** The response header saying how the cache took part: hit, miss or bypass. */
export const CACHE_HEADER = "x-entity-cache";

/** Plans kept per document (the gateway's own query plan cache is bounded the same way). */
const MAX_PLANS = 1000;

type Plan = CachePlan & { queryHash?: string };

export function cachingExecutor(executor: GatewayExecutor, schema: () => GraphQLSchema, feed: EntityCacheFeed): GatewayExecutor {
  const { cache } = feed;
  const plans = new Map<string, Plan>();
  const planOf = (document: Parameters<typeof planFor>[1], queryHash: string, operationName: string | null): Plan => {
    const id = `${queryHash}\n${operationName ?? ""}`;
    let plan = plans.get(id);
    if (!plan) {
      plan = planFor(schema(), document, operationName);
      if (plan.cacheable) plan.queryHash = documentHash(plan.document);
      if (plans.size >= MAX_PLANS) plans.clear();
      plans.set(id, plan);
    }
    return plan;
  };
  return async (requestContext) => {
    const mark = (result: "hit" | "miss" | "bypass") => {
      requestContext.response?.http?.headers.set(CACHE_HEADER, result);
      entityCacheRequests.inc({ result });
    };
    const kind = requestContext.operation.operation;
    if (kind === "mutation") {
      const result = await executor(requestContext);
      await feed.catchUp().catch(() => {});
      return result;
    }
    if (kind !== "query" || !cache.serving) {
      mark("bypass");
      return executor(requestContext);
    }
    const plan = planOf(requestContext.document, requestContext.queryHash, requestContext.operationName);
    if (!plan.cacheable) {
      mark("bypass");
      return executor(requestContext);
    }
    const identity = (requestContext.context as unknown as GatewayContext).identity;
    const key = `${accessKey(identity)}\n${plan.queryHash}\n${requestContext.operationName ?? ""}\n${JSON.stringify(requestContext.request.variables ?? {})}`;
    const hit = cache.get(key);
    if (hit) {
      mark("hit");
      return { data: hit };
    }
    mark("miss");
    const version = cache.version;
    const result = await executor(withDocument(requestContext, plan.document, plan.queryHash));
    if (result.data) {
      const tags = takeTags(result.data, plan.roots);
      // Answers with errors are not kept: the next caller may not meet the same failure.
      if (!result.errors?.length) cache.set(key, result.data, tags, version);
    }
    return result;
  };
}

/** The gateway as Apollo Server sees it, with queries answered from the entity cache where they can be. */
export function cachingGateway(gateway: GatewayInterface, schema: () => GraphQLSchema, feed: EntityCacheFeed): GatewayInterface {
  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    load: async (args) => {
      const loaded = await gateway.load(args);
      return { ...loaded, executor: loaded.executor && cachingExecutor(loaded.executor, schema, feed) };
    },
    stop: () => gateway.stop(),
  };
}

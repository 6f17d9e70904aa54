// Sends each entity once per _entities fetch. The query planner builds one representation per
// occurrence of an entity in the result, so a page of 50 orders whose lines share products asks
// inventory for the same Product many times (182 representations for 128 distinct products on the
// benchmark page): every duplicate is resolved, serialised, sent, parsed and merged. Here the
// duplicates are dropped before the fetch and the answer is expanded back to one entry per
// representation the planner sent, so the gateway's merge (and the client's answer) is unchanged.
import type { GatewayGraphQLResponse, GatewayGraphQLRequest } from "@apollo/server-gateway-interface";
import { subgraphRepresentationsSaved } from "../../platform/telemetry/metrics.js";

type Fetch = (request: GatewayGraphQLRequest) => Promise<GatewayGraphQLResponse>;

/**
 * Runs `fetch` with the request's `representations` variable made unique (by value), and answers
 * as if every representation had been sent. Errors about one entity (path `_entities.<i>…`) are
 * repeated for every representation that maps to it. Requests without repeats go through untouched.
 */
export async function withUniqueRepresentations(subgraph: string, request: GatewayGraphQLRequest, fetch: Fetch): Promise<GatewayGraphQLResponse> {
  const representations = request.variables?.representations;
  if (!Array.isArray(representations) || representations.length < 2) return fetch(request);
  const firstIndex = new Map<string, number>();
  const unique: unknown[] = [];
  // For each representation the planner sent, the index of its value in `unique`.
  const slot: number[] = [];
  for (const r of representations) {
    // The planner builds every representation of a type from one selection set, so equal entities
    // serialise to equal strings (same key order).
    const key = JSON.stringify(r);
    let i = firstIndex.get(key);
    if (i === undefined) {
      i = unique.length;
      firstIndex.set(key, i);
      unique.push(r);
    }
    slot.push(i);
  }
  if (unique.length === representations.length) return fetch(request);
  subgraphRepresentationsSaved.inc({ subgraph }, representations.length - unique.length);
  const response = await fetch({ ...request, variables: { ...request.variables, representations: unique } });
  return expand(response, slot);
}

function expand(response: GatewayGraphQLResponse, slot: number[]): GatewayGraphQLResponse {
  const entities = (response.data as { _entities?: unknown[] } | null | undefined)?._entities;
  const seen = new Set<number>();
  // The gateway merges each entry into its own place in the result and may write into it (its
  // __typename, later fetches' fields), so a repeated entity gets its own copy.
  const data = Array.isArray(entities)
    ? {
        ...response.data,
        _entities: slot.map((i) => {
          const entity = entities[i];
          if (!seen.has(i) || entity === null || typeof entity !== "object") {
            seen.add(i);
            return entity;
          }
          return structuredClone(entity);
        }),
      }
    : response.data;
  const errors = response.errors?.flatMap((error) => {
    const path = error.path;
    if (!path || path[0] !== "_entities" || typeof path[1] !== "number") return [error];
    const uniqueIndex = path[1];
    return slot.flatMap((i, original) => (i === uniqueIndex ? [{ ...error, path: ["_entities", original, ...path.slice(2)] }] : []));
  });
  return { ...response, data, ...(errors && { errors }) };
}

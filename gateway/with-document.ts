// A gateway request context that executes another document than the client sent: the authorizer's
// restricted one (security/secure-executor.ts), the entity cache's augmented one
// (cache/caching-executor.ts). A copy keeping the context's prototype, with the document and a
// query hash of its own, so that @apollo/gateway plans (and caches the plan of) that document.
import { createHash } from "node:crypto";
import { print, type DocumentNode } from "graphql";
import type { GatewayGraphQLRequestContext } from "@apollo/server-gateway-interface";

export const documentHash = (document: DocumentNode): string => createHash("sha256").update(print(document)).digest("hex");

export function withDocument<T extends GatewayGraphQLRequestContext>(requestContext: T, document: DocumentNode, queryHash = documentHash(document)): T {
  return Object.assign(Object.create(Object.getPrototypeOf(requestContext)), requestContext, { document, queryHash });
}

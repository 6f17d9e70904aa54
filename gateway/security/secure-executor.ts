// Wraps the gateway's executor so that every operation (HTTP, WebSocket, subscription follow-ups)
// is authorized before the query planner sees it: denied fields are removed (authorize.ts), the
// rest executes, and the denied ones come back as null with their errors (denied-fields.ts).
import type { ExecutionResult, GraphQLSchema } from "graphql";
import type { GatewayExecutor, GatewayInterface } from "@apollo/server-gateway-interface";
import type { GatewayContext } from "../context.js";
import type { Authorizer } from "./authorize.js";
import { withDeniedFields } from "./denied-fields.js";
import { withDocument } from "../with-document.js";

export interface SecureExecutorOptions {
  authorizer: Authorizer;
  /** false: authentication is off, nothing is restricted. */
  enforce: boolean;
}

export function secureExecutor(executor: GatewayExecutor, schema: () => GraphQLSchema, { authorizer, enforce }: SecureExecutorOptions): GatewayExecutor {
  if (!enforce) return executor;
  return async (requestContext) => {
    const context = requestContext.context as unknown as GatewayContext;
    const apiSchema = schema();
    const { document, denials } = authorizer.restrict(apiSchema, requestContext.document, context.identity ?? null);
    if (!denials.size) return executor(requestContext);
    const result = (await executor(withDocument(requestContext, document))) as ExecutionResult;
    return withDeniedFields(
      apiSchema,
      requestContext.document,
      requestContext.operationName ?? requestContext.request.operationName,
      requestContext.request.variables,
      result,
      denials,
    ) as Awaited<ReturnType<GatewayExecutor>>;
  };
}

/** The gateway as Apollo Server sees it, with every execution authorized. */
export function secureGateway(gateway: GatewayInterface, schema: () => GraphQLSchema, options: SecureExecutorOptions): GatewayInterface {
  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    load: async (args) => {
      const loaded = await gateway.load(args);
      return { ...loaded, executor: loaded.executor && secureExecutor(loaded.executor, schema, options) };
    },
    stop: () => gateway.stop(),
  };
}

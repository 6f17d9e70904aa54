// Puts denied fields back into a result as null with their errors: the caller's original document
// is executed over the data the restricted one returned, so aliases, fragments, lists and null
// propagation (a denied non-null field nulls its parent) follow GraphQL's own rules.
import { buildSchema, execute, GraphQLError, printSchema, type DocumentNode, type ExecutionResult, type GraphQLSchema } from "graphql";
import type { Denial } from "./authorize.js";

export function withDeniedFields(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | undefined,
  result: ExecutionResult,
  denials: Map<string, Denial>,
): ExecutionResult {
  const denialErrors = new Set<GraphQLError>([...denials.values()].map((d) => d.error));
  const replayed = execute({
    schema: resolverFree(schema),
    document,
    operationName,
    variableValues: variables,
    rootValue: result.data ?? {},
    fieldResolver: (source, _args, _ctx, info) => {
      const denial = denials.get(`${info.parentType.name}.${info.fieldName}`);
      if (denial) throw denial.error;
      return source && typeof source === "object" ? (source as Record<string, unknown>)[info.path.key as string] : undefined;
    },
  }) as ExecutionResult;
  // Only the denials' errors come from the replay (each once); the rest are the real result's.
  const seen = new Set<string>();
  const ownErrors = (replayed.errors ?? [])
    .filter((e) => {
      if (!denialErrors.has(e.originalError as GraphQLError)) return false;
      const original = e.originalError as GraphQLError;
      const key = `${original.message}\u0000${JSON.stringify(e.path)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((e) => new GraphQLError(e.message, { path: e.path, extensions: (e.originalError as GraphQLError).extensions }));
  const errors = [...(result.errors ?? []), ...ownErrors];
  return {
    data: result.data === null ? null : (replayed.data ?? null),
    ...(errors.length && { errors }),
    ...(result.extensions && { extensions: result.extensions }),
  };
}

/**
 * The API schema as @apollo/gateway builds it carries resolvers of its own, which would bypass the
 * replay's field resolver: the replay runs on a copy built from its printed SDL (once per schema).
 */
const copies = new WeakMap<GraphQLSchema, GraphQLSchema>();
function resolverFree(schema: GraphQLSchema): GraphQLSchema {
  let copy = copies.get(schema);
  if (!copy) copies.set(schema, (copy = buildSchema(printSchema(schema))));
  return copy;
}

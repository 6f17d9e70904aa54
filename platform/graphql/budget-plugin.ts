// Makes a subgraph's execution count against the operation's budget (platform/limits): every list
// a resolver returns adds its length, and once the budget has stopped (a limit hit, a timeout, the
// gateway gave up) no further resolver runs, so no further database work starts.
//
// Resolvers are wrapped in the schema rather than observed from a plugin hook, because a stopped
// operation must wind down cheaply: a nullable field answers null (no children, no error object),
// a non-null one throws one shared error whose path is set, which graphql-js passes on as it is
// instead of building a new located error per field. The answer is then replaced by that one
// error (willSendResponse), not thousands of per-field errors.
import { defaultFieldResolver, GraphQLError, isNonNullType, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";
import type { OperationBudget } from "../limits/operation-budget.js";

type WithBudget = { budget?: OperationBudget } | undefined;

const stoppedErrors = new WeakMap<OperationBudget, GraphQLError>();
/** One error instance per stopped budget, already "located" (path set), so graphql-js reuses it. */
function stoppedError(budget: OperationBudget): GraphQLError {
  let e = stoppedErrors.get(budget);
  if (!e) {
    const reason = budget.stopReason!;
    e = new GraphQLError(reason.message, { path: [], extensions: reason.extensions });
    stoppedErrors.set(budget, e);
  }
  return e;
}

const isThenable = (v: unknown): v is PromiseLike<unknown> => typeof (v as PromiseLike<unknown>)?.then === "function";

/** Wraps every field resolver of the schema (in place) to honour the context's budget. */
export function enforceOperationBudget(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      const nonNull = isNonNullType(field.type);
      field.resolve = (source, args, context, info) => {
        const budget = (context as WithBudget)?.budget;
        if (!budget) return resolve(source, args, context, info);
        if (budget.stopReason) {
          if (nonNull) throw stoppedError(budget);
          return null;
        }
        const result = resolve(source, args, context, info);
        if (Array.isArray(result)) budget.countProduced(result.length);
        else if (isThenable(result)) {
          // A value that arrives after the stop is dropped too: completing it would build the
          // very subtree the stop is meant to spare.
          return result.then((value) => {
            if (budget.stopReason) {
              if (nonNull) throw stoppedError(budget);
              return null;
            }
            if (Array.isArray(value)) budget.countProduced(value.length);
            return value;
          });
        }
        return result;
      };
    }
  }
  return schema;
}

/** Answers a stopped operation with its one error, and refuses to start one already stopped. */
export function operationBudgetPlugin<C extends { budget?: OperationBudget }>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ contextValue }) {
      const budget = contextValue.budget;
      if (!budget) return;
      return {
        async executionDidStart() {
          budget.throwIfStopped();
        },
        async willSendResponse({ response }) {
          const reason = budget.stopReason;
          if (reason && response.body.kind === "single") {
            response.body.singleResult = { data: null, errors: [{ message: reason.message, extensions: reason.extensions }] };
          }
        },
      };
    },
  };
}

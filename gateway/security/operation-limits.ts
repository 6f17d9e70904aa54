// Limits an operation must fit before any subgraph is asked: nesting depth, aliases, root fields
// and an estimated cost from list sizes (checked on the parsed, validated operation by an Apollo
// Server plugin, so HTTP, WebSocket and follow-up operations all pass here), plus the number of
// lexical tokens (checked on the raw request, before parsing; see http-gate.ts). The number of
// operations in a batch is GRAPHQL_BATCH_MAX's (platform/http/graphql-requests.ts). Each refusal names the limit, its setting and the operation's value.
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isListType,
  Kind,
  Lexer,
  Source,
  TokenKind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type GraphQLCompositeType,
  isCompositeType,
  getArgumentValues,
} from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";
import { ErrorCode } from "../../platform/errors.js";

export interface OperationLimits {
  /** MAX_DEPTH: deepest field nesting (default 15). */
  maxDepth: number;
  /** MAX_ALIASES: aliased fields in one operation (default 30). */
  maxAliases: number;
  /** MAX_ROOT_FIELDS: top-level fields in one operation (default 20). */
  maxRootFields: number;
  /** MAX_TOKENS: lexical tokens in one document (default 5000). */
  maxTokens: number;
  /** MAX_COST: estimated objects fetched (list sizes multiplied down the tree; default 200000). */
  maxCost: number;
  /** Assumed size of a list field with no first/last argument (default 10). */
  defaultListSize: number;
  /** Assumed `first` of a paged field that names none (the API's default page, 50). */
  defaultPageSize: number;
}

export const DEFAULT_OPERATION_LIMITS: OperationLimits = {
  maxDepth: 15,
  maxAliases: 30,
  maxRootFields: 20,
  maxTokens: 5000,
  maxCost: 200_000,
  defaultListSize: 10,
  defaultPageSize: 50,
};

/** The variable that sets each limit, named in the error. */
const LIMIT_VARIABLE: Record<string, string> = {
  depth: "MAX_DEPTH",
  aliases: "MAX_ALIASES",
  rootFields: "MAX_ROOT_FIELDS",
  tokens: "MAX_TOKENS",
  cost: "MAX_COST",
};

export function limitError(limit: keyof typeof LIMIT_VARIABLE, max: number, value: number, what: string): GraphQLError {
  return new GraphQLError(`${what} ${value} exceeds the limit of ${max} (${LIMIT_VARIABLE[limit]}); nothing was fetched`, {
    extensions: { code: ErrorCode.OPERATION_LIMIT_EXCEEDED, limit: LIMIT_VARIABLE[limit], max, value, http: { status: 400 } },
  });
}

/** Lexical tokens in a document, counting no further than max + 1 (a bomb is not lexed to its end). */
export function countTokens(source: string, max: number): number {
  const lexer = new Lexer(new Source(source));
  let n = 0;
  try {
    for (let t = lexer.advance(); t.kind !== TokenKind.EOF; t = lexer.advance()) if (++n > max) break;
  } catch {
    return n; // a syntax error: the parser reports it
  }
  return n;
}

export function checkTokens(source: string, limits: OperationLimits): GraphQLError | null {
  const n = countTokens(source, limits.maxTokens);
  return n > limits.maxTokens ? limitError("tokens", limits.maxTokens, n, "The document's token count (at least)") : null;
}

interface Measure {
  depth: number;
  aliases: number;
  cost: number;
}

const PAGE_ARGS = ["first", "last"];

/** Depth, aliases and estimated cost of an operation, in one walk (fragments expanded). */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
  limits: OperationLimits = DEFAULT_OPERATION_LIMITS,
): Measure {
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const m: Measure = { depth: 0, aliases: 0, cost: 0 };
  const rootType =
    operation.operation === "query" ? schema.getQueryType() : operation.operation === "mutation" ? schema.getMutationType() : schema.getSubscriptionType();
  if (!rootType) return m;
  const walk = (set: SelectionSetNode, parent: GraphQLCompositeType, depth: number, multiplier: number, seen: Set<string>) => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.alias) m.aliases++;
        if (sel.name.value.startsWith("__")) continue;
        m.depth = Math.max(m.depth, depth);
        const field = "getFields" in parent ? (parent.getFields()[sel.name.value] as GraphQLField<unknown, unknown> | undefined) : undefined;
        if (!field) continue;
        const size = listSize(field, sel, parent.name, variables, limits);
        const here = multiplier * size;
        m.cost += here;
        const named = getNamedType(field.type);
        if (sel.selectionSet && isCompositeType(named)) walk(sel.selectionSet, named, depth + 1, here, seen);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const cond = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        walk(sel.selectionSet, (cond && isCompositeType(cond) ? cond : parent) as GraphQLCompositeType, depth, multiplier, seen);
      } else {
        const frag = fragments.get(sel.name.value);
        if (!frag || seen.has(frag.name.value)) continue;
        const cond = schema.getType(frag.typeCondition.name.value);
        walk(
          frag.selectionSet,
          (cond && isCompositeType(cond) ? cond : parent) as GraphQLCompositeType,
          depth,
          multiplier,
          new Set([...seen, frag.name.value]),
        );
      }
    }
  };
  walk(operation.selectionSet, rootType, 1, 1, new Set());
  return m;
}

/** How many items a field stands for: its first/last, the page default, or a list's assumed size. */
function listSize(
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  parentName: string,
  variables: Record<string, unknown>,
  limits: OperationLimits,
): number {
  const paged = field.args.some((a) => PAGE_ARGS.includes(a.name));
  if (paged) {
    let args: Record<string, unknown> = {};
    try {
      args = getArgumentValues(field, node, variables);
    } catch {
      /* invalid arguments: validation reports them */
    }
    const given = PAGE_ARGS.map((a) => args[a]).find((v) => typeof v === "number");
    return Math.max(1, (given as number | undefined) ?? limits.defaultPageSize);
  }
  if (!isListType(getNullableType(field.type))) return 1;
  // edges/nodes of a connection are the page already counted on the connection's field.
  if (parentName.endsWith("Connection")) return 1;
  return limits.defaultListSize;
}

export function checkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  limits: OperationLimits,
): GraphQLError | null {
  const rootFields = operation.selectionSet.selections.length;
  if (rootFields > limits.maxRootFields) return limitError("rootFields", limits.maxRootFields, rootFields, "The operation's root field count");
  const m = measureOperation(schema, document, operation, variables, limits);
  if (m.depth > limits.maxDepth) return limitError("depth", limits.maxDepth, m.depth, "The operation's depth");
  if (m.aliases > limits.maxAliases) return limitError("aliases", limits.maxAliases, m.aliases, "The operation's alias count");
  if (m.cost > limits.maxCost) return limitError("cost", limits.maxCost, m.cost, "The operation's estimated cost (objects, from first/last and list sizes)");
  return null;
}

/** Checks every operation after validation, before the gateway plans or fetches anything. */
export function operationLimitsPlugin<C extends object>(limits: OperationLimits): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const error = checkOperation(schema, document, operation, request.variables, limits);
          if (error) throw error;
        },
      };
    },
  };
}

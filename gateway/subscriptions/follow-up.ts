// Builds the follow-up query that fetches a subscription event's entity with the subscriber's own
// selection, through the gateway (so fields from every subgraph resolve), and shares one
// execution among subscribers with the same selection and the same entity for the same event.
import { GraphQLError, Kind, print, visit, type DocumentNode, type ExecutionResult, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from "graphql";

export interface FollowUpPlan {
  /** Query text with $__key_<arg> variables for the entity's key, or null when the entity is not selected. */
  query: string | null;
  /** The subscriber's own variables that the entity selection uses. */
  variables: Record<string, unknown>;
  /** Response keys under which the entity is selected (its aliases). */
  responseKeys: string[];
}

/** Entity selections of the event object, through inline fragments and fragment spreads. */
function entityFields(selectionSet: SelectionSetNode, entityField: string, fragments: Record<string, FragmentDefinitionNode>): FieldNode[] {
  const out: FieldNode[] = [];
  for (const s of selectionSet.selections) {
    if (s.kind === Kind.FIELD && s.name.value === entityField) out.push(s);
    else if (s.kind === Kind.INLINE_FRAGMENT) out.push(...entityFields(s.selectionSet, entityField, fragments));
    else if (s.kind === Kind.FRAGMENT_SPREAD && fragments[s.name.value]) out.push(...entityFields(fragments[s.name.value].selectionSet, entityField, fragments));
  }
  return out;
}

function usedNames(nodes: readonly (FieldNode | FragmentDefinitionNode)[]): { variables: Set<string>; fragments: Set<string> } {
  const variables = new Set<string>();
  const fragments = new Set<string>();
  for (const n of nodes) {
    visit(n, {
      Variable: (v) => void variables.add(v.name.value),
      FragmentSpread: (f) => void fragments.add(f.name.value),
    });
  }
  return { variables, fragments };
}

export function planFollowUp(
  operation: OperationDefinitionNode,
  document: DocumentNode,
  rootField: FieldNode,
  entityField: string,
  keyArgs: { field: string; args: Record<string, string> },
  variableValues: Record<string, unknown>,
): FollowUpPlan {
  const fragmentList = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  const fragments = Object.fromEntries(fragmentList.map((f) => [f.name.value, f]));
  const fields = rootField.selectionSet ? entityFields(rootField.selectionSet, entityField, fragments) : [];
  if (!fields.length) return { query: null, variables: {}, responseKeys: [] };

  // Fragments used by the entity selection, transitively.
  const neededFragments = new Set<string>();
  let frontier = usedNames(fields).fragments;
  while (frontier.size) {
    const next = new Set<string>();
    for (const name of frontier) {
      if (neededFragments.has(name) || !fragments[name]) continue;
      neededFragments.add(name);
      for (const f of usedNames([fragments[name]]).fragments) next.add(f);
    }
    frontier = next;
  }
  const usedVariables = usedNames([...fields, ...[...neededFragments].map((n) => fragments[n])]).variables;
  const variableDefs = (operation.variableDefinitions ?? []).filter((d) => usedVariables.has(d.variable.name.value)).map(print);
  const keyDefs = Object.entries(keyArgs.args).map(([name, type]) => `$__key_${name}: ${type}`);
  const keyCall = Object.keys(keyArgs.args).map((name) => `${name}: $__key_${name}`).join(", ");
  const responseKeys = fields.map((f) => f.alias?.value ?? f.name.value);
  const body = fields.map((f, i) => `${responseKeys[i]}: ${keyArgs.field}(${keyCall}) ${f.selectionSet ? print(f.selectionSet) : ""}`).join("\n");
  const query = `query SubscriptionFollowUp(${[...keyDefs, ...variableDefs].join(", ")}) {\n${body}\n}\n${[...neededFragments].map((n) => print(fragments[n])).join("\n")}`;
  return { query, variables: Object.fromEntries([...usedVariables].map((v) => [v, variableValues[v]])), responseKeys };
}

export type FollowUpExecutor = (query: string, variables: Record<string, unknown>) => Promise<ExecutionResult>;

/**
 * One execution per (event, query, variables), shared by every subscriber that asks for it.
 * Entries live for a short while after the event: long enough for all subscribers of that event.
 */
export class FollowUpCache {
  private entries = new Map<string, Promise<ExecutionResult>>();
  executed = 0;

  constructor(
    private readonly execute: FollowUpExecutor,
    private readonly ttlMs = 10_000,
  ) {}

  get(sequence: bigint, query: string, variables: Record<string, unknown>): Promise<ExecutionResult> {
    const key = `${sequence}\u0001${query}\u0001${JSON.stringify(variables)}`;
    let entry = this.entries.get(key);
    if (!entry) {
      this.executed++;
      entry = this.execute(query, variables).catch((err): ExecutionResult => ({ errors: [new GraphQLError(`follow-up query failed: ${(err as Error).message}`)] }));
      this.entries.set(key, entry);
      setTimeout(() => this.entries.delete(key), this.ttlMs).unref();
    }
    return entry;
  }

  get size() {
    return this.entries.size;
  }
}

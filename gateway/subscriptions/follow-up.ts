// Fetches a subscription event's entity with the subscriber's own selection, through the gateway
// (so fields from every subgraph resolve), by a follow-up query:
// - shared: one execution per (event, selection, variables), whatever the number of subscribers;
// - batched: the entities of events waiting together (a burst, a replay page, a subscriber that
//   fell a little behind) are fetched by one query through the owner's by-key list field
//   (ordersById(ids: …)), so the cost per event falls as the rate rises instead of capping the
//   rate a subscriber can sustain. The query text does not depend on how many entities it
//   fetches (the keys are a variable), so the gateway plans it once per selection: one fetch per
//   subgraph whatever the batch size. (One aliased root field per entity was tried first: the
//   planner then makes one subgraph fetch per alias and plans every batch size anew, which made
//   a batch slower than the single follow-ups it replaced.)
import DataLoader from "dataloader";
import type { GatewayContext } from "../context.js";
import { accessKey } from "../../platform/auth/identity.js";
import {
  GraphQLError,
  Kind,
  print,
  visit,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import type { FollowUpPacer, Lane } from "./pacing.js";

export interface FollowUpPlan {
  /** Identifies plans whose follow-ups can share an execution: same selection, same variable values. */
  id: string;
  /** The subscriber's entity field selections (response key and printed selection set); empty when the entity is not selected. */
  selections: { responseKey: string; selectionSet: string }[];
  /** Response keys under which the entity is selected (its aliases). */
  responseKeys: string[];
  /** Root query field that fetches entities by a list of keys, its argument and the argument's type. */
  entityQuery: { field: string; argument: string; type: string };
  /** The subscriber's variable definitions the selections use, printed. */
  variableDefinitions: string[];
  /** The subscriber's variables the selections use. */
  variables: Record<string, unknown>;
  /** Fragment definitions the selections use, printed. */
  fragments: string;
}

/** Entity selections of the event object, through inline fragments and fragment spreads. */
function entityFields(selectionSet: SelectionSetNode, entityField: string, fragments: Record<string, FragmentDefinitionNode>): FieldNode[] {
  const out: FieldNode[] = [];
  for (const s of selectionSet.selections) {
    if (s.kind === Kind.FIELD && s.name.value === entityField) out.push(s);
    else if (s.kind === Kind.INLINE_FRAGMENT) out.push(...entityFields(s.selectionSet, entityField, fragments));
    else if (s.kind === Kind.FRAGMENT_SPREAD && fragments[s.name.value])
      out.push(...entityFields(fragments[s.name.value].selectionSet, entityField, fragments));
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
  entityQuery: { field: string; argument: string; type: string },
  variableValues: Record<string, unknown>,
): FollowUpPlan {
  const fragmentList = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  const fragments = Object.fromEntries(fragmentList.map((f) => [f.name.value, f]));
  const fields = rootField.selectionSet ? entityFields(rootField.selectionSet, entityField, fragments) : [];

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
  const selections = fields.map((f) => ({ responseKey: f.alias?.value ?? f.name.value, selectionSet: f.selectionSet ? print(f.selectionSet) : "" }));
  const variableDefinitions = (operation.variableDefinitions ?? []).filter((d) => usedVariables.has(d.variable.name.value)).map(print);
  const variables = Object.fromEntries([...usedVariables].map((v) => [v, variableValues[v]]));
  const printedFragments = [...neededFragments].map((n) => print(fragments[n])).join("\n");
  return {
    id: JSON.stringify([entityQuery.field, selections, variableDefinitions, variables, printedFragments]),
    selections,
    responseKeys: selections.map((s) => s.responseKey),
    entityQuery,
    variableDefinitions,
    variables,
    fragments: printedFragments,
  };
}

/** The query fetching a list of entities: `_b_<responseKey>: <field>(<argument>: $_keys) { selection }`. */
export function batchQuery(plan: FollowUpPlan): string {
  const { field, argument, type } = plan.entityQuery;
  const fields = plan.selections.map((s) => `_b_${s.responseKey}: ${field}(${argument}: $_keys) ${s.selectionSet}`);
  return `query SubscriptionFollowUp(${[`$_keys: ${type}`, ...plan.variableDefinitions].join(", ")}) {\n${fields.join("\n")}\n}\n${plan.fragments}`;
}

/** Splits a batch's result into each entity's own result, keyed by the subscriber's response keys. */
export function splitBatchResult(plan: FollowUpPlan, count: number, result: ExecutionResult): ExecutionResult[] {
  const data = (result.data ?? null) as Record<string, unknown[] | null> | null;
  const ownErrors: GraphQLError[][] = Array.from({ length: count }, () => []);
  const shared: GraphQLError[] = [];
  for (const e of result.errors ?? []) {
    const [head, index, ...rest] = e.path ?? [];
    const m = typeof head === "string" ? /^_b_(.+)$/.exec(head) : null;
    if (m && typeof index === "number" && index < count)
      ownErrors[index].push(new GraphQLError(e.message, { path: [m[1], ...rest], extensions: e.extensions }));
    else shared.push(e);
  }
  return ownErrors.map((errors, i) => {
    const own = data ? Object.fromEntries(plan.responseKeys.map((k) => [k, data[`_b_${k}`]?.[i] ?? null])) : null;
    const all = [...errors, ...shared];
    return all.length ? { data: own, errors: all } : { data: own };
  });
}

/** Runs a follow-up as its subscriber (identity included), so authorization and row-level rules apply. */
export type FollowUpExecutor = (query: string, variables: Record<string, unknown>, subscriber: GatewayContext) => Promise<ExecutionResult>;

export interface FollowUpOptions {
  /** Most entities one follow-up query fetches (FOLLOW_UP_BATCH_SIZE, default 50). */
  batchSize: number;
  /** How long an event's follow-up result is kept for other subscribers, in ms. */
  ttlMs?: number;
}

/**
 * One execution per (event, selection, variables), shared by every subscriber that asks for it,
 * and batched with the follow-ups asked for in the same tick. Entries live for a short while after
 * the event: long enough for all subscribers of that event.
 */
export class FollowUpCache {
  private entries = new Map<string, Promise<ExecutionResult>>();
  private loaders = new Map<string, { loader: DataLoader<string, ExecutionResult>; lastUsed: number }>();
  /** Follow-up queries executed (one per batch). */
  executed = 0;
  /** Entities fetched by them. */
  fetched = 0;
  /** Time spent executing them, in ms (diagnostics, benchmarks). */
  executionMs = 0;

  constructor(
    private readonly execute: FollowUpExecutor,
    private readonly pacer: FollowUpPacer,
    private readonly options: FollowUpOptions,
  ) {}

  get(sequence: bigint, plan: FollowUpPlan, key: unknown, subscriber: GatewayContext, lane: Lane = "live"): Promise<ExecutionResult> {
    const keyJson = JSON.stringify(key);
    // Shared and batched only between subscribers allowed the same data (same scopes, customer and unit).
    const access = accessKey(subscriber.identity);
    const cacheKey = `${sequence}\u0001${plan.id}\u0001${keyJson}\u0001${access}`;
    let entry = this.entries.get(cacheKey);
    if (!entry) {
      entry = this.loaderFor(plan, lane, access, subscriber).load(keyJson);
      this.entries.set(cacheKey, entry);
      setTimeout(() => this.entries.delete(cacheKey), this.options.ttlMs ?? 10_000).unref();
    }
    return entry;
  }

  get size() {
    return this.entries.size;
  }

  private loaderFor(plan: FollowUpPlan, lane: Lane, access: string, subscriber: GatewayContext): DataLoader<string, ExecutionResult> {
    const id = `${lane}\u0001${plan.id}\u0001${access}`;
    const now = Date.now();
    let held = this.loaders.get(id);
    if (!held) {
      held = {
        lastUsed: now,
        // No cache: sharing is per event (entries above); a loader only gathers one tick's keys.
        loader: new DataLoader<string, ExecutionResult>((keys) => this.pacer.run(lane, () => this.fetch(plan, keys, subscriber)), {
          cache: false,
          maxBatchSize: this.options.batchSize,
        }),
      };
      this.loaders.set(id, held);
      this.sweep(now);
    }
    held.lastUsed = now;
    return held.loader;
  }

  /** Forgets loaders of selections nobody asked for lately. */
  private sweep(now: number) {
    const ttl = this.options.ttlMs ?? 10_000;
    for (const [id, held] of this.loaders) if (now - held.lastUsed > ttl) this.loaders.delete(id);
  }

  private async fetch(plan: FollowUpPlan, keys: readonly string[], subscriber: GatewayContext): Promise<ExecutionResult[]> {
    // The same entity for several events (one position changed five times in a burst) is fetched once.
    const unique = [...new Set(keys)];
    const variables: Record<string, unknown> = { ...plan.variables, _keys: unique.map((k) => JSON.parse(k)) };
    this.executed++;
    this.fetched += unique.length;
    let result: ExecutionResult;
    const started = performance.now();
    try {
      result = await this.execute(batchQuery(plan), variables, subscriber);
    } catch (err) {
      result = { errors: [new GraphQLError(`follow-up query failed: ${(err as Error).message}`)] };
    }
    this.executionMs += performance.now() - started;
    const perEntity = splitBatchResult(plan, unique.length, result);
    const byKey = new Map(unique.map((k, i) => [k, perEntity[i]]));
    return keys.map((k) => byKey.get(k)!);
  }
}

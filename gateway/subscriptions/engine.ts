// Executes subscription operations for the gateway (which @apollo/gateway cannot): each matching
// event from the log becomes one result, its entity fetched with the subscriber's own selection by
// a follow-up federated query, shared among subscribers (see follow-up.ts).
//
// Delivery: `since` replays the matching events after that sequence, then goes live, with no gap
// and no duplicate at the seam (the live listener is registered before history is read, and
// history stops at the sequence the listener started after). A subscriber more than
// `bufferLimit` events behind receives one SUBSCRIBER_TOO_SLOW error naming the last sequence it
// got and the subscription ends; resubscribing with since: that sequence loses nothing.
import {
  defaultFieldResolver,
  execute,
  getArgumentValues,
  getOperationAST,
  GraphQLError,
  Kind,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from "graphql";
import { ErrorCode } from "../../platform/errors.js";
import { isAfter, positionOf, positionOfSequence, readEventsBetween, type StoredEvent } from "../../platform/events/event-log.js";
import type { SubscriptionSpec } from "./spec.js";
import { Channel } from "./channel.js";
import type { EventFollower } from "./event-follower.js";
import { planFollowUp, type FollowUpCache } from "./follow-up.js";

export interface EngineOptions {
  /** Events a subscriber may fall behind before it is cut off (SUBSCRIPTION_BUFFER, default 1000). */
  bufferLimit: number;
  /** Most events a `since` replay may cover (default 10,000). */
  replayLimit: number;
}

const TOO_SLOW = Symbol("too slow");
type Item = StoredEvent | typeof TOO_SLOW;

/** Entity data comes back keyed by response key (alias); event fields by field name. */
const aliasAwareResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
  if (source && typeof source === "object" && typeof info.path.key === "string" && info.path.key in source) {
    return (source as Record<string, unknown>)[info.path.key];
  }
  return defaultFieldResolver(source, args, context, info);
};

const errorResult = (message: string, code: string, extra: Record<string, unknown> = {}): ExecutionResult => ({
  errors: [new GraphQLError(message, { extensions: { code, ...extra } })],
});

export class SubscriptionEngine {
  private readonly specs: Map<string, SubscriptionSpec>;

  constructor(
    private readonly schema: () => GraphQLSchema,
    private readonly follower: EventFollower | null,
    private readonly followUps: FollowUpCache,
    specs: SubscriptionSpec[],
    private readonly options: EngineOptions,
  ) {
    this.specs = new Map(specs.map((s) => [s.field, s]));
  }

  async subscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const schema = this.schema();
    const operation = getOperationAST(args.document, args.operationName);
    const root = operation?.selectionSet.selections[0];
    if (!operation || root?.kind !== Kind.FIELD) return errorResult("a subscription must select one root field directly", ErrorCode.INVALID_ARGUMENT);
    const spec = this.specs.get(root.name.value);
    const fieldDef = schema.getSubscriptionType()?.getFields()[root.name.value];
    if (!spec || !fieldDef) return errorResult(`no subscription ${root.name.value}`, ErrorCode.INVALID_ARGUMENT);
    if (!this.follower) return errorResult("subscriptions need the event log: start the gateway with DATABASE_URL", ErrorCode.SUBGRAPH_UNAVAILABLE);

    const variables = (args.variableValues ?? {}) as Record<string, unknown>;
    let argValues: Record<string, unknown>;
    try {
      argValues = getArgumentValues(fieldDef, root, variables);
    } catch (err) {
      return errorResult((err as Error).message, ErrorCode.INVALID_ARGUMENT);
    }
    const since = argValues.since as string | null | undefined;
    if (since != null && !/^\d{1,19}$/.test(since)) return errorResult(`Argument "since" must be an event sequence (digits), got ${JSON.stringify(since)}`, ErrorCode.INVALID_ARGUMENT, { argument: "since" });

    const plan = planFollowUp(operation, args.document, root as FieldNode, spec.entityField, spec.entityQuery, variables);
    const follower = this.follower;
    let lastDelivered: string | null = since ?? null;

    // Live events are held back while the history is read, then queued after it.
    let replaying = since != null;
    const early: StoredEvent[] = [];
    const channel: Channel<Item> = new Channel<Item>(() => unlisten());
    const enqueue = (event: StoredEvent) => {
      if (channel.length >= this.options.bufferLimit) {
        unlisten();
        channel.finishWith(TOO_SLOW);
      } else channel.push(event);
    };
    const unlisten = follower.listen((event) => {
      if (event.type !== spec.eventType || !spec.matches(event, argValues)) return;
      if (replaying) early.push(event);
      else enqueue(event);
    });
    if (since != null) {
      try {
        const head = follower.position;
        // "since" is the sequence of the last event the subscriber received: resume after it in log order.
        const from = await positionOfSequence(follower.db, BigInt(since));
        const history = await readEventsBetween(follower.db, from, head, this.options.replayLimit + 1, [spec.eventType]);
        if (history.length > this.options.replayLimit) {
          channel.return();
          return errorResult(`since ${since} is more than ${this.options.replayLimit} events back: read them with the events query, then subscribe from a later sequence`, ErrorCode.INVALID_ARGUMENT, { argument: "since" });
        }
        for (const e of history) if (spec.matches(e, argValues)) channel.push(e);
        for (const e of early) if (isAfter(positionOf(e), head)) enqueue(e);
      } catch (err) {
        channel.return();
        throw err;
      } finally {
        replaying = false;
      }
    }

    const toResult = async (event: StoredEvent): Promise<ExecutionResult> => {
      const payload: Record<string, unknown> = spec.eventFields(event);
      let followUpErrors: GraphQLError[] = [];
      if (plan.query) {
        const key = Object.fromEntries(Object.entries(spec.entityKey(event)).map(([k, v]) => [`__key_${k}`, v]));
        const fetched = await this.followUps.get(event.sequence, plan.query, { ...plan.variables, ...key });
        for (const k of plan.responseKeys) payload[k] = (fetched.data as Record<string, unknown> | null | undefined)?.[k] ?? null;
        followUpErrors = [...(fetched.errors ?? [])];
      }
      const result = (await execute({ ...args, schema, rootValue: { [spec.field]: payload }, fieldResolver: aliasAwareResolver })) as ExecutionResult;
      lastDelivered = String(event.sequence);
      return followUpErrors.length ? { ...result, errors: [...followUpErrors, ...(result.errors ?? [])] } : result;
    };

    const iterator: AsyncIterableIterator<ExecutionResult> = {
      next: async () => {
        const item = await channel.next();
        if (item.done) return { value: undefined, done: true };
        if (item.value === TOO_SLOW) {
          return {
            value: errorResult(
              `subscriber fell more than ${this.options.bufferLimit} events behind; resubscribe with since: "${lastDelivered ?? "0"}" to continue without loss`,
              ErrorCode.SUBSCRIBER_TOO_SLOW,
              { lastSequence: lastDelivered },
            ),
            done: false,
          };
        }
        return { value: await toResult(item.value), done: false };
      },
      return: async () => {
        await channel.return();
        return { value: undefined, done: true };
      },
      throw: async (err) => {
        await channel.return();
        throw err;
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }
}

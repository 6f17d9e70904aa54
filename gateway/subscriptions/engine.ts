// Executes subscription operations for the gateway (which @apollo/gateway cannot): each matching
// event from the log becomes one result, its entity fetched with the subscriber's own selection by
// a follow-up federated query, shared among subscribers and batched (see follow-up.ts).
//
// Delivery: `since` replays the matching events after that sequence, then goes live, with no gap
// and no duplicate at the seam (the live listener is registered before history is read, and
// history stops at the sequence the listener started after). History is read a page at a time as
// the subscriber consumes it, through the pacer's replay lane (pacing.ts), so a replay holds at
// most a page in memory and cannot crowd out other clients. A subscriber more than `bufferLimit`
// events behind receives one SUBSCRIBER_TOO_SLOW error naming the last sequence it got and the
// subscription ends; resubscribing with since: that sequence loses nothing.
import {
  parse,
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
import { countEventsBetween, positionOf, positionOfSequence, readEventsBetween, type LogPosition, type StoredEvent } from "../../platform/events/event-log.js";
import type { SubscriptionSpec } from "./spec.js";
import { Channel } from "./channel.js";
import type { EventFollower } from "./event-follower.js";
import { planFollowUp, type FollowUpCache } from "./follow-up.js";
import type { GatewayContext } from "../context.js";
import { accessKey, rowScope } from "../../platform/auth/identity.js";
import { deliveryGroup, SharedResults } from "./shared-results.js";
import type { FollowUpPacer, Lane } from "./pacing.js";
import { executionSchemaOf } from "./execution-schema.js";
import { takeTurn } from "./fair-share.js";

export interface EngineOptions {
  /** Events a subscriber may fall behind before it is cut off (SUBSCRIPTION_BUFFER, default 1000). */
  bufferLimit: number;
  /** Most events a `since` replay may cover (SUBSCRIPTION_REPLAY_LIMIT, default 10,000). */
  replayLimit: number;
  /** Events of history read at a time during a replay (SUBSCRIPTION_REPLAY_PAGE, default 100). */
  replayPageSize: number;
  /** Most entities one follow-up query fetches (FOLLOW_UP_BATCH_SIZE, default 50). */
  followUpBatchSize: number;
}

const TOO_SLOW = Symbol("too slow");
/** A queued event; `entity` once its follow-up was asked for (with an earlier event's batch). */
type Queued = { event: StoredEvent; lane: Lane; entity?: Promise<ExecutionResult> };
type Item = Queued | typeof TOO_SLOW;

/**
 * Objects shaped like a GraphQL response (follow-up data: keyed by response key, alias included)
 * as opposed to the event's own fields (keyed by field name).
 */
const responseShaped = new WeakSet<object>();
function markResponseShaped(value: unknown) {
  if (value && typeof value === "object") {
    responseShaped.add(value);
    if (Array.isArray(value)) for (const v of value) markResponseShaped(v);
  }
}

/** On an event payload: its entity field's name and the follow-up data per response key. */
const ENTITY = Symbol("entity");
type EventPayload = Record<string, unknown> & { [ENTITY]?: { field: string; byResponseKey: Record<string, unknown> } };

const resultResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
  if (source && typeof source === "object") {
    let value: unknown;
    const entity = (source as EventPayload)[ENTITY];
    if (entity && info.fieldName === entity.field) value = entity.byResponseKey[info.path.key as string] ?? null;
    else if (responseShaped.has(source)) value = (source as Record<string, unknown>)[info.path.key as string];
    else return defaultFieldResolver(source, args, context, info);
    markResponseShaped(value);
    return value;
  }
  return defaultFieldResolver(source, args, context, info);
};

const errorResult = (message: string, code: string, extra: Record<string, unknown> = {}): ExecutionResult => ({
  errors: [new GraphQLError(message, { extensions: { code, ...extra } })],
});

export class SubscriptionEngine {
  private readonly specs: Map<string, SubscriptionSpec>;
  /** The longest queue any subscriber had (diagnostics: where a slow subscriber's events wait). */
  maxBuffered = 0;
  /** Results per (event, delivery group), shared by the group's subscribers. */
  readonly results = new SharedResults();

  constructor(
    private readonly schema: () => GraphQLSchema,
    private readonly follower: EventFollower | null,
    private readonly followUps: FollowUpCache,
    private readonly pacer: FollowUpPacer,
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
    if (since != null && !/^\d{1,19}$/.test(since))
      return errorResult(`Argument "since" must be an event sequence (digits), got ${JSON.stringify(since)}`, ErrorCode.INVALID_ARGUMENT, {
        argument: "since",
      });

    const plan = planFollowUp(operation, args.document, root as FieldNode, spec.entityField, spec.entityQuery, variables);
    // Follow-ups run as the subscriber. A customer's or unit's token gets an event only when it may
    // see the event's entity: the entity is fetched (its selection, else just __typename) and a
    // null drops the event.
    const subscriber = args.contextValue as GatewayContext;
    const rowScoped = !!rowScope(subscriber?.identity);
    const visibility = !rowScoped ? null : plan.selections.length ? plan : guardPlan(spec.field, spec.entityField, spec.entityQuery);
    const follower = this.follower;
    const { bufferLimit, replayPageSize, followUpBatchSize } = this.options;
    let lastDelivered: string | null = since ?? null;

    // While history is replayed, live events are held, then queued after it. Holding starts at
    // once (not when the replay's range is known, after a query) so that no live event overtakes
    // history. Every event the follower delivers from now on lies after `until` in log order: the
    // follower advances its position before it calls listeners.
    let replaying = since != null;
    let replay: { after: LogPosition; until: LogPosition } | null = null;
    let held: StoredEvent[] = [];
    const channel: Channel<Item> = new Channel<Item>(() => unlisten());
    const cutOff = () => {
      unlisten();
      replaying = false;
      replay = null;
      held = [];
      channel.finishWith(TOO_SLOW);
    };
    const unlisten = follower.listen((event) => {
      if (event.type !== spec.eventType || !spec.matches(event, argValues)) return;
      if (replaying) {
        if (held.length >= bufferLimit) cutOff();
        else held.push(event);
      } else if (channel.length >= bufferLimit) cutOff();
      else {
        channel.push({ event, lane: "live" });
        if (channel.length > this.maxBuffered) this.maxBuffered = channel.length;
      }
    });

    if (since != null) {
      const until = follower.position;
      try {
        // "since" is the sequence of the last event the subscriber received: resume after it in log order.
        const from = await positionOfSequence(follower.db, BigInt(since));
        const count = await countEventsBetween(follower.db, from, until, this.options.replayLimit + 1, [spec.eventType]);
        if (count > this.options.replayLimit) {
          channel.return();
          return errorResult(
            `since ${since} is more than ${this.options.replayLimit} events back: read them with the events query, then subscribe from a later sequence`,
            ErrorCode.INVALID_ARGUMENT,
            { argument: "since" },
          );
        }
        if (replaying) replay = { after: from, until };
      } catch (err) {
        channel.return();
        throw err;
      }
    }

    /** Reads history pages until one yields a matching event or the replay reaches its end. */
    const replayMore = async () => {
      while (replay && !channel.isClosed && channel.length === 0) {
        const { after, until } = replay;
        const page = await this.pacer.run("replay", () => readEventsBetween(follower.db, after, until, replayPageSize, [spec.eventType]));
        if (!replay) return; // cut off meanwhile
        for (const e of page) if (spec.matches(e, argValues)) channel.push({ event: e, lane: "replay" });
        if (page.length < replayPageSize) {
          replay = null;
          replaying = false;
          const live = held;
          held = [];
          for (const e of live) {
            if (channel.length >= bufferLimit) return cutOff();
            channel.push({ event: e, lane: "live" });
          }
        } else replay.after = positionOf(page.at(-1)!);
      }
    };

    const followUp = (q: Queued) => (q.entity ??= this.followUps.get(q.event.sequence, plan, spec.entityKey(q.event), subscriber, q.lane));

    // Asks for follow-ups a whole batch at a time. The queue's events are asked for in order, so
    // those not yet asked for are its tail. A batch starts at the first of them when delivery
    // needs it now or next, or when a full batch of them is within two batches of the head (so at
    // most one batch is fetched ahead). Asking for "the next batch-1 events" on every delivery
    // instead slid a window one event at a time: deliveries to a socket each come back on a later
    // tick, so DataLoader got one key per tick and, after the first, every follow-up query
    // fetched a single entity (869 queries for 980 entities at 100 events/s in the rate bench).
    const askAhead = (item: Queued) => {
      const window = [item, ...channel.peek(2 * followUpBatchSize - 1)].filter((q): q is Queued => q !== TOO_SLOW);
      let first = window.findIndex((q) => !q.entity);
      while (first !== -1 && (first <= 1 || window.length - first >= followUpBatchSize)) {
        // Asked for in one tick: DataLoader cuts them into the same batches (maxBatchSize).
        for (const q of window.slice(first, first + followUpBatchSize)) void followUp(q);
        first = first + followUpBatchSize < window.length ? first + followUpBatchSize : -1;
      }
    };

    // The result for an event is the same for every subscriber of the delivery group (same
    // document, variables and access): computed once, shared (shared-results.ts).
    const group = this.results.groupId(deliveryGroup(args.document, args.operationName, root, variables, accessKey(subscriber?.identity)));
    const toResult = async (item: Queued): Promise<ExecutionResult | null> => {
      const result = await this.results.get(item.event.sequence, group, () => computeResult(item));
      if (result) lastDelivered = String(item.event.sequence);
      return result;
    };

    const computeResult = async (item: Queued): Promise<ExecutionResult | null> => {
      const { event } = item;
      if (visibility) {
        const seen =
          visibility === plan ? await followUp(item) : await this.followUps.get(event.sequence, visibility, spec.entityKey(event), subscriber, item.lane);
        const data = (seen.data ?? {}) as Record<string, unknown>;
        if (visibility.responseKeys.every((k) => data[k] == null)) return null;
      }
      const payload: EventPayload = spec.eventFields(event);
      let followUpErrors: readonly GraphQLError[] = [];
      if (plan.selections.length) {
        askAhead(item);
        const fetched = await followUp(item);
        payload[ENTITY] = { field: spec.entityField, byResponseKey: (fetched.data ?? {}) as Record<string, unknown> };
        followUpErrors = fetched.errors ?? [];
      }
      const result = (await execute({
        ...args,
        schema: executionSchemaOf(schema),
        rootValue: { [spec.field]: payload },
        fieldResolver: resultResolver,
      })) as ExecutionResult;
      return followUpErrors.length ? { ...result, errors: [...followUpErrors, ...(result.errors ?? [])] } : result;
    };

    const iterator: AsyncIterableIterator<ExecutionResult> = {
      next: async () => {
        if (replay && channel.length === 0) await replayMore();
        const item = await channel.next();
        if (item.done) return { value: undefined, done: true };
        if (item.value === TOO_SLOW) {
          return {
            value: errorResult(
              `subscriber fell more than ${bufferLimit} events behind; resubscribe with since: "${lastDelivered ?? "0"}" to continue without loss`,
              ErrorCode.SUBSCRIBER_TOO_SLOW,
              { lastSequence: lastDelivered },
            ),
            done: false,
          };
        }
        // Live deliveries count only their own time; replays the whole slice (fair-share.ts).
        const done = await takeTurn(item.value.lane === "replay");
        let result: ExecutionResult | null;
        try {
          result = await toResult(item.value);
        } finally {
          done();
        }
        // An event the subscriber may not see is skipped: wait for the next one.
        return result ? { value: result, done: false } : iterator.next();
      },
      return: async () => {
        replay = null;
        await channel.return();
        return { value: undefined, done: true };
      },
      throw: async (err) => {
        replay = null;
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

/** A follow-up plan that only asks whether the subscriber may see an event's entity. */
function guardPlan(field: string, entityField: string, entityQuery: Parameters<typeof planFollowUp>[4]) {
  const document = parse(`subscription SubscriptionVisibility { ${field} { ${entityField} { __typename } } }`);
  const operation = document.definitions[0] as import("graphql").OperationDefinitionNode;
  return planFollowUp(operation, document, operation.selectionSet.selections[0] as FieldNode, entityField, entityQuery, {});
}

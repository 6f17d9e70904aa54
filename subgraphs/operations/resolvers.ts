// Thin resolvers over the operations service and the ingest pipeline.
import { GraphQLScalarType } from "graphql";
import type { Resolvers } from "./generated/resolvers-types.js";
import { consumerStatuses, deadLetterWhere, listEvents, listMessages, parseSequence } from "./service.js";
import { replayMessage } from "../../platform/ingest/pipeline.js";
import { withoutRaw } from "../../platform/ingest/message-store.js";
import { warningsOf } from "../../platform/ingest/warnings.js";
import { readRawSlice } from "./raw-bodies.js";
import { retryParkedEvent } from "../../platform/events/consumer.js";
import { invalidArgument, DomainError, ErrorCode } from "../../platform/errors.js";
import { mappingMutations, mappingQueries } from "./mapping-resolvers.js";
import { kpiSeries, kpiWindow } from "../../platform/kpi/window.js";
import { exceptionKpis } from "./kpis.js";
import { exceptionFields, exceptionMutations, exceptionQueries } from "./exception-resolvers.js";
import { allTraceSteps, findTrace, operationTraceSteps } from "./trace.js";

const JSONScalar = new GraphQLScalarType({ name: "JSON", serialize: (v) => v, parseValue: (v) => v });

export const resolvers: Resolvers = {
  JSON: JSONScalar,
  Query: {
    ...mappingQueries,
    ...exceptionQueries,
    trace: (_, { correlationId }, { db }) => findTrace(db, correlationId),
    inboundMessage: (_, { id }, { db }) => db.inboundMessage.findUnique({ where: { id }, omit: withoutRaw }),
    inboundMessages: (_, { filter, ...page }, { db }) => listMessages(db, filter, page),
    events: (_, { after, types, aggregateId, first }, { db }) => listEvents(db, after ?? "0", types, aggregateId, first),
    consumers: (_, __, { db }) => consumerStatuses(db),
    parkedEvents: (_, { consumer, includeResolved }, { db }) =>
      db.parkedEvent.findMany({
        where: { ...(consumer && { consumer }), ...(!includeResolved && { resolvedAt: null }) },
        orderBy: [{ consumer: "asc" }, { sequence: "asc" }],
      }),
    kpis: (_, args) => kpiWindow(args),
    kpiSeries: (_, { interval, ...args }) => kpiSeries(kpiWindow(args), interval),
    kpiWindows: (_, { keys }) => keys.map((k) => kpiWindow(k)),
  },
  KpiWindow: {
    __resolveReference: (ref) => kpiWindow(ref),
    exceptions: (w, _, { db }) => exceptionKpis(db, w),
  },
  Mutation: {
    ...mappingMutations,
    ...exceptionMutations,
    replayInboundMessage: async (_, { id }, { db, handlers }) => {
      const exists = await db.inboundMessage.findUnique({ where: { id }, select: { id: true } });
      if (!exists) throw new DomainError(ErrorCode.NOT_FOUND, `no inbound message ${id}`, { argument: "id" });
      const out = await replayMessage(db, handlers, id);
      return (await db.inboundMessage.findUnique({ where: { id: out.id }, omit: withoutRaw }))!;
    },
    replayDeadLetters: async (_, { filter, limit }, { db, handlers }) => {
      const n = limit ?? 100;
      if (!Number.isInteger(n) || n < 1 || n > 1000) throw invalidArgument("limit", `must be between 1 and 1000, got ${n}`);
      const dead = await db.inboundMessage.findMany({ where: deadLetterWhere(filter), orderBy: { id: "asc" }, take: n, select: { id: true } });
      const results = [];
      for (const { id } of dead) {
        await replayMessage(db, handlers, id);
        results.push((await db.inboundMessage.findUnique({ where: { id }, omit: withoutRaw }))!);
      }
      return { replayed: results.length, results };
    },
    retryParkedEvent: async (_, { consumer, sequence }, { db, consumerByName }) => {
      const definition = consumerByName(consumer);
      if (!definition) throw invalidArgument("consumer", `is not a known consumer: ${JSON.stringify(consumer)}`);
      const parked = await retryParkedEvent(db, definition, parseSequence(sequence, "sequence"));
      if (!parked) throw new DomainError(ErrorCode.NOT_FOUND, `consumer ${consumer} has no parked event ${sequence}`, { argument: "sequence" });
      return parked;
    },
  },
  InboundMessage: {
    duplicateOf: (m, _, { db }) => (m.duplicateOfId ? db.inboundMessage.findUnique({ where: { id: m.duplicateOfId }, omit: withoutRaw }) : null),
    conflictWith: (m, _, { db }) => (m.conflictWithId ? db.inboundMessage.findUnique({ where: { id: m.conflictWithId }, omit: withoutRaw }) : null),
    warnings: (m) => warningsOf(m.warnings),
    raw: async (m, args, { rawBudget, rawSlices }) => (await readRawSlice(m, args, rawBudget, rawSlices))?.toString("utf8") ?? null,
    rawBase64: async (m, args, { rawBudget, rawSlices }) => (await readRawSlice(m, args, rawBudget, rawSlices))?.toString("base64") ?? null,
  },
  Exception: exceptionFields,
  Trace: {
    // Keeps the other subgraphs' steps the gateway passes along (@requires) for steps to merge.
    __resolveReference: (ref) => ref,
    operationSteps: (t, _, { db }) => operationTraceSteps(db, t.correlationId),
    steps: (t, _, { db }) => allTraceSteps(db, t),
  },
  Event: {
    sequence: (e) => String(e.sequence),
  },
  ParkedEvent: {
    sequence: (p) => String(p.sequence),
    event: (p, _, { db }) => db.eventLog.findUnique({ where: { sequence: p.sequence } }),
  },
};

// Thin resolvers over the operations service and the ingest pipeline.
import { GraphQLScalarType } from "graphql";
import type { Resolvers } from "./generated/resolvers-types.js";
import { deadLetterWhere, listEvents, listMessages, parseSequence } from "./service.js";
import { replayMessage } from "../../platform/ingest/pipeline.js";
import { retryParkedEvent } from "../../platform/events/consumer.js";
import { invalidArgument, DomainError, ErrorCode } from "../../platform/errors.js";

const JSONScalar = new GraphQLScalarType({ name: "JSON", serialize: (v) => v, parseValue: (v) => v });

export const resolvers: Resolvers = {
  JSON: JSONScalar,
  Query: {
    inboundMessage: (_, { id }, { db }) => db.inboundMessage.findUnique({ where: { id } }),
    inboundMessages: (_, { filter, first, after }, { db }) => listMessages(db, filter, first, after),
    events: (_, { after, types, aggregateId, first }, { db }) => listEvents(db, after ?? "0", types, aggregateId, first),
    consumers: async (_, __, { db }) => {
      const [offsets, last, parked] = await Promise.all([
        db.consumerOffset.findMany({ orderBy: { consumer: "asc" } }),
        db.eventLog.aggregate({ _max: { sequence: true } }),
        db.parkedEvent.groupBy({ by: ["consumer"], where: { resolvedAt: null }, _count: { _all: true } }),
      ]);
      const head = last._max.sequence ?? 0n;
      // Sequences can have gaps (rolled-back appends), so lag counts events, not the difference.
      const lags = await Promise.all(offsets.map((o) => db.eventLog.count({ where: { sequence: { gt: o.position, lte: head } } })));
      return offsets.map((o, i) => ({
        name: o.consumer,
        position: String(o.position),
        lag: lags[i],
        parked: parked.find((p) => p.consumer === o.consumer)?._count._all ?? 0,
      }));
    },
    parkedEvents: (_, { consumer, includeResolved }, { db }) =>
      db.parkedEvent.findMany({
        where: { ...(consumer && { consumer }), ...(!includeResolved && { resolvedAt: null }) },
        orderBy: [{ consumer: "asc" }, { sequence: "asc" }],
      }),
  },
  Mutation: {
    replayInboundMessage: async (_, { id }, { db, handlers }) => {
      const exists = await db.inboundMessage.findUnique({ where: { id }, select: { id: true } });
      if (!exists) throw new DomainError(ErrorCode.NOT_FOUND, `no inbound message ${id}`, { argument: "id" });
      const out = await replayMessage(db, handlers, id);
      return (await db.inboundMessage.findUnique({ where: { id: out.id } }))!;
    },
    replayDeadLetters: async (_, { filter, limit }, { db, handlers }) => {
      const n = limit ?? 100;
      if (!Number.isInteger(n) || n < 1 || n > 1000) throw invalidArgument("limit", `must be between 1 and 1000, got ${n}`);
      const dead = await db.inboundMessage.findMany({ where: deadLetterWhere(filter), orderBy: { id: "asc" }, take: n, select: { id: true } });
      const results = [];
      for (const { id } of dead) {
        await replayMessage(db, handlers, id);
        results.push((await db.inboundMessage.findUnique({ where: { id } }))!);
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
    duplicateOf: (m, _, { db }) => (m.duplicateOfId ? db.inboundMessage.findUnique({ where: { id: m.duplicateOfId } }) : null),
    raw: (m) => Buffer.from(m.raw).toString("utf8"),
    rawBase64: (m) => Buffer.from(m.raw).toString("base64"),
    sizeBytes: (m) => m.raw.length,
  },
  Event: {
    sequence: (e) => String(e.sequence),
  },
  ParkedEvent: {
    sequence: (p) => String(p.sequence),
    event: (p, _, { db }) => db.eventLog.findUnique({ where: { sequence: p.sequence } }),
  },
};

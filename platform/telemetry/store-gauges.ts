// Gauges read from the shared platform tables when Prometheus scrapes: inbound messages by source
// and state, and each consumer's lag. Registered by one process per deployment (the embedded app,
// or the operations subgraph's process), since every replica would report the same rows.
import type { Db } from "../db/client.js";
import { scrapeGauge } from "./metrics.js";
import { countEventsAfter } from "../events/event-log.js";

export function registerStoreGauges(db: Db) {
  scrapeGauge(
    "ingest_messages",
    "Inbound messages stored, by source and state (RECEIVED, PROCESSED, DUPLICATE, RECONCILED, FAILED, DEAD_LETTER)",
    ["source", "state"],
    async () => {
      const rows = await db.inboundMessage.groupBy({ by: ["source", "state"], _count: { _all: true } });
      return rows.map((r) => ({ labels: { source: r.source, state: r.state }, value: r._count._all }));
    },
  );
  // Counted in the log's order, (txOrder, sequence), as the consumers read it.
  const lag = async () => {
    const offsets = await db.consumerOffset.findMany();
    return Promise.all(
      offsets.map(async (o) => {
        const after = await countEventsAfter(db, { txOrder: o.txOrder, sequence: o.position });
        return { consumer: o.consumer, lag: after.count, seconds: after.oldest ? Math.max(0, (after.now.getTime() - after.oldest.getTime()) / 1000) : 0 };
      }),
    );
  };
  scrapeGauge("event_consumer_lag_events", "Events in the log after each consumer's position", ["consumer"], async () =>
    (await lag()).map((r) => ({ labels: { consumer: r.consumer }, value: r.lag })),
  );
  scrapeGauge("event_consumer_lag_seconds", "Age of the oldest event a consumer has not passed yet (0 when caught up)", ["consumer"], async () =>
    (await lag()).map((r) => ({ labels: { consumer: r.consumer }, value: r.seconds })),
  );
  scrapeGauge("event_consumer_parked_events", "Parked events not yet resolved, per consumer", ["consumer"], async () => {
    const rows = await db.parkedEvent.groupBy({ by: ["consumer"], where: { resolvedAt: null }, _count: { _all: true } });
    return rows.map((r) => ({ labels: { consumer: r.consumer }, value: r._count._all }));
  });
}

/** graphql_subscriptions_active: subscriptions this gateway is serving now. */
export function registerSubscriptionGauge(count: () => number) {
  scrapeGauge("graphql_subscriptions_active", "GraphQL subscriptions this gateway process is serving", [], async () => [{ labels: {}, value: count() }]);
}

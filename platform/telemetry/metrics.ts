// Prometheus metrics (prom-client), served at GET /metrics by the gateway and by every subgraph
// process. Counters and histograms are per process (Prometheus sums replicas); figures that live in
// the database (ingestion by state, consumer lag) are gauges read from it at scrape time, so every
// replica reports the same truth and nothing resets on restart.
import client from "prom-client";
import type { Express } from "express";

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

export const graphqlRequests = new client.Counter({
  name: "graphql_requests_total",
  help: "GraphQL operations handled, by server (gateway or a subgraph), operation name and outcome (ok, error)",
  labelNames: ["server", "operation", "outcome"] as const,
  registers: [registry],
});

export const subgraphFetchSeconds = new client.Histogram({
  name: "gateway_subgraph_fetch_duration_seconds",
  help: "Time the gateway waited for one subgraph fetch, by subgraph and outcome",
  labelNames: ["subgraph", "outcome"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const subgraphRepresentationsSaved = new client.Counter({
  name: "gateway_subgraph_representations_deduplicated_total",
  help: "Repeated entity representations the gateway did not send to a subgraph (each entity is fetched once per _entities request)",
  labelNames: ["subgraph"] as const,
  registers: [registry],
});

export const entityCacheRequests = new client.Counter({
  name: "gateway_entity_cache_requests_total",
  help: "Queries by how the gateway's entity cache took part (GATEWAY_CACHE): hit (answered from the cache), miss (executed, then kept if it could be), bypass (not cacheable, or the cache is not serving)",
  labelNames: ["result"] as const,
  registers: [registry],
});

export const entityCacheEvictions = new client.Counter({
  name: "gateway_entity_cache_evictions_total",
  help: "Cached answers evicted because an event in the log touched an entity in them",
  registers: [registry],
});

export const entityCacheEntries = new client.Gauge({
  name: "gateway_entity_cache_entries",
  help: "Answers held in the gateway's entity cache",
  registers: [registry],
});

export const subgraphFetchesShared = new client.Counter({
  name: "gateway_subgraph_fetches_shared_total",
  help: "Subgraph requests the gateway did not send because an identical one (same query, variables and caller identity) was in flight: its answer was shared",
  labelNames: ["subgraph"] as const,
  registers: [registry],
});

export const httpRequestSeconds = new client.Histogram({
  name: "http_request_duration_seconds",
  help: "HTTP requests by method, route family (graphql, ingest, export, documents, health, metrics, other) and status class",
  labelNames: ["method", "route", "status"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const kpiValue = new client.Gauge({
  name: "kpi_value",
  help: "The last value of each KPI an alert rule watches (KPI_ALERTS), over KPI_ALERT_WINDOW",
  labelNames: ["kpi"] as const,
  registers: [registry],
});

export const kpiAlertRaised = new client.Gauge({
  name: "kpi_alert_raised",
  help: "1 while the alert rule is breached, 0 otherwise",
  labelNames: ["rule"] as const,
  registers: [registry],
});

/** A gauge whose labelled values are read when Prometheus scrapes (from the database, say). */
export function scrapeGauge(name: string, help: string, labelNames: string[], read: () => Promise<{ labels: Record<string, string>; value: number }[]>) {
  const existing = registry.getSingleMetric(name);
  if (existing) registry.removeSingleMetric(name);
  return new client.Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      this.reset();
      for (const { labels, value } of await read()) this.set(labels, value);
    },
  });
}

export function mountMetrics(app: Express) {
  app.get("/metrics", async (_req, res) => {
    res.setHeader("content-type", registry.contentType);
    res.send(await registry.metrics());
  });
}

/** The route family of a path, a bounded label set (paths carry ids). */
export function routeFamily(path: string): string {
  const first = path.split("/")[1] ?? "";
  if (first === "subgraphs") return "graphql";
  return ["graphql", "ingest", "export", "documents", "health", "metrics"].includes(first) ? first : "other";
}

// Business alerts on KPI thresholds: every interval, the KPIs of the last `window` are read
// through the graph (so each comes from its owning subgraph), each rule is checked, and a change
// of a rule's state (raised or cleared) is appended to the event log as a KpiAlert event, which
// feeds the kpiAlert subscription and any consumer. Edge-triggered and deduplicated in the event
// log (under an advisory lock per rule), so any number of replicas evaluating at once append one event per change.
import { z } from "zod";
import { defineEvent } from "../events/types.js";
import type { Db } from "../db/client.js";
import { appendEvents } from "../events/event-log.js";
import { kpiAlertRaised, kpiValue } from "../telemetry/metrics.js";
import { log as logger, logFor } from "../telemetry/log.js";

export const KPI_ALERT = "KpiAlert";

export type Comparison = ">" | ">=" | "<" | "<=";

export interface KpiAlertRule {
  /** As written: "fillRate.rate<0.95". Also the alert's aggregate id. */
  rule: string;
  /** A field path under KpiWindow: "orderProcessingLatency.toAccepted.p95Seconds". */
  kpi: string;
  comparison: Comparison;
  threshold: number;
}

export interface KpiAlertPayload {
  rule: string;
  kpi: string;
  comparison: Comparison;
  threshold: number;
  /** The KPI's value when the state changed (null: no sample in the window). */
  value: number | null;
  state: "RAISED" | "CLEARED";
  from: string;
  to: string;
  businessUnitId: null;
  channel: null;
}

/** The declared payload type of KpiAlert (checked at append, platform/events/types.ts). */
export const KpiAlert = defineEvent(
  KPI_ALERT,
  KPI_ALERT,
  z.object({
    rule: z.string(),
    kpi: z.string(),
    comparison: z.enum([">", ">=", "<", "<="]),
    threshold: z.number(),
    value: z.number().nullable(),
    state: z.enum(["RAISED", "CLEARED"]),
    from: z.string(),
    to: z.string(),
    businessUnitId: z.null(),
    channel: z.null(),
  }),
);

/** Parses KPI_ALERTS: rules separated by commas or semicolons, each `<kpi path><op><number>`. */
export function parseKpiAlertRules(text: string): KpiAlertRule[] {
  return text
    .split(/[;,]/)
    .map((r) => r.replace(/\s+/g, ""))
    .filter(Boolean)
    .map((rule) => {
      const m = /^([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*)(>=|<=|>|<)(-?\d+(?:\.\d+)?)$/.exec(rule);
      if (!m) throw new Error(`KPI_ALERTS: "${rule}" is not <kpi path><op><number> (e.g. fillRate.rate<0.95, exceptions.open>0; op one of > >= < <=)`);
      return { rule, kpi: m[1]!, comparison: m[2] as Comparison, threshold: Number(m[3]) };
    });
}

/** The KpiWindow selection that reads every rule's KPI. */
export function selectionFor(rules: KpiAlertRule[]): string {
  type Tree = { [k: string]: Tree };
  const tree: Tree = {};
  for (const r of rules) r.kpi.split(".").reduce((node, part) => (node[part] ??= {}), tree);
  const print = (t: Tree): string =>
    Object.entries(t)
      .map(([k, sub]) => (Object.keys(sub).length ? `${k} { ${print(sub)} }` : k))
      .join(" ");
  return print(tree);
}

const valueAt = (data: unknown, path: string): number | null => {
  const v = path.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), data);
  return typeof v === "number" ? v : null;
};

export function breached(rule: KpiAlertRule, value: number | null): boolean {
  if (value === null) return false; // no sample, no alert
  switch (rule.comparison) {
    case ">":
      return value > rule.threshold;
    case ">=":
      return value >= rule.threshold;
    case "<":
      return value < rule.threshold;
    case "<=":
      return value <= rule.threshold;
  }
}

export type RunQuery = (query: string, variables: Record<string, unknown>) => Promise<{ data?: unknown; errors?: readonly { message: string }[] }>;

export interface KpiAlertOptions {
  rules: KpiAlertRule[];
  windowMs: number;
  intervalMs: number;
  now?: () => Date;
}

/** One evaluation: reads the KPIs, appends an event for each rule whose state changed. Returns the events appended. */
export async function evaluateKpiAlerts(db: Db, run: RunQuery, options: KpiAlertOptions): Promise<KpiAlertPayload[]> {
  const to = (options.now ?? (() => new Date()))();
  const from = new Date(to.getTime() - options.windowMs);
  const result = await run(`query KpiAlerts($from: DateTime!, $to: DateTime!) { kpis(from: $from, to: $to) { ${selectionFor(options.rules)} } }`, {
    from: from.toISOString(),
    to: to.toISOString(),
  });
  if (result.errors?.length) throw new Error(`KPI alert query failed: ${result.errors.map((e) => e.message).join("; ")}`);
  const kpis = (result.data as { kpis?: unknown } | undefined)?.kpis;
  const changed: KpiAlertPayload[] = [];
  for (const rule of options.rules) {
    const value = valueAt(kpis, rule.kpi);
    const state = breached(rule, value) ? "RAISED" : "CLEARED";
    if (value === null) kpiValue.remove({ kpi: rule.kpi });
    else kpiValue.set({ kpi: rule.kpi }, value);
    kpiAlertRaised.set({ rule: rule.rule }, state === "RAISED" ? 1 : 0);
    const appended = await db.$transaction(async (tx) => {
      // One rule at a time across replicas: read its last state, then append only on a change.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`kpi-alert:${rule.rule}`}))`;
      const last = await tx.eventLog.findFirst({ where: { type: KPI_ALERT, aggregateType: KPI_ALERT, aggregateId: rule.rule }, orderBy: { sequence: "desc" } });
      const lastState = (last?.payload as { state?: string } | undefined)?.state ?? "CLEARED";
      if (lastState === state) return null;
      const payload: KpiAlertPayload = {
        rule: rule.rule,
        kpi: rule.kpi,
        comparison: rule.comparison,
        threshold: rule.threshold,
        value,
        state,
        from: from.toISOString(),
        to: to.toISOString(),
        businessUnitId: null,
        channel: null,
      };
      await appendEvents(tx, `kpi-alert:${rule.rule}`, [
        {
          type: KPI_ALERT,
          aggregateType: KPI_ALERT,
          aggregateId: rule.rule,
          aggregateVersion: (last?.aggregateVersion ?? 0) + 1,
          occurredAt: to,
          payload: payload as never,
        },
      ]);
      return payload;
    });
    if (appended) changed.push(appended);
  }
  return changed;
}

/** Evaluates every interval until stopped; a failed evaluation is logged and tried again next time. */
export function startKpiAlerts(db: Db, run: RunQuery, options: KpiAlertOptions): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = evaluateKpiAlerts(db, run, options)
      .then((changed) => changed.forEach((c) => logFor(`kpi-alert:${c.rule}`)[c.state === "RAISED" ? "warn" : "info"](c, `KPI alert ${c.state.toLowerCase()}`)))
      .catch((err) => logger.error({ error: String(err) }, "KPI alert evaluation failed"))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs);
      });
  };
  if (options.rules.length) tick();
  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

// KPI tiles for one window and charts of the same KPIs per hour or day (Query.kpis / kpiSeries).
// Each tile carries the raw value it shows (data-value) so tools and tests can read it exactly.
import { useCallback, useEffect, useMemo, useState } from "react";
import { request, OperationError } from "./client";
import { KPIS_QUERY, type KpisResult } from "./kpis-query";
import { presets, presetWindow, type KpiWindow, type PresetName } from "./kpi-window";
import { count, dateTime, duration, percent } from "./format";
import { Chart, type Series } from "./Chart";

const REFRESH_MS = 60_000;

interface Tile {
  id: string;
  label: string;
  value: number | null;
  text: string;
  detail: string;
  /** A value an operator should look at (open exceptions, stale positions, failed postings). */
  warn?: boolean;
}

function tilesOf(k: KpisResult["kpis"]): Tile[] {
  const lat = k.orderProcessingLatency;
  return [
    { id: "ordersReceived", label: "Orders received", value: k.ordersReceived, text: count(k.ordersReceived), detail: "captured in the window" },
    { id: "shipmentsShipped", label: "Shipments shipped", value: k.shipmentsShipped, text: count(k.shipmentsShipped), detail: "left a warehouse" },
    {
      id: "toAccepted",
      label: "Received → accepted",
      value: lat.toAccepted.p50Seconds,
      text: duration(lat.toAccepted.p50Seconds),
      detail: `p50 · p95 ${duration(lat.toAccepted.p95Seconds)} · ${lat.toAccepted.count} orders`,
    },
    {
      id: "toAllocated",
      label: "Received → allocated",
      value: lat.toAllocated.p50Seconds,
      text: duration(lat.toAllocated.p50Seconds),
      detail: `p50 · p95 ${duration(lat.toAllocated.p95Seconds)} · ${lat.toAllocated.count} orders`,
    },
    {
      id: "fulfillmentConfirmationTime",
      label: "Released → shipped",
      value: k.fulfillmentConfirmationTime.p50Seconds,
      text: duration(k.fulfillmentConfirmationTime.p50Seconds),
      detail: `p50 · p95 ${duration(k.fulfillmentConfirmationTime.p95Seconds)} · ${k.fulfillmentConfirmationTime.count} releases`,
    },
    {
      id: "deliveryTime",
      label: "Shipped → delivered",
      value: k.deliveryTime.p50Seconds,
      text: duration(k.deliveryTime.p50Seconds),
      detail: `p50 · p95 ${duration(k.deliveryTime.p95Seconds)} · ${k.deliveryTime.count} shipments`,
    },
    {
      id: "fillRate",
      label: "Fill rate",
      value: k.fillRate.rate,
      text: percent(k.fillRate.rate),
      detail: `${count(k.fillRate.unitsShipped)} of ${count(k.fillRate.unitsOrdered)} units · ${k.fillRate.orders} orders`,
    },
    {
      id: "perfectOrderRate",
      label: "Perfect orders",
      value: k.perfectOrderRate.rate,
      text: percent(k.perfectOrderRate.rate),
      detail: `${k.perfectOrderRate.perfect} of ${k.perfectOrderRate.orders} orders`,
    },
    {
      id: "invoicePostingAccuracy",
      label: "Invoice posting accuracy",
      value: k.invoicePostingAccuracy.rate,
      text: percent(k.invoicePostingAccuracy.rate),
      detail: `${k.invoicePostingAccuracy.failed} failed · ${k.invoicePostingAccuracy.pending} pending of ${k.invoicePostingAccuracy.invoices}`,
      warn: k.invoicePostingAccuracy.failed > 0,
    },
    {
      id: "inventoryFreshness",
      label: "Stock data age",
      value: k.inventoryFreshness.p95AgeSeconds,
      text: duration(k.inventoryFreshness.p95AgeSeconds),
      detail: `p95 · ${k.inventoryFreshness.staleCount} of ${k.inventoryFreshness.positions} positions older than ${duration(k.inventoryFreshness.staleAfterSeconds)}`,
      warn: k.inventoryFreshness.staleCount > 0,
    },
    {
      id: "exceptionsOpen",
      label: "Open exceptions",
      value: k.exceptions.open,
      text: count(k.exceptions.open),
      detail: `${k.exceptions.opened} raised · ${k.exceptions.resolved} resolved in the window`,
      warn: k.exceptions.open > 0,
    },
    {
      id: "resolutionTime",
      label: "Exception resolution",
      value: k.exceptions.resolutionTime.p50Seconds,
      text: duration(k.exceptions.resolutionTime.p50Seconds),
      detail: `p50 · ${k.exceptions.resolutionTime.count} resolved`,
    },
  ];
}

export function KpiPanel({ authorization, pinned, onUnauthenticated }: { authorization: string; pinned: KpiWindow | null; onUnauthenticated: () => void }) {
  const [preset, setPreset] = useState<PresetName>("7d");
  const [shown, setShown] = useState<KpiWindow>(() => pinned ?? presetWindow("7d"));
  const [data, setData] = useState<KpisResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (w: KpiWindow) => {
      setLoading(true);
      try {
        const result = await request<KpisResult>(authorization, KPIS_QUERY, { from: w.from, to: w.to, seriesFrom: w.seriesFrom, interval: w.interval });
        setData(result);
        setShown(w);
        setError(null);
      } catch (err) {
        if (err instanceof OperationError && err.unauthenticated) onUnauthenticated();
        setError(err instanceof Error ? err.message : String(err));
      } finally {
        setLoading(false);
      }
    },
    [authorization, onUnauthenticated],
  );

  // A pinned window stays put; a preset moves with the clock every minute.
  useEffect(() => {
    if (pinned) return void load(pinned);
    void load(presetWindow(preset));
    const timer = setInterval(() => void load(presetWindow(preset)), REFRESH_MS);
    return () => clearInterval(timer);
  }, [pinned, preset, load]);

  const charts = useMemo(() => {
    if (!data) return null;
    const times = data.kpiSeries.map((w) => Date.parse(w.from));
    const counts: Series[] = [
      { label: "Orders received", color: "#2563eb", values: data.kpiSeries.map((w) => w.ordersReceived) },
      { label: "Shipments shipped", color: "#16a34a", values: data.kpiSeries.map((w) => w.shipmentsShipped) },
      { label: "Exceptions raised", color: "#dc2626", values: data.kpiSeries.map((w) => w.exceptions.opened) },
    ];
    const pct = (v: number) => percent(v);
    const rates: Series[] = [
      { label: "Fill rate", color: "#7c3aed", values: data.kpiSeries.map((w) => w.fillRate.rate), format: pct },
      { label: "Perfect orders", color: "#ea580c", values: data.kpiSeries.map((w) => w.perfectOrderRate.rate), format: pct },
    ];
    return { times, counts, rates };
  }, [data]);

  return (
    <section className="panel kpis" data-testid="kpis" data-from={shown.from} data-to={shown.to} data-loaded={data ? "true" : "false"}>
      <header>
        <h2>KPIs</h2>
        <span className="muted">
          {dateTime(shown.from)} → {dateTime(shown.to)} ({shown.interval === "HOUR" ? "hourly" : "daily"} charts)
        </span>
        {!pinned && (
          <select aria-label="KPI window" value={preset} onChange={(e) => setPreset(e.target.value as PresetName)}>
            {Object.entries(presets).map(([name, p]) => (
              <option key={name} value={name}>
                {p.label}
              </option>
            ))}
          </select>
        )}
        <button type="button" onClick={() => void load(pinned ?? presetWindow(preset))} disabled={loading}>
          {loading ? "Loading…" : "Refresh"}
        </button>
      </header>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {data && (
        <>
          <div className="tiles">
            {tilesOf(data.kpis).map((t) => (
              <div key={t.id} className={`tile${t.warn ? " warn" : ""}`} data-testid={`kpi-${t.id}`} data-value={t.value ?? ""}>
                <div className="label">{t.label}</div>
                <div className="value">{t.text}</div>
                <div className="detail">{t.detail}</div>
              </div>
            ))}
          </div>
          {charts && (
            <div className="charts">
              <Chart testId="chart-counts" title="Orders, shipments and exceptions" times={charts.times} series={charts.counts} />
              <Chart testId="chart-rates" title="Fill rate and perfect orders" times={charts.times} series={charts.rates} />
            </div>
          )}
        </>
      )}
    </section>
  );
}

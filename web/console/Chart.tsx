// A time-series chart drawn by uPlot (a small canvas charting library, bundled, no CDN). Null
// values (a bucket with no sample) leave a gap rather than pretending to be zero.
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface Series {
  label: string;
  color: string;
  values: (number | null)[];
  /** Formats axis ticks and the legend; the default is the plain number. */
  format?: (v: number) => string;
}

export function Chart({ title, times, series, testId }: { title: string; times: number[]; series: Series[]; testId: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const format = series[0]?.format ?? ((v: number) => String(v));
    const plot = new uPlot(
      {
        width: Math.max(280, el.clientWidth),
        height: 200,
        series: [
          {},
          ...series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            points: { show: times.length < 40 },
            value: (_u: uPlot, v: number | null) => (v == null ? "–" : (s.format ?? String)(v)),
          })),
        ],
        axes: [{}, { values: (_u, ticks) => ticks.map(format), size: 60 }],
        scales: { x: { time: true } },
      },
      [times.map((t) => t / 1000), ...series.map((s) => s.values)] as uPlot.AlignedData,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, el.clientWidth), height: 200 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [times, series]);
  return (
    <figure className="chart" data-testid={testId} data-points={times.length}>
      <figcaption>{title}</figcaption>
      <div ref={host} />
    </figure>
  );
}

import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { RequestStats } from "../api/types.js";

/**
 * Requests and errors per minute over the last hour, drawn with uPlot (a canvas chart of ~50 kB that
 * sets styles only through the CSSOM, so it runs under a CSP without 'unsafe-inline'). The chart
 * follows its container's width; `update` swaps the data without rebuilding it.
 */
export function perMinuteChart(container: HTMLElement): {
  update(stats: RequestStats): void;
  destroy(): void;
} {
  let plot: uPlot | undefined;
  const dark = matchMedia("(prefers-color-scheme: dark)").matches;
  const axis = { stroke: dark ? "#c9d1d9" : "#333", grid: { stroke: dark ? "#30363d" : "#e5e5e5" } };
  const width = () => Math.max(280, container.clientWidth);
  const options = (): uPlot.Options => ({
    width: width(),
    height: 220,
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    axes: [axis, { ...axis, size: 44 }],
    series: [
      {},
      { label: "Requests", stroke: "#1f6feb", fill: "rgba(31,111,235,0.12)", width: 2 },
      { label: "Errors", stroke: "#d1242f", fill: "rgba(209,36,47,0.18)", width: 2 },
    ],
  });
  const data = (stats: RequestStats): uPlot.AlignedData => [
    stats.perMinute.map((m) => Date.parse(m.minute) / 1000),
    stats.perMinute.map((m) => m.requests),
    stats.perMinute.map((m) => m.errors),
  ];
  const resize = new ResizeObserver(() => plot?.setSize({ width: width(), height: 220 }));
  resize.observe(container);
  return {
    update(stats) {
      if (plot) plot.setData(data(stats));
      else plot = new uPlot(options(), data(stats), container);
    },
    destroy() {
      resize.disconnect();
      plot?.destroy();
    },
  };
}

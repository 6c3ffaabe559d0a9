import { Resvg } from "@resvg/resvg-js";
import type { TopLevelSpec } from "vega-lite";
import type { ClusterProgressView } from "./scanProgress.js";
import { thinCurve } from "./scanProgress.js";

/**
 * The progress chart: scanned files over the cycle per node, with the
 * previous cycle's course as a dashed line for comparison. Vega-Lite
 * describes it, Vega renders it to SVG (pure JavaScript), resvg turns the SVG
 * into a PNG (a prebuilt binary inside its npm package: no build step, no download).
 */

export interface ProgressChart {
  png: Buffer;
  /** One sentence saying what the picture shows, for alt text and text-only platforms. */
  altText: string;
  points: number;
}

export interface ChartOptions {
  /** Width of the PNG in pixels (default 640); Teams cards want it small. */
  width?: number;
  title?: string;
}

/** Points drawn per line at most: more add nothing at chat sizes and cost render time. */
const pointsPerLine = 300;

interface Point {
  /** Minutes since the cycle started (the earliest reading of the current cycle). */
  minutes: number;
  files: number;
  series: string;
}

/** Series name of the previous cycle's line. */
export const previousSeries = "previous cycle";

/**
 * The chart's data: one series per node, plus the previous cycle's cluster curve when one was kept,
 * all in minutes since their cycle started (the current one: as the nodes' elapsed time says, else
 * the first reading).
 */
export function chartPoints(view: ClusterProgressView): Point[] {
  const starts = view.nodes.flatMap((n) => (n.current.samples[0] ? [n.current.samples[0].at] : []));
  if (starts.length === 0) return [];
  const origin = Math.min(view.startedAt ?? Number.POSITIVE_INFINITY, ...starts);
  const points: Point[] = [];
  for (const n of view.nodes) {
    for (const s of thinCurve(n.current.samples, pointsPerLine)) {
      points.push({ minutes: (s.at - origin) / 60_000, files: s.files, series: n.current.node });
    }
  }
  for (const [seconds, files] of thinCurve(view.previous?.curve ?? [], pointsPerLine)) {
    points.push({ minutes: seconds / 60, files, series: previousSeries });
  }
  return points;
}

/** The Vega-Lite spec for the points. */
function chartSpec(points: Point[], width: number, title: string): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    width,
    height: Math.round(width * 0.45),
    background: "white",
    data: { values: points },
    mark: { type: "line", point: points.length <= 2 },
    encoding: {
      x: { field: "minutes", type: "quantitative", title: "minutes since the cycle started" },
      y: { field: "files", type: "quantitative", title: "scanned files" },
      color: { field: "series", type: "nominal", title: null },
      strokeDash: {
        condition: { test: `datum.series === '${previousSeries}'`, value: [6, 4] },
        value: [1, 0],
      },
    },
    config: { font: "DejaVu Sans, Arial, sans-serif", legend: { orient: "bottom" } },
  };
}

/** Renders the chart of a cluster's (or node's) current cycle; undefined when there is not a single reading. */
export async function renderProgressChart(
  view: ClusterProgressView,
  options: ChartOptions = {},
): Promise<ProgressChart | undefined> {
  const points = chartPoints(view);
  if (points.length === 0) return undefined;
  const width = options.width ?? 640;
  const title = options.title ?? `Scanned files, cluster ${view.cluster}`;
  // Vega and Vega-Lite are ES modules only: the CommonJS bot bundle can load them with import() alone.
  const [vega, { compile }] = await Promise.all([import("vega"), import("vega-lite")]);
  const { spec } = compile(chartSpec(points, Math.round(width * 0.8), title));
  const runtime = new vega.View(vega.parse(spec), { renderer: "none" });
  const svg = await runtime.toSVG();
  runtime.finalize();
  const png = new Resvg(svg, {
    fitTo: { mode: "width", value: width },
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
  })
    .render()
    .asPng();
  const nodes = view.nodes.length;
  // A basis from Summary reports has totals but no course to draw.
  const previous = view.previous?.curve.length ? ", and the previous cycle's course dashed" : "";
  return {
    png,
    altText: `${title}: scanned files over time for ${nodes} node${nodes === 1 ? "" : "s"}${previous}.`,
    points: points.length,
  };
}

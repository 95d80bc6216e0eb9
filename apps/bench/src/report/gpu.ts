/**
 * The GPU-buffer workload's part of the report: failed requests at each occupancy for every heap (a line chart
 * and a table), the buffer's picture after the run per heap, and the curve as terminal lines.
 */
import type { GpuCurve } from "./model.js";
import { addressSpaceChart, buddyinfoText, esc } from "./svg.js";

const HEAP_COLOURS = ["#f28e2b", "#4e79a7", "#59a14f", "#e15759"];
const pct = (x: number) => `${Math.round(x * 100)}%`;
const MiB = 2 ** 20;
/** The chart's size in pixels and its margins; the legend sits in the right one. */
const CHART = { width: 680, height: 240, left: 48, right: 190, top: 12, bottom: 40 } as const;

/** Failed share of the requests at each occupancy, one line per heap. */
export function gpuCurveChart(curves: readonly GpuCurve[]): string {
  const { width, height, left, right, top, bottom } = CHART;
  const occupancies = curves[0]?.steps.map((s) => s.occupancy) ?? [];
  const x = (o: number) => left + o * (width - left - right);
  const y = (share: number) => top + (1 - share) * (height - top - bottom);
  const parts = [
    `<svg class="gpu" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="failed requests by occupancy">`,
  ];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(
      `<line x1="${left}" x2="${width - right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#eee"/>`,
      `<text x="${left - 4}" y="${(y(t) + 4).toFixed(1)}" font-size="10" text-anchor="end" fill="#555">${pct(t)}</text>`,
    );
  }
  for (const o of occupancies) {
    parts.push(
      `<text x="${x(o).toFixed(1)}" y="${height - bottom + 14}" font-size="10" text-anchor="middle">${pct(o)}</text>`,
    );
  }
  parts.push(
    `<line x1="${left}" x2="${left}" y1="${top}" y2="${height - bottom}" stroke="#888"/>`,
    `<line x1="${left}" x2="${width - right}" y1="${height - bottom}" y2="${height - bottom}" stroke="#888"/>`,
    `<text x="${left}" y="${height - 6}" font-size="10" fill="#555">x: target occupancy of the buffer; y: failed requests / requests in that step</text>`,
  );
  curves.forEach((c, k) => {
    const colour = HEAP_COLOURS[k % HEAP_COLOURS.length]!;
    const share = (s: GpuCurve["steps"][number]) => (s.requests === 0 ? 0 : s.failed / s.requests);
    const pts = c.steps.map((s) => `${x(s.occupancy).toFixed(1)},${y(share(s)).toFixed(1)}`);
    parts.push(`<polyline points="${pts.join(" ")}" fill="none" stroke="${colour}" stroke-width="1.5"/>`);
    for (const s of c.steps) {
      parts.push(
        `<circle cx="${x(s.occupancy).toFixed(1)}" cy="${y(share(s)).toFixed(1)}" r="3" fill="${colour}"><title>${esc(c.heap)} at ${pct(s.occupancy)}: ${s.failed} of ${s.requests} failed</title></circle>`,
      );
    }
    parts.push(
      `<rect x="${width - right + 12}" y="${top + k * 18}" width="12" height="12" fill="${colour}"/>`,
      `<text x="${width - right + 30}" y="${top + k * 18 + 10}" font-size="11">${esc(c.heap)}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("");
}

/** The curve as a table: per occupancy, failed/requests, live MiB and largest free MiB of each heap. */
export function gpuCurveTable(curves: readonly GpuCurve[]): string {
  const head = curves
    .map((c) => `<th>${esc(c.heap)}: failed / requests</th><th>live MiB</th><th>largest free MiB</th>`)
    .join("");
  const rows = (curves[0]?.steps ?? [])
    .map(
      (s, i) =>
        `<tr><td>${pct(s.occupancy)}</td>${curves
          .map((c) => {
            const t = c.steps[i]!;
            return `<td>${t.failed} / ${t.requests}</td><td>${(t.liveBytes / MiB).toFixed(1)}</td><td>${(t.largestFree / MiB).toFixed(2)}</td>`;
          })
          .join("")}</tr>`,
    )
    .join("");
  return `<table><tr><th>occupancy</th>${head}</tr>${rows}</table>`;
}

/** The HTML block: chart, table, then each heap's picture of the buffer after the run. */
export function gpuSection(curves: readonly GpuCurve[]): string {
  const pictures = curves
    .map(
      (c) => `<h3>${esc(c.heap)}: the buffer after the run (free space by aligned block size; grey = allocated)</h3>
${addressSpaceChart(c.addressSpace)}
<pre>${esc(buddyinfoText(c.addressSpace))}</pre>`,
    )
    .join("\n");
  return `<h3>Failed requests at each occupancy</h3>
${gpuCurveChart(curves)}
${gpuCurveTable(curves)}
${pictures}`;
}

/** One terminal line per heap: `heap: 10% 0/8000 · 20% 0/8000 · …`. */
export function gpuCurveLines(id: string, curves: readonly GpuCurve[]): string[] {
  return curves.map(
    (c) =>
      `${id}, ${c.heap}: failed/requests by occupancy ${c.steps.map((s) => `${pct(s.occupancy)} ${s.failed}/${s.requests}`).join(" · ")}`,
  );
}

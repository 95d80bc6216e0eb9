/**
 * Hand-written SVG charts (no libraries, no scripts): a ns/op bar chart with the spread drawn on each bar, a
 * line chart for the span-growth series, and the address-space picture.
 */
import { formatAddress, formatBytes } from "@mm/hal";
import type { AddressSpace, Row, WorkloadReport } from "./model.js";

export const esc = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const fmt = (x: number) => (x < 10 ? x.toFixed(2) : x < 1000 ? x.toFixed(1) : x.toFixed(0));

export const BACKEND_COLOURS: Record<string, string> = {
  "sorted-array": "#4e79a7",
  "red-black-tree": "#e15759",
  bitmap: "#59a14f",
  "int32-free-stack": "#9c9c9c",
  "@thi.ng/malloc": "#b07aa1",
};
const colourOf = (name: string) => BACKEND_COLOURS[name] ?? "#f28e2b";

/** About `count` round tick values (1, 2 or 5 × 10^k apart) from 0 to at least `max`. */
export function linearTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = 0; v < max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1]! < max) ticks.push(Number((ticks.length * step).toPrecision(12)));
  return ticks;
}

/** Round ticks for a log axis: 1, 2, 5 × 10^k from the decade below `lo` to the first tick at or above `hi`. */
export function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); ; e++) {
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** e).toPrecision(12));
      if (v * 2.5 < lo && ticks.length === 0) continue;
      ticks.push(v);
      if (v >= hi) return ticks;
    }
  }
}

/** A baseline dwarfs the backends when the slowest median is this many times the fastest: draw a log axis. */
export const LOG_SCALE_RATIO = 8;

/**
 * Horizontal bars of median ns/op; the box is the interquartile range, the whisker min–max. When one row (a
 * baseline, typically) is more than {@link LOG_SCALE_RATIO}× another, the axis is logarithmic, so the backends'
 * differences stay visible next to it.
 */
export function barChart(rows: readonly Row[], ops?: number): string {
  const width = 720;
  const labelW = 240;
  const rowH = 26;
  const top = 8;
  const plotW = width - labelW - 60;
  const medians = rows.map((r) => r.nsPerOp.median);
  const log = Math.max(...medians) / Math.min(...medians) > LOG_SCALE_RATIO;
  const ticks = log
    ? logTicks(Math.min(...rows.map((r) => r.nsPerOp.min)), Math.max(...rows.map((r) => r.nsPerOp.max)))
    : linearTicks(Math.max(...rows.map((r) => r.nsPerOp.max)));
  const lo = log ? ticks[0]! : 0;
  const hi = ticks[ticks.length - 1]!;
  const x = log
    ? (v: number) => labelW + ((Math.log(Math.max(v, lo)) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))) * plotW
    : (v: number) => labelW + (v / hi) * plotW;
  const height = top + rows.length * rowH + 40;
  const parts: string[] = [
    `<svg class="bars" data-scale="${log ? "log" : "linear"}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="ns per op by backend">`,
  ];
  for (const t of ticks) {
    parts.push(
      `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${top}" y2="${top + rows.length * rowH + 4}" stroke="#eee"/>`,
    );
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const c = colourOf(r.backend);
    const prefix = r.baseline && ops !== undefined && r.ops < ops;
    const label = r.baseline ? `${r.backend} (baseline${prefix ? ", prefix" : ""})` : r.backend;
    parts.push(
      `<text x="${labelW - 6}" y="${y + 16}" text-anchor="end" font-size="12"${r.baseline ? ' fill="#666" font-style="italic"' : ""}>${esc(label)}</text>`,
      `<rect class="bar" x="${labelW}" y="${y + 4}" width="${Math.max(1, x(r.nsPerOp.median) - labelW).toFixed(1)}" height="16" fill="${c}" opacity="${r.baseline ? 0.45 : 0.85}"><title>${esc(r.backend)}: median ${fmt(r.nsPerOp.median)} ns/op, IQR ${fmt(r.nsPerOp.q1)}–${fmt(r.nsPerOp.q3)}, min–max ${fmt(r.nsPerOp.min)}–${fmt(r.nsPerOp.max)}${prefix ? `; over the first ${r.ops} ops only` : ""}</title></rect>`,
      `<line x1="${x(r.nsPerOp.min).toFixed(1)}" x2="${x(r.nsPerOp.max).toFixed(1)}" y1="${y + 12}" y2="${y + 12}" stroke="#222" stroke-width="1"/>`,
      `<rect x="${x(r.nsPerOp.q1).toFixed(1)}" y="${y + 8}" width="${Math.max(1, x(r.nsPerOp.q3) - x(r.nsPerOp.q1)).toFixed(1)}" height="8" fill="none" stroke="#222" stroke-width="1"/>`,
      `<text x="${(x(r.nsPerOp.max) + 6).toFixed(1)}" y="${y + 16}" font-size="12">${fmt(r.nsPerOp.median)}</text>`,
    );
  });
  const axisY = top + rows.length * rowH + 4;
  parts.push(`<line x1="${labelW}" x2="${labelW + plotW}" y1="${axisY}" y2="${axisY}" stroke="#888"/>`);
  for (const t of ticks) {
    parts.push(
      `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${axisY}" y2="${axisY + 4}" stroke="#888"/>`,
      `<text class="tick" x="${x(t).toFixed(1)}" y="${axisY + 15}" font-size="10" text-anchor="middle" fill="#555">${t}</text>`,
    );
  }
  parts.push(
    `<text x="${labelW + plotW}" y="${axisY + 29}" font-size="10" text-anchor="end" fill="#555">ns/op${log ? `, log scale: a row is over ${LOG_SCALE_RATIO}× another` : ""}</text>`,
    "</svg>",
  );
  return parts.join("");
}

/** The address span a span-growth workload's ranges are spread over: the power of two above its last range. */
export function spanOf(w: WorkloadReport): number {
  const last = w.addressSpace?.ranges[w.addressSpace.ranges.length - 1];
  return last ? 2 ** Math.ceil(Math.log2(last.end)) : Number.NaN;
}

/** The span chart's size and its margins around the plot, in px (the right margin holds the legend). */
const SPAN_CHART = { width: 680, height: 260, left: 56, right: 150, top: 12, bottom: 40 } as const;

/**
 * Median ns/op per backend against the managed span, with each point's interquartile range as a bar and
 * min–max as a faint whisker. The x axis is log₂ of the span, to scale: 1 GiB, 1 TiB and 1 PiB are 10 doublings
 * apart, 4 PiB two more. Flat lines mean per-op cost does not grow with address magnitude.
 */
export function spanChart(workloads: readonly WorkloadReport[]): string {
  const { width, height, left, right, top, bottom } = SPAN_CHART;
  const backends = [...new Set(workloads.flatMap((w) => w.rows.filter((r) => !r.baseline).map((r) => r.backend)))];
  const ticks = linearTicks(Math.max(...workloads.flatMap((w) => w.rows.map((r) => r.nsPerOp.q3))));
  const max = ticks[ticks.length - 1]!;
  const bits = workloads.map((w) => Math.log2(spanOf(w)));
  const minBits = Math.min(...bits);
  const maxBits = Math.max(...bits);
  const x = (b: number) =>
    left + (maxBits === minBits ? 0 : ((b - minBits) / (maxBits - minBits)) * (width - left - right));
  const y = (v: number) => top + (1 - v / max) * (height - top - bottom);
  const parts = [
    `<svg class="spans" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="ns per op by managed span">`,
  ];
  for (const t of ticks) {
    parts.push(
      `<line x1="${left}" x2="${width - right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#eee"/>`,
      `<text class="tick" x="${left - 4}" y="${(y(t) + 4).toFixed(1)}" font-size="10" text-anchor="end" fill="#555">${t}</text>`,
    );
  }
  parts.push(
    `<line x1="${left}" x2="${left}" y1="${top}" y2="${height - bottom}" stroke="#888"/>`,
    `<line x1="${left}" x2="${width - right}" y1="${height - bottom}" y2="${height - bottom}" stroke="#888"/>`,
  );
  workloads.forEach((w, i) => {
    parts.push(
      `<line x1="${x(bits[i]!).toFixed(1)}" x2="${x(bits[i]!).toFixed(1)}" y1="${height - bottom}" y2="${height - bottom + 4}" stroke="#888"/>`,
      `<text x="${x(bits[i]!).toFixed(1)}" y="${height - bottom + 16}" font-size="11" text-anchor="middle">${esc(formatBytes(spanOf(w)))}</text>`,
    );
  });
  parts.push(
    `<text x="${left}" y="${height - 6}" font-size="10" fill="#555">managed span, log₂ scale (16 × 16 MiB ranges spread over it); y: ns/op, dot = median, bar = IQR, whisker = min–max</text>`,
  );
  backends.forEach((b, k) => {
    const dx = (k - (backends.length - 1) / 2) * 5; // side by side, so the bars do not hide each other
    const pts: string[] = [];
    workloads.forEach((w, i) => {
      const r = w.rows.find((row) => row.backend === b);
      if (!r) return;
      const cx = x(bits[i]!) + dx;
      pts.push(`${cx.toFixed(1)},${y(r.nsPerOp.median).toFixed(1)}`);
      parts.push(
        `<line x1="${cx.toFixed(1)}" x2="${cx.toFixed(1)}" y1="${y(Math.min(r.nsPerOp.max, max)).toFixed(1)}" y2="${y(r.nsPerOp.min).toFixed(1)}" stroke="${colourOf(b)}" stroke-opacity="0.35"/>`,
        `<rect x="${(cx - 2).toFixed(1)}" y="${y(r.nsPerOp.q3).toFixed(1)}" width="4" height="${Math.max(1, y(r.nsPerOp.q1) - y(r.nsPerOp.q3)).toFixed(1)}" fill="${colourOf(b)}" fill-opacity="0.5"/>`,
        `<circle class="point" cx="${cx.toFixed(1)}" cy="${y(r.nsPerOp.median).toFixed(1)}" r="3" fill="${colourOf(b)}"><title>${esc(b)} at ${esc(formatBytes(spanOf(w)))}: median ${fmt(r.nsPerOp.median)} ns/op, IQR ${fmt(r.nsPerOp.q1)}–${fmt(r.nsPerOp.q3)}</title></circle>`,
      );
    });
    parts.push(
      `<polyline points="${pts.join(" ")}" fill="none" stroke="${colourOf(b)}" stroke-width="1.5"/>`,
      `<rect x="${width - right + 12}" y="${top + k * 18}" width="12" height="12" fill="${colourOf(b)}"/>`,
      `<text x="${width - right + 30}" y="${top + k * 18 + 10}" font-size="11">${esc(b)}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("");
}

/** Colours for orders 0..maxOrder: light (small, fragmented) to dark (large, coalesced). */
export function orderColour(order: number, maxOrder: number): string {
  const t = maxOrder === 0 ? 1 : order / maxOrder;
  const hue = 50 + t * 240; // yellow → green → blue → violet
  const light = 72 - t * 34;
  return `hsl(${hue.toFixed(0)},70%,${light.toFixed(0)}%)`;
}

const hex = (n: number) => formatAddress(n, 1);

/**
 * The managed address space after the workload: one strip per managed range (gaps between ranges left out),
 * free memory coloured by block order, allocated memory grey. Each pixel column takes the colour of the order
 * holding most of its free bytes, more opaque the more of the column is free, so a million-frame range still
 * draws in a few hundred rectangles.
 */
export function addressSpaceChart(space: AddressSpace): string {
  const width = 960;
  const labelW = 270;
  const stripW = width - labelW - 10;
  const stripH = 22;
  const gap = 12;
  const n = space.ranges.length;
  const legendH = 34;
  const scaleH = 24;
  const height = n * (stripH + gap) + scaleH + legendH;
  // Each strip's width is its range's size, to the scale of the largest (at least a few px, to stay visible).
  const maxLen = Math.max(...space.ranges.map((r) => r.end - r.start));
  const widthOf = space.ranges.map((r) => Math.max(4, Math.round((stripW * (r.end - r.start)) / maxLen)));
  const parts = [
    `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="free blocks by order along the address space">`,
  ];
  // Per range, per pixel column: free bytes per order.
  const columns = space.ranges.map(() => new Map<number, Float64Array>());
  const blocks = space.freeBlocks;
  let ri = 0;
  const sorted: [number, number][] = [];
  for (let i = 0; i < blocks.length; i += 2) sorted.push([blocks[i]!, blocks[i + 1]!]);
  sorted.sort((a, b) => a[0] - b[0]);
  for (const [addr, order] of sorted) {
    while (ri < n - 1 && addr >= space.ranges[ri]!.end) ri++;
    const r = space.ranges[ri]!;
    const len = r.end - r.start;
    const w = widthOf[ri]!;
    const size = space.baseSize * 2 ** order;
    const x0 = ((addr - r.start) / len) * w;
    const x1 = ((addr + size - r.start) / len) * w;
    for (let px = Math.floor(x0); px < Math.min(w, Math.ceil(x1)); px++) {
      const overlap = Math.min(x1, px + 1) - Math.max(x0, px);
      if (overlap <= 0) continue;
      let col = columns[ri]!.get(px);
      if (!col) {
        col = new Float64Array(space.maxOrder + 1);
        columns[ri]!.set(px, col);
      }
      col[order]! += overlap;
    }
  }
  space.ranges.forEach((r, i) => {
    const y = i * (stripH + gap) + 4;
    const info = space.buddyinfo[i]!;
    parts.push(
      `<text x="${labelW - 8}" y="${y + 10}" text-anchor="end" font-size="10" font-family="monospace">${hex(r.start)}–${hex(r.end)}</text>`,
      `<text x="${labelW - 8}" y="${y + 22}" text-anchor="end" font-size="10" fill="#555">${formatBytes(r.end - r.start)}</text>`,
      `<rect class="strip" x="${labelW}" y="${y}" width="${widthOf[i]}" height="${stripH}" fill="#d9d9d9" stroke="#999" stroke-width="0.5"><title>range ${i}: ${hex(r.start)}–${hex(r.end)}, free blocks per order: ${info.join(" ")}</title></rect>`,
    );
    // Merge runs of columns with the same colour and opacity.
    let runStart = -1;
    let runFill = "";
    let runOpacity = "";
    const flush = (end: number) => {
      if (runStart >= 0 && runFill) {
        parts.push(
          `<rect x="${labelW + runStart}" y="${y}" width="${end - runStart}" height="${stripH}" fill="${runFill}" fill-opacity="${runOpacity}"/>`,
        );
      }
    };
    for (let px = 0; px < widthOf[i]!; px++) {
      const col = columns[i]!.get(px);
      let fill = "";
      let opacity = "";
      if (col) {
        let best = 0;
        let total = 0;
        for (let o = 0; o <= space.maxOrder; o++) {
          total += col[o]!;
          if (col[o]! > col[best]!) best = o;
        }
        fill = orderColour(best, space.maxOrder);
        opacity = Math.max(0.35, Math.min(1, total)).toFixed(1);
      }
      if (fill !== runFill || opacity !== runOpacity) {
        flush(px);
        runStart = px;
        runFill = fill;
        runOpacity = opacity;
      }
    }
    flush(widthOf[i]!);
    if (i < n - 1) {
      const gy = y + stripH + gap / 2;
      const hidden = space.ranges[i + 1]!.start - r.end;
      if (hidden > 0) {
        parts.push(
          `<text x="${labelW + stripW / 2}" y="${gy + 3}" text-anchor="middle" font-size="9" fill="#777">⋯ ${formatBytes(hidden)} not managed ⋯</text>`,
        );
      }
    }
  });
  // Scale bar: a power of two of bytes, a quarter to a half of the widest strip.
  const barBytes = 2 ** Math.floor(Math.log2(maxLen / 2));
  const barW = (stripW * barBytes) / maxLen;
  const sy = n * (stripH + gap) + 6;
  parts.push(
    `<path d="M${labelW} ${sy} v8 M${labelW} ${sy + 4} h${barW.toFixed(1)} M${(labelW + barW).toFixed(1)} ${sy} v8" stroke="#333" fill="none"/>`,
    `<text x="${(labelW + barW + 6).toFixed(1)}" y="${sy + 8}" font-size="10" fill="#333">${formatBytes(barBytes)} (strip widths to scale)</text>`,
  );
  // Legend.
  const ly = n * (stripH + gap) + scaleH + 8;
  parts.push(`<text x="${labelW - 8}" y="${ly + 11}" text-anchor="end" font-size="11">free, by order:</text>`);
  const box = Math.min(40, stripW / (space.maxOrder + 2));
  for (let o = 0; o <= space.maxOrder; o++) {
    const x = labelW + o * box;
    parts.push(
      `<rect x="${x}" y="${ly}" width="${box - 2}" height="14" fill="${orderColour(o, space.maxOrder)}"/>`,
      `<text x="${x + (box - 2) / 2}" y="${ly + 26}" text-anchor="middle" font-size="9">${o}</text>`,
    );
  }
  const ax = labelW + (space.maxOrder + 1) * box + 10;
  parts.push(
    `<rect x="${ax}" y="${ly}" width="${box - 2}" height="14" fill="#d9d9d9" stroke="#999" stroke-width="0.5"/>`,
    `<text x="${ax + box + 2}" y="${ly + 11}" font-size="11">allocated</text>`,
    "</svg>",
  );
  return parts.join("");
}

/** The per-order free counts in the shape of /proc/buddyinfo, one line per managed range, then the total. */
export function buddyinfoText(space: AddressSpace): string {
  const labels = space.ranges.map((r, i) => `Range ${i} ${hex(r.start)}-${hex(r.end)}`);
  const pad = Math.max(20, ...labels.map((l) => l.length)) + 2;
  const head = `${"".padEnd(pad)}${Array.from({ length: space.maxOrder + 1 }, (_, o) => String(o).padStart(7)).join("")}`;
  const line = (label: string, counts: readonly number[]) =>
    `${label.padEnd(pad)}${counts.map((c) => String(c).padStart(7)).join("")}`;
  const lines = [head];
  labels.forEach((label, i) => {
    lines.push(line(label, space.buddyinfo[i]!));
  });
  lines.push(line("Total (nr_free)", space.nrFree));
  return lines.join("\n");
}

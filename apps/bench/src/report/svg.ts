/**
 * Hand-written SVG charts (no libraries, no scripts): a ns/op bar chart with the spread drawn on each bar, a
 * line chart for the span-growth series, and the address-space picture.
 */
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

/** Horizontal bars of median ns/op; the box is the interquartile range, the whisker min–max. */
export function barChart(rows: readonly Row[]): string {
  const width = 640;
  const labelW = 150;
  const rowH = 26;
  const top = 8;
  const plotW = width - labelW - 90;
  const max = Math.max(...rows.map((r) => r.nsPerOp.max)) * 1.05 || 1;
  const x = (v: number) => labelW + (v / max) * plotW;
  const height = top + rows.length * rowH + 24;
  const parts: string[] = [
    `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="ns per op by backend">`,
  ];
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const c = colourOf(r.backend);
    parts.push(
      `<text x="${labelW - 6}" y="${y + 16}" text-anchor="end" font-size="12">${esc(r.backend)}</text>`,
      `<rect x="${labelW}" y="${y + 4}" width="${Math.max(1, x(r.nsPerOp.median) - labelW).toFixed(1)}" height="16" fill="${c}" opacity="${r.baseline ? 0.45 : 0.85}"><title>${esc(r.backend)}: median ${fmt(r.nsPerOp.median)} ns/op, IQR ${fmt(r.nsPerOp.q1)}–${fmt(r.nsPerOp.q3)}, min–max ${fmt(r.nsPerOp.min)}–${fmt(r.nsPerOp.max)}</title></rect>`,
      `<line x1="${x(r.nsPerOp.min).toFixed(1)}" x2="${x(r.nsPerOp.max).toFixed(1)}" y1="${y + 12}" y2="${y + 12}" stroke="#222" stroke-width="1"/>`,
      `<rect x="${x(r.nsPerOp.q1).toFixed(1)}" y="${y + 8}" width="${Math.max(1, x(r.nsPerOp.q3) - x(r.nsPerOp.q1)).toFixed(1)}" height="8" fill="none" stroke="#222" stroke-width="1"/>`,
      `<text x="${(x(r.nsPerOp.max) + 6).toFixed(1)}" y="${y + 16}" font-size="12">${fmt(r.nsPerOp.median)}</text>`,
    );
  });
  const axisY = top + rows.length * rowH + 4;
  parts.push(`<line x1="${labelW}" x2="${labelW + plotW}" y1="${axisY}" y2="${axisY}" stroke="#888"/>`);
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    parts.push(
      `<text x="${x(v).toFixed(1)}" y="${axisY + 14}" font-size="10" text-anchor="middle" fill="#555">${fmt(v)}</text>`,
    );
  }
  parts.push(`<text x="${labelW + plotW + 30}" y="${axisY + 14}" font-size="10" fill="#555">ns/op</text>`, "</svg>");
  return parts.join("");
}

/** Median ns/op per backend across the span-growth workloads: flat lines mean cost does not grow with addresses. */
export function spanChart(workloads: readonly WorkloadReport[]): string {
  const width = 640;
  const height = 240;
  const left = 50;
  const right = 150;
  const top = 12;
  const bottom = 36;
  const backends = [...new Set(workloads.flatMap((w) => w.rows.map((r) => r.backend)))];
  const max = Math.max(...workloads.flatMap((w) => w.rows.map((r) => r.nsPerOp.q3))) * 1.1 || 1;
  const x = (i: number) => left + (workloads.length === 1 ? 0 : (i / (workloads.length - 1)) * (width - left - right));
  const y = (v: number) => top + (1 - v / max) * (height - top - bottom);
  const parts = [
    `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="ns per op by managed span">`,
    `<line x1="${left}" x2="${left}" y1="${top}" y2="${height - bottom}" stroke="#888"/>`,
    `<line x1="${left}" x2="${width - right}" y1="${height - bottom}" y2="${height - bottom}" stroke="#888"/>`,
  ];
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    parts.push(`<text x="${left - 4}" y="${y(v) + 4}" font-size="10" text-anchor="end" fill="#555">${fmt(v)}</text>`);
  }
  workloads.forEach((w, i) => {
    parts.push(
      `<text x="${x(i)}" y="${height - bottom + 16}" font-size="11" text-anchor="middle">${esc(w.title.replace(/^Span /, ""))}</text>`,
    );
  });
  parts.push(
    `<text x="${left}" y="${height - 4}" font-size="10" fill="#555">managed span (16 × 16 MiB ranges spread over it); y: median ns/op</text>`,
  );
  backends.forEach((b, k) => {
    const pts = workloads
      .map((w, i) => {
        const r = w.rows.find((row) => row.backend === b);
        return r ? `${x(i).toFixed(1)},${y(r.nsPerOp.median).toFixed(1)}` : undefined;
      })
      .filter((p) => p !== undefined);
    parts.push(
      `<polyline points="${pts.join(" ")}" fill="none" stroke="${colourOf(b)}" stroke-width="2"/>`,
      ...pts.map((p) => `<circle cx="${p!.split(",")[0]}" cy="${p!.split(",")[1]}" r="3" fill="${colourOf(b)}"/>`),
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

const hex = (n: number) => `0x${n.toString(16)}`;
const bytes = (n: number) => {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return `${Number.isInteger(n) ? n : n.toFixed(1)} ${units[u]}`;
};

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
  const height = n * (stripH + gap) + legendH;
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
    const size = space.baseSize * 2 ** order;
    const x0 = ((addr - r.start) / len) * stripW;
    const x1 = ((addr + size - r.start) / len) * stripW;
    for (let px = Math.floor(x0); px < Math.min(stripW, Math.ceil(x1)); px++) {
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
      `<text x="${labelW - 8}" y="${y + 22}" text-anchor="end" font-size="10" fill="#555">${bytes(r.end - r.start)}</text>`,
      `<rect x="${labelW}" y="${y}" width="${stripW}" height="${stripH}" fill="#d9d9d9" stroke="#999" stroke-width="0.5"><title>range ${i}: ${hex(r.start)}–${hex(r.end)}, free blocks per order: ${info.join(" ")}</title></rect>`,
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
    for (let px = 0; px < stripW; px++) {
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
    flush(stripW);
    if (i < n - 1) {
      const gy = y + stripH + gap / 2;
      const hidden = space.ranges[i + 1]!.start - r.end;
      if (hidden > 0) {
        parts.push(
          `<text x="${labelW + stripW / 2}" y="${gy + 3}" text-anchor="middle" font-size="9" fill="#777">⋯ ${bytes(hidden)} not managed ⋯</text>`,
        );
      }
    }
  });
  // Legend.
  const ly = n * (stripH + gap) + 8;
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

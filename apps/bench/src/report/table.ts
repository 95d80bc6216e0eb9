/**
 * The terminal table: plain aligned columns (no Markdown), one block of rows per workload, baselines marked and
 * their prefix-only replays said next to them; then the recommendations and one verdict line per backend.
 */
import { gpuCurveLines } from "./gpu.js";
import type { Report, Row, WorkloadReport } from "./model.js";

const fmtNs = (x: number) => (x < 10 ? x.toFixed(2) : x < 1000 ? x.toFixed(1) : x.toFixed(0));
const fmtOps = (x: number) =>
  x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0);

/** Rows of cells as aligned text: numbers (the `right` columns) right-aligned, the rest left-aligned. */
export function alignColumns(rows: readonly (readonly string[])[], right: ReadonlySet<number>): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, [...cell].length);
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => {
        const pad = " ".repeat(widths[i]! - [...cell].length);
        return right.has(i) ? pad + cell : cell + pad;
      })
      .join("  ")
      .trimEnd(),
  );
}

/** A baseline that timed fewer ops than the workload has: it replayed a prefix. */
export const replaysPrefix = (w: WorkloadReport, r: Row) => r.baseline && r.ops < w.ops;

function backendCell(w: WorkloadReport, r: Row): string {
  if (!r.baseline) return r.backend;
  return `${r.backend} (baseline${replaysPrefix(w, r) ? ", prefix" : ""})`;
}

function standing(w: WorkloadReport, r: Row): string {
  const rec = w.recommendation;
  if (!rec || r.baseline) return "";
  if (rec.backend === r.backend) return "recommended";
  return rec.tied.includes(r.backend) ? "tied" : "";
}

const HEAD = ["workload", "backend", "ns/op", "IQR", "runs", "ops/s", "vs best", "meta B/frame", "failed", ""];
const RIGHT = new Set([2, 3, 4, 5, 6, 7, 8]);

/** The table block of a report's workloads (no header line). */
export function formatRows(report: Report): string[] {
  const cells: string[][] = [HEAD];
  for (const w of report.workloads) {
    w.rows.forEach((r, i) => {
      cells.push([
        i === 0 ? w.id : "",
        backendCell(w, r),
        fmtNs(r.nsPerOp.median),
        `${fmtNs(r.nsPerOp.q1)}–${fmtNs(r.nsPerOp.q3)}`,
        String(r.runs),
        fmtOps(r.opsPerSec),
        `${r.relative.toFixed(2)}×`,
        r.metadataBytesPerFrame === null ? "–" : r.metadataBytesPerFrame.toFixed(3),
        String(r.failed),
        standing(w, r),
      ]);
    });
  }
  const lines = alignColumns(cells, RIGHT);
  const rule = "-".repeat(Math.max(...lines.map((l) => [...l].length)));
  return [lines[0]!, rule, ...lines.slice(1)];
}

/** Lines under the table: what the marks and the failed column mean, where they occur. */
export function tableNotes(report: Report): string[] {
  const notes: string[] = [];
  const prefixed = report.workloads.flatMap((w) =>
    w.rows.filter((r) => replaysPrefix(w, r)).map((r) => `${r.backend} on ${w.id}: first ${r.ops} of ${w.ops} ops`),
  );
  if (report.workloads.some((w) => w.rows.some((r) => r.baseline))) {
    notes.push(
      "baseline: timed in the same rounds for scale, never recommended (not a bin backend).",
      ...(prefixed.length > 0
        ? [
            `prefix: the baseline replays only the start of the workload, so its ns/op is over that prefix (${prefixed.join("; ")}).`,
          ]
        : []),
    );
  }
  for (const w of report.workloads) if (w.gpu) notes.push(...gpuCurveLines(w.id, w.gpu));
  const failing = report.workloads.filter((w) => w.outcome.failed > 0 && w.kind !== "gpu-buffer");
  if (failing.length > 0) {
    notes.push(
      `failed: allocations that found no free block. Every backend fails the same ones (identical placement, checked), so they come from the workload, not from a backend: ${failing.map((w) => `${w.id} (${w.outcome.failed})`).join(", ")} ${failing.length === 1 ? "asks" : "ask"} for more than is free at that moment.`,
      ...failing.flatMap((w) =>
        w.notes.filter((n) => n.startsWith("first failed allocation")).map((n) => `  ${w.id}: ${n}`),
      ),
    );
  }
  notes.push(
    "IQR: interquartile range of the runs' ns/op. runs: timed runs per case; close calls get more (up to a budget) until the answer is steady. vs best: median against the row with the lowest median.",
  );
  return notes;
}

/** One line per backend across the workloads: how often it is the answer, and how far behind it is otherwise. */
export function verdictLines(report: Report): string[] {
  const backends = [
    ...new Set(report.workloads.flatMap((w) => w.rows.filter((r) => !r.baseline).map((r) => r.backend))),
  ];
  const total = report.workloads.filter((w) => w.recommendation).length;
  const cells = backends.map((b) => {
    const won = report.workloads.filter((w) => w.recommendation?.backend === b).map((w) => w.id);
    const tied = report.workloads
      .filter((w) => w.recommendation && w.recommendation.backend !== b && w.recommendation.tied.includes(b))
      .map((w) => w.id);
    let worst: { ratio: number; id: string } | undefined;
    for (const w of report.workloads) {
      const slower = w.recommendation?.comparisons.some((x) => x.backend === b && x.verdict === "slower");
      const backends = w.rows.filter((r) => !r.baseline);
      const mine = backends.find((r) => r.backend === b);
      if (!slower || !mine) continue;
      // As the table's medians say: this backend's median against the best backend's (baselines aside).
      const ratio = mine.nsPerOp.median / Math.min(...backends.map((r) => r.nsPerOp.median));
      if (!worst || ratio > worst.ratio) worst = { ratio, id: w.id };
    }
    const slower = total - won.length - tied.length;
    return [
      b,
      `recommended for ${won.length} of ${total},`,
      `tied for best in ${tied.length} more,`,
      slower > 0 && worst
        ? `slower in ${slower} (at worst ${worst.ratio.toFixed(2)}× the best backend's median, on ${worst.id})`
        : "never slower",
    ];
  });
  return alignColumns(cells, new Set());
}

export function headerLine(report: Report): string {
  const m = report.machine;
  const runs = report.maxRuns && report.maxRuns > report.runs ? `${report.runs}–${report.maxRuns}` : `${report.runs}`;
  return `mm-bench ${report.quick ? "--quick " : ""}· ${m.cpu} (${m.cores} cores) · Node ${m.node} · ${report.warmup} warm-up + ${runs} timed runs per case, alternating · ${(report.durationMs / 1000).toFixed(1)} s`;
}

/**
 * Why a workload has the backend it has: the recommendation's reason, or, where no bin backend is picked, each
 * heap's failed requests (the GPU-buffer workload) or the ID allocators' speed (the packet-ID workload).
 */
export function recommendationReason(w: WorkloadReport): string {
  if (w.recommendation) return w.recommendation.reason;
  if (w.gpu) {
    const failed = w.gpu.map((g) => {
      const requests = g.steps.reduce((n, s) => n + s.requests, 0);
      return `${g.heap} failed ${g.steps.reduce((n, s) => n + s.failed, 0)} of ${requests} requests`;
    });
    return `heaps compared, no bin backend to choose: ${failed.join("; ")}`;
  }
  if (w.kind === "packet-ids") {
    const [base, ours] = w.rows.map((r) => r.nsPerOp.median);
    return `ID allocators compared, no bin backend to choose: ${w.rows[1]?.backend} ${(base! / ours!).toFixed(2)}× as fast as ${w.rows[0]?.backend}, the same IDs`;
  }
  return "no candidates";
}

/** The whole terminal output of a report: header, table, notes, recommendations, verdicts. */
export function formatTable(report: Report): string {
  const lines = [headerLine(report), "", ...formatRows(report), "", ...tableNotes(report), "", "Recommendations:"];
  const idWidth = Math.max(...report.workloads.map((w) => w.id.length));
  for (const w of report.workloads) {
    lines.push(`  ${w.id.padEnd(idWidth)}  ${w.recommendation?.backend ?? "–"}: ${recommendationReason(w)}`);
  }
  if (report.workloads.length > 1) lines.push("", "Verdict per backend:", ...verdictLines(report).map((l) => `  ${l}`));
  return lines.join("\n");
}

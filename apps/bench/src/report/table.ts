/** The terminal/markdown table: one block per workload, then its recommendation line. */
import type { Report, Row } from "./model.js";

const fmtNs = (x: number) => (x < 10 ? x.toFixed(2) : x < 1000 ? x.toFixed(1) : x.toFixed(0));
const fmtOps = (x: number) =>
  x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0);

function rowCells(r: Row): string[] {
  return [
    r.baseline ? `${r.backend} (baseline)` : r.backend,
    fmtNs(r.nsPerOp.median),
    `${fmtNs(r.nsPerOp.q1)}–${fmtNs(r.nsPerOp.q3)}`,
    fmtOps(r.opsPerSec),
    `${r.relative.toFixed(2)}×`,
    r.metadataBytesPerFrame === null ? "–" : r.metadataBytesPerFrame.toFixed(3),
    String(r.failed),
  ];
}

const HEAD = ["backend", "ns/op", "IQR ns/op", "ops/s", "rel", "meta B/frame", "failed"];

/** A markdown table (also readable on a terminal). */
export function formatTable(report: Report): string {
  const lines: string[] = [];
  lines.push(
    `mm-bench ${report.quick ? "--quick " : ""}· ${report.machine.cpu} (${report.machine.cores} cores) · Node ${report.machine.node} · ${report.warmup} warm-up + ${report.runs} runs per case, alternating · ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  lines.push("");
  lines.push(`| workload | ${HEAD.join(" | ")} |`);
  lines.push(`|${" --- |".repeat(HEAD.length + 1)}`);
  for (const w of report.workloads) {
    w.rows.forEach((r, i) => {
      lines.push(`| ${i === 0 ? w.id : ""} | ${rowCells(r).join(" | ")} |`);
    });
  }
  lines.push("");
  lines.push("Recommendations:");
  for (const w of report.workloads) {
    lines.push(`- ${w.id}: **${w.recommendation?.backend ?? "–"}**: ${w.recommendation?.reason ?? "no candidates"}`);
  }
  return lines.join("\n");
}

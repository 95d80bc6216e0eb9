/**
 * The self-contained HTML report: inline CSS and inline SVG only, no scripts and no network, so it opens from
 * disk anywhere (and in a headless browser for a screenshot).
 */
import { gpuSection } from "./gpu.js";
import type { Report, WorkloadReport } from "./model.js";
import { addressSpaceChart, barChart, buddyinfoText, esc, spanChart } from "./svg.js";
import { formatTable, recommendationReason, replaysPrefix, verdictLines } from "./table.js";

const CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px auto; max-width: 1000px; color: #222; padding: 0 16px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 18px; margin-top: 34px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 14px; margin: 14px 0 4px; color: #444; }
.meta { color: #555; font-size: 13px; }
.rec { background: #eef6ee; border-left: 4px solid #59a14f; padding: 6px 10px; margin: 8px 0; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0; }
th, td { padding: 3px 8px; border-bottom: 1px solid #e4e4e4; text-align: right; } th { background: #f4f4f4; }
td:first-child, th:first-child { text-align: left; }
tr.baseline td { color: #777; font-style: italic; }
pre { background: #f7f7f7; padding: 8px; font-size: 11px; overflow-x: auto; }
.note { color: #666; font-size: 12px; }
.summary td:nth-child(2) { text-align: left; white-space: nowrap; }
td { white-space: nowrap; } table.spans td:nth-child(2), table.spans th:nth-child(2) { text-align: left; } .summary td:nth-child(3) { white-space: normal; }
`;

const fmt = (x: number) => (x < 10 ? x.toFixed(2) : x < 1000 ? x.toFixed(1) : x.toFixed(0));

function rowsTable(w: WorkloadReport): string {
  const rows = w.rows
    .map(
      (r) =>
        `<tr class="${r.baseline ? "baseline" : ""}"><td>${esc(r.backend)}${r.baseline ? ` (baseline${replaysPrefix(w, r) ? `, first ${r.ops} ops` : ""})` : ""}</td><td>${fmt(r.nsPerOp.median)}</td><td>${fmt(r.nsPerOp.q1)}–${fmt(r.nsPerOp.q3)}</td><td>${fmt(r.nsPerOp.min)}–${fmt(r.nsPerOp.max)}</td><td>${(r.opsPerSec / 1e6).toFixed(2)}M</td><td>${r.relative.toFixed(2)}×</td><td>${r.metadataBytesPerFrame === null ? "–" : r.metadataBytesPerFrame.toFixed(3)}</td><td>${r.ops}</td><td>${r.failed}</td></tr>`,
    )
    .join("");
  return `<table><tr><th>backend</th><th>median ns/op</th><th>IQR</th><th>min–max</th><th>ops/s</th><th>vs fastest</th><th>metadata B/frame</th><th>ops</th><th>failed allocs</th></tr>${rows}</table>`;
}

function recommendationBox(w: WorkloadReport): string {
  const rec = w.recommendation;
  if (!rec) return "";
  const tied = rec.tied.length > 1 ? ` <span class="meta">(tied: ${esc(rec.tied.join(", "))})</span>` : "";
  return `<div class="rec"><b>Recommended: ${esc(rec.backend)}</b>${tied}: ${esc(rec.reason)}</div>`;
}

/** The span-growth workloads in one section: the chart, one table of every span, one line per span. */
function spanSection(spans: readonly WorkloadReport[]): string {
  const rows = spans
    .flatMap((w) =>
      w.rows.map(
        (r, i) =>
          `<tr><td>${i === 0 ? esc(w.id) : ""}</td><td>${esc(r.backend)}</td><td>${fmt(r.nsPerOp.median)}</td><td>${fmt(r.nsPerOp.q1)}–${fmt(r.nsPerOp.q3)}</td><td>${r.runs}</td><td>${r.relative.toFixed(2)}×</td><td>${r.metadataBytesPerFrame === null ? "–" : r.metadataBytesPerFrame.toFixed(3)}</td><td>${w.recommendation?.backend === r.backend ? "recommended" : w.recommendation?.tied.includes(r.backend) ? "tied" : ""}</td></tr>`,
      ),
    )
    .join("");
  return `<section id="span-growth">
<h2>Growth of the managed span <span class="meta">(${spans.map((w) => esc(w.id)).join(", ")})</span></h2>
<p>The same 16 ranges of 16 MiB spread evenly over address spans from ${esc(spans[0]!.id.replace(/^span-/, ""))} to ${esc(spans[spans.length - 1]!.id.replace(/^span-/, ""))} (each ends 16 MiB below its span), with the same mixed-order churn at every span: flat lines mean per-op cost does not grow with address magnitude.</p>
${spanChart(spans)}
<table class="spans"><tr><th>workload</th><th>backend</th><th>median ns/op</th><th>IQR</th><th>runs</th><th>vs fastest</th><th>metadata B/frame</th><th></th></tr>${rows}</table>
${spans.map((w) => `<div class="note"><b>${esc(w.id)}: ${esc(w.recommendation?.backend ?? "–")}</b>: ${esc(w.recommendation?.reason ?? "")}</div>`).join("")}
<div class="note">Every span manages the same 16 × 16 MiB ranges, so the address-space pictures are alike and left out; the free blocks per order after each:</div>
<pre>${esc(spans.map((w) => `${w.id.padEnd(10)} ${w.addressSpace ? w.addressSpace.nrFree.join(" ") : ""}`).join("\n"))}</pre>
</section>`;
}

function workloadSection(w: WorkloadReport): string {
  const notes = [
    ...w.notes,
    ...w.rows.filter((r) => r.note).map((r) => `${r.backend}: ${r.note}`),
    w.outcome.checksum !== undefined
      ? `every backend replayed the same ${w.ops} ops to the same result: ${w.outcome.allocs} allocs, ${w.outcome.failed} failed, checksum ${w.outcome.checksum}`
      : `${w.ops} events, ${w.outcome.allocs} allocations, ${w.outcome.failed} failed`,
  ];
  const space = w.addressSpace;
  return `<section id="${esc(w.id)}">
<h2>${esc(w.title)} <span class="meta">(${esc(w.id)})</span></h2>
<p>${esc(w.description)}</p>
${recommendationBox(w)}
<h3>ns/op per backend (bar: median; box: interquartile range; whisker: min–max)</h3>
${barChart(w.rows, w.ops)}
${rowsTable(w)}
${notes.map((n) => `<div class="note">${esc(n)}</div>`).join("")}
${w.gpu ? gpuSection(w.gpu) : ""}
${
  space
    ? `<h3>Address space after the workload (free blocks by order; grey = allocated; ${space.ranges.length} managed range${space.ranges.length === 1 ? "" : "s"}, gaps between ranges compressed)</h3>
${addressSpaceChart(space)}
<h3>Free blocks per order, in the shape of /proc/buddyinfo</h3>
<pre>${esc(buddyinfoText(space))}</pre>${space.truncated ? `<div class="note">picture drawn from the first ${space.freeBlocks.length / 2} free blocks</div>` : ""}`
    : ""
}
</section>`;
}

export function renderHtml(report: Report): string {
  const m = report.machine;
  const spans = report.workloads.filter((w) => w.group === "span-growth");
  const summary = report.workloads
    .map(
      (w) =>
        `<tr><td><a href="#${esc(spans.length > 1 && w.group === "span-growth" ? "span-growth" : w.id)}">${esc(w.id)}</a></td><td>${esc(w.recommendation?.backend ?? "–")}</td><td style="text-align:left">${esc(recommendationReason(w))}</td></tr>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>mm-bench report</title><style>${CSS}</style></head>
<body>
<h1>mm-bench: which bin backend fits my workload?</h1>
<p class="meta">${esc(report.generatedAt)} · ${esc(m.cpu)} × ${m.cores} · ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB RAM · ${esc(m.platform)}/${esc(m.arch)} · Node ${esc(m.node)} (V8 ${esc(m.v8)})<br>
${report.quick ? "<b>--quick run</b> · " : ""}${report.warmup} warm-up + ${report.maxRuns && report.maxRuns > report.runs ? `${report.runs}–${report.maxRuns}` : report.runs} timed runs per case (more for close calls), backends alternating each round; each run replays the whole workload on a fresh allocator; suite took ${(report.durationMs / 1000).toFixed(1)} s</p>
<h2>Recommendations</h2>
<table class="summary"><tr><th>workload</th><th>backend</th><th style="text-align:left">why</th></tr>${summary}</table>
<h3>Verdict per backend</h3>
<pre>${esc(verdictLines(report).join("\n"))}</pre>
<p class="note">A backend wins when its per-round ratio to every other backend is clear of the 5% minimum gap (a 90% confidence interval of the median ratio); close calls get more runs first. Backends it cannot tell apart are tied, and among them the least metadata per frame wins, then the simplest backend (sorted-array, bitmap, red-black-tree).</p>
${report.workloads
  .filter((w) => spans.length < 2 || w.group !== "span-growth")
  .map(workloadSection)
  .join("\n")}
${spans.length > 1 ? spanSection(spans) : ""}
<h2>Table</h2>
<pre>${esc(formatTable(report))}</pre>
</body></html>
`;
}

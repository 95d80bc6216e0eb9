/**
 * The viewer page: one self-contained HTML file (inline CSS, inline script, the trace's steps as inline JSON; no
 * network), with a slider, play/pause, the address space on a canvas and the buddyinfo counts per step.
 */
import { esc } from "../report/svg.js";
import type { ViewData } from "../view-model.js";
import { viewerMain } from "./viewer-script.js";

const CSS = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 20px auto; max-width: 1000px; color: #222; padding: 0 12px; }
h1 { font-size: 19px; margin: 0 0 4px; } .meta { color: #555; font-size: 13px; }
.controls { display: flex; gap: 8px; align-items: center; margin: 10px 0; }
#slider { flex: 1; } button { min-width: 64px; }
#op { font: 13px monospace; background: #f4f4f4; padding: 6px 8px; border-left: 4px solid #4e79a7; }
#op.failed { border-left-color: #d00; color: #a00; }
#why { display: none; background: #fdecea; border-left: 4px solid #d00; padding: 6px 8px; margin: 6px 0; font-size: 13px; }
canvas { border: 1px solid #ddd; margin: 8px 0; }
table { border-collapse: collapse; font: 12px monospace; } th, td { border: 1px solid #e0e0e0; padding: 2px 6px; text-align: right; }
td.up { background: #dff0d8; } td.down { background: #f8d7da; }
#ops { font: 12px monospace; color: #666; list-style: none; padding-left: 0; } #ops li.now { color: #000; font-weight: bold; }
#ops li.failed { color: #a00; } .sw { display: inline-block; width: 12px; height: 12px; vertical-align: -2px; margin: 0 2px 0 6px; }
#legend { font-size: 12px; } .note { color: #666; font-size: 12px; }
`;

export function renderViewPage(data: ViewData): string {
  const json = JSON.stringify(data).replace(/</g, "\\u003c");
  const shown =
    data.steps.length < data.totalSteps
      ? ` (the first ${data.steps.length} of ${data.totalSteps} steps; --steps N shows more)`
      : "";
  const what =
    data.kind === "op-trace"
      ? "a buddy op-trace replayed on a BuddyAllocator"
      : "a malloc trace through SlabAllocator; the picture is the heap's pages, the buddy allocator under it";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>mm-bench view: ${esc(data.title)}</title><style>${CSS}</style></head>
<body>
<h1>${esc(data.title)}</h1>
<p class="meta">${esc(what)} (${esc(data.bins)} bins, ${data.baseSize}-byte frames, max order ${data.maxOrder}), step by step${esc(shown)}.
Slider, Play, or the arrow keys move through the steps.</p>
<div class="controls"><button id="prev" type="button">◀</button><button id="play" type="button">Play</button><button id="next" type="button">▶</button>
<input id="slider" type="range" min="0" max="0" value="0" aria-label="step">
<select id="speed" aria-label="steps per second"><option value="20">20 steps/s</option><option value="100" selected>100 steps/s</option><option value="1000">1000 steps/s</option><option value="10000">10000 steps/s</option></select>
<span id="step"></span></div>
<div id="op"></div>
<div id="why"></div>
<canvas id="space" width="968" height="40"></canvas>
<div id="legend"></div>
<p class="note" id="scale"></p>
<h3>Free blocks per order (as /proc/buddyinfo): green went up this step, red went down</h3>
<table id="buddyinfo"></table>
<p class="note" id="totals"></p>
<ol id="ops"></ol>
<script type="application/json" id="view-data">${json}</script>
<script>(${viewerMain.toString()})(JSON.parse(document.getElementById("view-data").textContent));</script>
</body></html>
`;
}

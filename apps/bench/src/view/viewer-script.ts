/// <reference lib="dom" />
/**
 * The viewer page's script. It runs in the browser: `viewerMain.toString()` is written into the page (page.ts),
 * so it must stay self-contained: no imports, no outside names, only the data it is given.
 *
 * State: the free blocks and the allocated blocks (frame → order) and the added ranges after `cur` steps. Moving
 * the slider applies the steps' differences forwards or backwards, one step at a time.
 */
import type { ViewData, ViewStep } from "../view-model.js";

export function viewerMain(data: ViewData): void {
  const $ = (id: string) => document.getElementById(id)!;
  const free = new Map<number, number>();
  const allocated = new Map<number, number>();
  const added: [number, number][] = [];
  const nrFree = new Array<number>(data.maxOrder + 1).fill(0);
  let cur = 0; // steps applied
  let before = nrFree.slice();

  const apply = (s: ViewStep, forward: boolean) => {
    const remove = (flat: readonly number[] | undefined, map: Map<number, number>, counts: boolean) => {
      for (let i = 0; flat && i < flat.length; i += 2) {
        map.delete(flat[i]!);
        if (counts) nrFree[flat[i + 1]!]!--;
      }
    };
    const insert = (flat: readonly number[] | undefined, map: Map<number, number>, counts: boolean) => {
      for (let i = 0; flat && i < flat.length; i += 2) {
        map.set(flat[i]!, flat[i + 1]!);
        if (counts) nrFree[flat[i + 1]!]!++;
      }
    };
    if (forward) {
      remove(s.fr, free, true);
      insert(s.fa, free, true);
      remove(s.ar, allocated, false);
      insert(s.aa, allocated, false);
      if (s.rg) added.push([s.rg[0], s.rg[1]]);
    } else {
      remove(s.fa, free, true);
      insert(s.fr, free, true);
      remove(s.aa, allocated, false);
      insert(s.ar, allocated, false);
      if (s.rg) added.pop();
    }
  };

  // Layout: the final ranges one after another, each in rows of ROW px holding a power of two of frames (so
  // buddies line up), the smallest such row (at least 64 frames) that keeps all rows within about MAX_ROWS.
  const canvas = $("space") as HTMLCanvasElement;
  const ctx = canvas.getContext("2d")!;
  const ROW = 960;
  const ROW_H = 14;
  const GAP = 18;
  const MAX_ROWS = 28;
  const total = data.ranges.reduce((s, r) => s + (r[1] - r[0]), 0);
  let rowFrames = 64;
  const rowsFor = (f: number) => data.ranges.reduce((s, r) => s + Math.ceil((r[1] - r[0]) / f), 0);
  while (rowsFor(rowFrames) > MAX_ROWS && rowFrames < 2 ** 52) rowFrames *= 2;
  const fpp = rowFrames / ROW; // frames per px
  const layout: { start: number; end: number; y: number }[] = [];
  let y = 16; // room for the first range's label
  for (const [start, end] of data.ranges) {
    layout.push({ start, end, y });
    y += Math.ceil((end - start) / rowFrames) * (ROW_H + 2) + GAP;
  }
  canvas.width = ROW + 8;
  canvas.height = Math.max(40, y);
  $("scale").textContent =
    `one row = ${rowFrames} frames (${fmtBytes(rowFrames * data.baseSize)}); ` +
    `${fpp >= 1 ? `1 px ≈ ${fpp.toFixed(fpp < 10 ? 1 : 0)} frames` : `1 frame = ${(1 / fpp).toFixed(1)} px`}; ` +
    `${data.ranges.length} range${data.ranges.length === 1 ? "" : "s"}, ${fmtBytes(total * data.baseSize)} managed`;

  function fmtBytes(n: number): string {
    const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let u = 0;
    while (n >= 1024 && u < units.length - 1) {
      n /= 1024;
      u++;
    }
    return `${Number.isInteger(n) ? n : n.toFixed(1)} ${units[u]}`;
  }
  const orderColour = (order: number) => {
    const t = data.maxOrder === 0 ? 1 : order / data.maxOrder;
    return `hsl(${(50 + t * 240).toFixed(0)},70%,${(72 - t * 34).toFixed(0)}%)`;
  };
  /** Calls `draw(x, y, w)` for each row piece of frames [from, to). */
  const pieces = (from: number, to: number, draw: (x: number, y: number, w: number) => void) => {
    for (const r of layout) {
      if (to <= r.start || from >= r.end) continue;
      let a = Math.max(from, r.start);
      const b = Math.min(to, r.end);
      while (a < b) {
        const row = Math.floor((a - r.start) / rowFrames);
        const rowEnd = r.start + (row + 1) * rowFrames;
        const e = Math.min(b, rowEnd);
        const x = 4 + (a - r.start - row * rowFrames) / fpp;
        draw(x, r.y + row * (ROW_H + 2), Math.max(1, (e - a) / fpp));
        a = e;
      }
    }
  };

  const draw = () => {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    for (const r of layout) {
      // Not managed yet: hatched outline.
      pieces(r.start, r.end, (x, yy, w) => {
        ctx.fillStyle = "#f3f3f3";
        ctx.fillRect(x, yy, w, ROW_H);
      });
    }
    for (const [s, e] of added) {
      pieces(s, e, (x, yy, w) => {
        ctx.fillStyle = "#8c8c8c"; // managed but neither free nor allocated by the trace: reserved
        ctx.fillRect(x, yy, w, ROW_H);
      });
    }
    ctx.fillStyle = "#cfcfcf";
    for (const [f, o] of allocated) pieces(f, f + 2 ** o, (x, yy, w) => ctx.fillRect(x, yy, w, ROW_H));
    for (const [f, o] of free) {
      ctx.fillStyle = orderColour(o);
      pieces(f, f + 2 ** o, (x, yy, w) => ctx.fillRect(x, yy, w, ROW_H));
    }
    // Block edges where they are wide enough to see.
    if (fpp <= 1 / 6) {
      ctx.strokeStyle = "rgba(0,0,0,0.25)";
      ctx.lineWidth = 0.5;
      for (const m of [allocated, free]) {
        for (const [f, o] of m)
          pieces(f, f + 2 ** o, (x, yy, w) => ctx.strokeRect(x + 0.25, yy + 0.25, w - 0.5, ROW_H - 0.5));
      }
    }
    const step = cur > 0 ? data.steps[cur - 1] : undefined;
    if (step?.mark) {
      ctx.strokeStyle = "#d00";
      ctx.lineWidth = 2;
      pieces(step.mark[0], step.mark[0] + 2 ** step.mark[1], (x, yy, w) =>
        ctx.strokeRect(x - 1, yy - 1, w + 2, ROW_H + 2),
      );
    }
    for (const r of layout) {
      ctx.fillStyle = "#555";
      ctx.font = "10px monospace";
      ctx.fillText(
        `0x${(r.start * data.baseSize).toString(16)}–0x${(r.end * data.baseSize).toString(16)}  (${fmtBytes((r.end - r.start) * data.baseSize)})`,
        4,
        r.y - 4,
      );
    }
    // buddyinfo row, changed cells marked.
    const cells = nrFree
      .map((n, o) => {
        const d = n - before[o]!;
        const cls = d > 0 ? "up" : d < 0 ? "down" : "";
        return `<td class="${cls}" title="order ${o}">${n}</td>`;
      })
      .join("");
    $("buddyinfo").innerHTML =
      `<tr><th>order</th>${nrFree.map((_, o) => `<th>${o}</th>`).join("")}</tr><tr><th>free</th>${cells}</tr>`;
    const freeFrames = nrFree.reduce((s, n, o) => s + n * 2 ** o, 0);
    $("totals").textContent =
      `${free.size} free blocks, ${fmtBytes(freeFrames * data.baseSize)} free; ${allocated.size} blocks allocated`;
    $("step").textContent = `step ${cur} of ${data.steps.length}`;
    const op = $("op");
    op.textContent = step ? `${step.line ? `line ${step.line}: ` : ""}${step.t}` : "before the first op";
    op.className = step && step.ok === 0 ? "failed" : "";
    const why = $("why");
    why.textContent = step?.why ? `Out of memory: ${step.why}` : "";
    why.style.display = step?.why ? "block" : "none";
    // The ops around this one.
    const lo = Math.max(0, cur - 4);
    const hi = Math.min(data.steps.length, cur + 4);
    const list: string[] = [];
    for (let i = lo; i < hi; i++) {
      const s = data.steps[i]!;
      list.push(
        `<li class="${i === cur - 1 ? "now" : ""}${s.ok === 0 ? " failed" : ""}">${i + 1}. ${s.t.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</li>`,
      );
    }
    $("ops").innerHTML = list.join("");
    ($("slider") as HTMLInputElement).value = String(cur);
  };

  const goTo = (target: number) => {
    target = Math.max(0, Math.min(data.steps.length, target));
    before = nrFree.slice();
    while (cur < target) apply(data.steps[cur++]!, true);
    while (cur > target) apply(data.steps[--cur]!, false);
    draw();
  };

  const slider = $("slider") as HTMLInputElement;
  slider.max = String(data.steps.length);
  slider.addEventListener("input", () => goTo(Number(slider.value)));
  $("prev").addEventListener("click", () => goTo(cur - 1));
  $("next").addEventListener("click", () => goTo(cur + 1));
  let timer: number | undefined;
  const speed = $("speed") as HTMLSelectElement;
  const play = $("play") as HTMLButtonElement;
  const stop = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    play.textContent = "Play";
  };
  play.addEventListener("click", () => {
    if (timer !== undefined) return stop();
    if (cur >= data.steps.length) goTo(0);
    play.textContent = "Pause";
    timer = window.setInterval(() => {
      const perTick = Math.max(1, Math.round(Number(speed.value) / 20));
      goTo(cur + perTick);
      if (cur >= data.steps.length) stop();
    }, 50);
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "ArrowRight") goTo(cur + 1);
    if (e.key === "ArrowLeft") goTo(cur - 1);
  });
  // Legend.
  const legend: string[] = [];
  for (let o = 0; o <= data.maxOrder; o++)
    legend.push(`<span class="sw" style="background:${orderColour(o)}"></span>${o}`);
  $("legend").innerHTML =
    `free, by order: ${legend.join(" ")} &nbsp; <span class="sw" style="background:#cfcfcf"></span>allocated &nbsp; <span class="sw" style="background:#8c8c8c"></span>reserved (managed, not handed out by the trace) &nbsp; <span class="sw" style="background:#f3f3f3;border:1px solid #ccc"></span>not managed yet &nbsp; <span class="sw" style="border:2px solid #d00"></span>this step's block`;
  goTo(Math.min(1, data.steps.length));
}

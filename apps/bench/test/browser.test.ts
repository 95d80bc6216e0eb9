/**
 * The HTML report and the viewer in a real headless Chromium (Debian's package, driven by playwright-core):
 * no console errors, the charts have a bar per row with round ticks, the viewer's slider moves through a trace
 * and the picture changes, a failed allocation shows its diagnosis. Screenshots go to a temp dir.
 * The browser comes from CHROMIUM_PATH or /usr/bin/chromium; without one the tests fail under CI (which installs
 * it, .ci/chromium.sh) and are skipped elsewhere.
 */
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli.js";
import { exampleOpTracePath } from "../src/data.js";
import type { CommandIO } from "../src/io.js";
import { renderHtml } from "../src/report/html.js";
import type { Report, Row, WorkloadReport } from "../src/report/model.js";
import type { ViewData } from "../src/view-model.js";

const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const haveBrowser = existsSync(executablePath);
const inCI = process.env.CI === "true" || process.env.CI === "1";

const quiet = (): CommandIO & { stdout: string[] } => {
  const stdout: string[] = [];
  return { stdout, out: (t) => stdout.push(t), err: () => {} };
};

/** Tick labels at round numbers: 1, 2, 5 × 10^k on a log axis; a linear axis in steps of 1, 2 or 5 × 10^k. */
function expectRoundTicks(scale: string | null, ticks: readonly string[]): void {
  expect(ticks.length).toBeGreaterThanOrEqual(3);
  const values = ticks.map(Number);
  const round = /^(?:[125]0*|0\.0*[125])$/;
  if (scale === "log") {
    for (const t of ticks) expect(t).toMatch(round);
  } else {
    expect(values[0]).toBe(0);
    const step = values[1]! - values[0]!;
    expect(String(step)).toMatch(round);
    values.forEach((v, i) => {
      expect(v).toBeCloseTo(i * step, 9);
    });
  }
}

const row = (backend: string, median: number, baseline = false, ops = 1000): Row => ({
  backend,
  baseline,
  ops,
  runs: 3,
  nsPerOp: { min: median * 0.9, q1: median * 0.95, median, q3: median * 1.05, max: median * 1.2 },
  samplesNsPerOp: [median * 0.95, median, median * 1.05],
  opsPerSec: 1e9 / median,
  relative: 1,
  metadataBytesPerFrame: baseline ? null : 1.5,
  failed: 0,
});

function workload(id: string, rows: Row[], extra: Partial<WorkloadReport> = {}): WorkloadReport {
  return {
    id,
    title: id,
    description: `${id} (synthetic)`,
    kind: "op-trace",
    ops: 1000,
    outcome: { allocs: 500, failed: 0, checksum: 1 },
    rows,
    recommendation: {
      backend: rows[0]!.backend,
      tied: [rows[0]!.backend],
      reason: "synthetic",
      settled: true,
      runs: 3,
      comparisons: [],
    },
    notes: [],
    ...extra,
  };
}

const MiB = 2 ** 20;
function space(ranges: { start: number; end: number }[]) {
  return {
    baseSize: 4096,
    maxOrder: 12,
    ranges,
    freeBlocks: [ranges[0]!.start, 12],
    truncated: false,
    buddyinfo: ranges.map((_, i) => Array.from({ length: 13 }, (_, o) => (o === 12 && i === 0 ? 1 : 0))),
    nrFree: Array.from({ length: 13 }, (_, o) => (o === 12 ? 1 : 0)),
    freeBytes: 16 * MiB,
    managedBytes: ranges.reduce((s, r) => s + r.end - r.start, 0),
  };
}

/** A report with a linear chart, a 20× baseline, and four span workloads 1 GiB … 4 PiB. */
function syntheticReport(): Report {
  const backends = (m: number) => [row("sorted-array", m), row("red-black-tree", m * 1.4), row("bitmap", m * 1.1)];
  const spans = ([30, 40, 50, 52] as const).map((bits, i) =>
    workload(`span-${["1GiB", "1TiB", "1PiB", "4PiB"][i]}`, backends(50 + i), {
      group: "span-growth",
      addressSpace: space([
        { start: 0, end: 16 * MiB },
        { start: 2 ** bits - 32 * MiB, end: 2 ** bits - 16 * MiB },
      ]),
    }),
  );
  return {
    tool: "mm-bench",
    generatedAt: "2026-12-01T00:00:00.000Z",
    quick: true,
    warmup: 2,
    runs: 3,
    durationMs: 1000,
    machine: { cpu: "test", cores: 2, memoryBytes: 2 ** 34, platform: "linux", arch: "x64", node: "v20", v8: "11" },
    workloads: [
      workload("boot", backends(60), {
        addressSpace: space([
          { start: 16 * MiB, end: 32 * MiB },
          { start: 64 * MiB, end: 96 * MiB },
          { start: 128 * MiB, end: 192 * MiB },
        ]),
      }),
      workload("malloc-x", [...backends(40), row("@thi.ng/malloc", 800, true, 200)], { kind: "malloc-trace" }),
      ...spans,
    ],
  };
}

if (!haveBrowser && inCI) {
  it("finds Chromium in CI", () => {
    throw new Error(`no Chromium at ${executablePath} (CHROMIUM_PATH); .ci/chromium.sh installs it`);
  });
}

describe.skipIf(!haveBrowser)("in headless Chromium", () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), "mm-bench-browser-"));
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(file: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1050, height: 900 } });
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    // Nothing may load from the network: every request other than the file itself fails the test.
    await page.route("**/*", (route) =>
      route.request().url().startsWith("file:")
        ? route.continue()
        : route.abort().then(() => errors.push(route.request().url())),
    );
    await page.goto(`file://${file}`);
    return page;
  }

  it("compare's report: a bar per row and round ticks, in a page that loads nothing", async () => {
    const out = join(dir, "report");
    const io = quiet();
    expect(await main(["compare", "--quick", "--json", "--out", out, exampleOpTracePath("ex-basic")], io)).toBe(0);
    const report = JSON.parse(io.stdout.join("\n")) as Report;
    const page = await open(join(out, "index.html"));
    const charts = page.locator("svg.bars");
    expect(await charts.count()).toBe(1);
    expect(await charts.locator("rect.bar").count()).toBe(report.workloads[0]!.rows.length);
    expectRoundTicks(await charts.getAttribute("data-scale"), await charts.locator("text.tick").allTextContents());
    expect(await page.getByText("Recommended:").count()).toBe(1);
    await page.screenshot({ path: join(dir, "report.png"), fullPage: true });
    expect(statSync(join(dir, "report.png")).size).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
  });

  it("a baseline that dwarfs the backends gets a log axis; the span workloads share one section", async () => {
    const file = join(dir, "synthetic.html");
    writeFileSync(file, renderHtml(syntheticReport()));
    const page = await open(file);
    const charts = page.locator("svg.bars");
    // The malloc workload and the boot workload; the four spans are drawn once, in the span chart.
    expect(await charts.count()).toBe(2);
    expect(await charts.nth(0).getAttribute("data-scale")).toBe("linear");
    expect(await charts.nth(1).getAttribute("data-scale")).toBe("log");
    for (let i = 0; i < 2; i++) {
      expect(await charts.nth(i).locator("rect.bar").count()).toBe(i === 0 ? 3 : 4);
      expectRoundTicks(
        await charts.nth(i).getAttribute("data-scale"),
        await charts.nth(i).locator("text.tick").allTextContents(),
      );
    }
    expect(await page.locator("section#span-growth").count()).toBe(1);
    expect(await page.locator("section#span-growth svg.spans circle.point").count()).toBe(4 * 3);
    // The boot strips are as wide as their ranges (1 : 2 : 4), to one pixel.
    const widths = await page
      .locator("section#boot rect.strip")
      .evaluateAll((rs) => rs.map((r) => Number(r.getAttribute("width"))));
    expect(widths).toHaveLength(3);
    expect(Math.abs(widths[1]! * 2 - widths[2]!)).toBeLessThanOrEqual(1);
    expect(Math.abs(widths[0]! * 4 - widths[2]!)).toBeLessThanOrEqual(2);
    expect(await page.getByText("strip widths to scale").count()).toBe(1);
    await page.screenshot({ path: join(dir, "synthetic.png"), fullPage: true });
    expect(errors).toEqual([]);
  });

  it("the viewer: the slider and play move through the trace, the picture changes, a failure is explained", async () => {
    const file = join(dir, "fragment.view.html");
    expect(await main(["view", "--out", file, exampleOpTracePath("ex-fragment")], quiet())).toBe(0);
    const html = readFileSync(file, "utf8");
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    const data = JSON.parse(
      /<script type="application\/json" id="view-data">(.*?)<\/script>/s.exec(html)![1]!,
    ) as ViewData;
    const page = await open(file);
    const picture = () => page.locator("#space").evaluate((c) => (c as HTMLCanvasElement).toDataURL());
    const slide = (to: number) =>
      page.locator("#slider").evaluate((s, v) => {
        (s as HTMLInputElement).value = String(v);
        s.dispatchEvent(new Event("input"));
      }, to);
    expect(await page.locator("#step").textContent()).toBe(`step 1 of ${data.steps.length}`);
    const first = await picture();
    await slide(200);
    expect(await page.locator("#step").textContent()).toBe(`step 200 of ${data.steps.length}`);
    expect(await page.locator("#op").textContent()).toContain(data.steps[199]!.t);
    const later = await picture();
    expect(later).not.toBe(first);
    // The buddyinfo row sums to the free frames the trace's model says (ex-fragment: 200 allocs of single frames).
    const counts = (await page.locator("#buddyinfo tr:nth-child(2) td").allTextContents()).map(Number);
    expect(counts).toHaveLength(data.maxOrder + 1);
    expect(counts.reduce((s, n, o) => s + n * 2 ** o, 0)).toBe(256 - 199);
    // A failed allocation shows why.
    const failed = data.steps.findIndex((s) => s.ok === 0);
    expect(failed).toBeGreaterThan(0);
    await slide(failed + 1);
    await expect.poll(() => page.locator("#why").isVisible()).toBe(true);
    expect(await page.locator("#why").textContent()).toMatch(/largest free block is order 0 .*fragmented/);
    // Back to the start and the first picture comes back: every step's difference undoes exactly.
    await slide(1);
    expect(await picture()).toBe(first);
    // Play advances; Pause stops.
    await page.locator("#speed").selectOption("1000");
    await page.locator("#play").click();
    await expect.poll(async () => Number((await page.locator("#slider").inputValue()) || 0)).toBeGreaterThan(20);
    await page.locator("#play").click();
    const paused = await page.locator("#slider").inputValue();
    await page.waitForTimeout(150);
    expect(await page.locator("#slider").inputValue()).toBe(paused);
    await page.screenshot({ path: join(dir, "viewer.png"), fullPage: true });
    expect(errors).toEqual([]);
  });
});

import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli.js";
import type { CommandIO } from "../src/io.js";
import type { Report } from "../src/report/model.js";

describe("suite report", () => {
  it("a small suite writes report.json and a self-contained index.html", async () => {
    const out = mkdtempSync(join(tmpdir(), "mm-bench-report-"));
    const stdout: string[] = [];
    const io: CommandIO = { out: (t) => stdout.push(t), err: () => {} };
    expect(await main(["--quick", "--json", "--only", "fragmentation,order0,span-1GiB", "--out", out], io)).toBe(0);
    const report = JSON.parse(stdout.join("\n")) as Report;
    expect(JSON.parse(readFileSync(join(out, "report.json"), "utf8"))).toEqual(report);
    expect(report.machine.node).toBe(process.version);
    expect(report.workloads.map((w) => w.id)).toEqual(["order0-churn", "fragmentation", "span-1GiB"]);
    for (const w of report.workloads) {
      expect(w.rows.filter((r) => !r.baseline).map((r) => r.backend)).toEqual([
        "sorted-array",
        "red-black-tree",
        "bitmap",
      ]);
      expect(w.recommendation?.reason).toBeTruthy();
      expect(w.addressSpace?.ranges.length).toBeGreaterThan(0);
    }
    expect(report.workloads[0]!.rows.some((r) => r.backend === "int32-free-stack" && r.baseline)).toBe(true);
    const html = readFileSync(join(out, "index.html"), "utf8");
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link[^>]+href/i);
    expect(html).toMatch(/<svg /);
    expect(html).toMatch(/\/proc\/buddyinfo/);
    expect(html).toMatch(/Recommended: /);
  });
});

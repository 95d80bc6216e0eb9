/**
 * Where a finished report goes, the same for the suite and `compare`: `DIR/report.json` and `DIR/index.html`,
 * then either the JSON or the terminal table on stdout.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { CommandIO } from "../io.js";
import { renderHtml } from "./html.js";
import { renderJson } from "./json.js";
import type { Report } from "./model.js";
import { formatTable } from "./table.js";

/** Writes the report's files into `outDir` (default `bench-report`) and prints it (`json`: the JSON only). */
export function writeReport(report: Report, outDir: string | undefined, json: boolean, io: CommandIO): void {
  const out = resolve(outDir ?? "bench-report");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "report.json"), renderJson(report));
  writeFileSync(join(out, "index.html"), renderHtml(report));
  if (json) {
    io.out(renderJson(report).trimEnd());
  } else {
    io.out(formatTable(report));
    io.out(`\nReport: ${join(out, "index.html")} (open in a browser) and ${join(out, "report.json")}`);
  }
}

/** report.json: the report model as it is, for scripts and for comparing runs. */
import type { Report } from "./model.js";

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * `mm-bench view [--bins NAME] [--out FILE] [--steps N] TRACE`: a self-contained HTML page that replays TRACE
 * step by step in the browser (see view-model.ts for what it records, view/page.ts for the page).
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { BIN_BACKENDS, isBinsName } from "./backends.js";
import { type CommandIO, onePositional, parseArgs, positiveIntegerOption, runCommand, UsageError } from "./io.js";
import { fileErrors, loadTraceFile, traceName } from "./trace-file.js";
import { renderViewPage } from "./view/page.js";
import { buildViewData } from "./view-model.js";

export const DEFAULT_VIEW_STEPS = 5000;

export const VIEW_USAGE = `usage: mm-bench view [--bins <${BIN_BACKENDS.join("|")}>] [--out FILE] [--steps N] TRACE
  Writes a self-contained HTML page (no network) that replays TRACE (an op-trace or a malloc trace, .trace or
  .trace.gz) step by step: slider and play/pause, the address space (free blocks by order, allocated, reserved),
  the free blocks per order as they change, the op at each step, and why an allocation failed.
  For a malloc trace the picture is the heap's pages (the BuddyAllocator under SlabAllocator).
  --bins NAME  the backend to replay on (default: bitmap; every backend places blocks alike)
  --out FILE   where the page goes (default: NAME.view.html in the current directory)
  --steps N    the first N steps at most (default: ${DEFAULT_VIEW_STEPS}); each step costs the page a diff
Exit codes: 0 ok, 2 usage error, unreadable or malformed file (file:line: reason).`;

export function viewCommand(args: readonly string[], io: CommandIO): number {
  return runCommand(
    "mm-bench view",
    VIEW_USAGE,
    io,
    () => {
      const { values, flags, positionals } = parseArgs(args, { values: ["bins", "out", "steps"], flags: ["help"] });
      if (flags.has("help")) {
        io.out(VIEW_USAGE);
        return 0;
      }
      const path = onePositional(positionals, "TRACE");
      const bins = values.get("bins") ?? "bitmap";
      if (!isBinsName(bins)) throw new UsageError(`unknown backend ${JSON.stringify(bins)}`);
      const steps = positiveIntegerOption(values, "steps", DEFAULT_VIEW_STEPS);
      const file = loadTraceFile(path);
      const data = buildViewData(file, bins, steps);
      const out = resolve(values.get("out") ?? `${traceName(path)}.view.html`);
      writeFileSync(out, renderViewPage(data));
      const failed = data.steps.filter((s) => s.ok === 0).length;
      io.out(
        `${out}: ${data.steps.length} of ${data.totalSteps} steps, ${data.ranges.length} range${data.ranges.length === 1 ? "" : "s"}, ${failed} failed allocation${failed === 1 ? "" : "s"} (open it in a browser)`,
      );
      return 0;
    },
    fileErrors(io, "mm-bench view"),
  );
}

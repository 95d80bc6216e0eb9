/**
 * The bench's data files, copied into apps/bench/data/ (nothing is read from outside the project at run time).
 * Both src/ (tests) and dist/ (the built CLI) sit one level below apps/bench, so one relative URL serves both.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const DATA_DIR = fileURLToPath(new URL("../data/", import.meta.url));

/** A file under data/, as an absolute path. */
export const dataPath = (relative: string): string => fileURLToPath(new URL(`../data/${relative}`, import.meta.url));

/** `/proc/iomem` of a real machine (3 System RAM ranges, ~20 GiB). */
export const IOMEM_TEXT: string = readFileSync(dataPath("iomem.txt"), "utf8");

/** The real malloc traces replayed through slab on buddy. */
export const MALLOC_TRACES = ["git-log-p", "python3-compileall"] as const;
export const mallocTracePath = (name: string): string => dataPath(`malloc-traces/${name}.trace.gz`);

/** The example op-traces (with `# expect` lines), for tests and by-hand checks. */
export const EXAMPLE_OP_TRACES = ["ex-basic", "ex-churn", "ex-high", "ex-fragment"] as const;
export const exampleOpTracePath = (name: string): string => dataPath(`op-traces/${name}.trace`);

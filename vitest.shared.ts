import { fileURLToPath } from "node:url";

/**
 * Tests import sibling packages from their sources, so `vitest run` needs no prior build and a change in
 * @mm/hal is seen by @mm/buddy's tests at once. Type checking (`tsc`) still goes through each package's
 * built `dist/*.d.ts`, which is what users get.
 */
const source = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export const workspaceAliases = {
  "@mm/hal": source("hal"),
  "@mm/buddy": source("buddy"),
  "@mm/slab": source("slab"),
  "@mm/trace": source("trace"),
  "@mm/vmem": source("vmem"),
};

/**
 * What the bench's trace-generating scripts (scripts/*.mjs) share with its workloads, built as dist/generators.js:
 * the seeded PRNG and the kernel-like order mix, so a script's trace is drawn exactly as a workload's would be.
 */
export { mulberry32, type Random } from "./prng.js";
export { KERNEL_ORDER_MIX } from "./workloads/index.js";
export { pickOrder } from "./workloads/workload.js";

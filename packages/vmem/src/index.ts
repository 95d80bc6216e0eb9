export type { ArenaOptions, ArenaStats, Segment, XallocOptions } from "./arena.js";
export { Arena, MAX_CAPACITY } from "./arena.js";
export type { Policy } from "./policy.js";
export { POLICIES } from "./policy.js";
export type { ArenaSource, PageSource } from "./span-source.js";

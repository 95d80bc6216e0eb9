import type { Options } from "tsup";

/** Build of every published @mm package: ESM with `.d.ts`, for Node 20 (require(esm) covers CommonJS users). */
export const libraryBuild: Options = {
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node20",
};

import type { Options } from "tsup";

/** Build of every published @mm package: ESM with `.d.ts`, for Node 20 (require(esm) covers CommonJS users). */
export const libraryBuild: Options = {
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node20",
  // Inlines top-level numeric constants of import-free modules (each package's src/constants.ts) as literals.
  // Left as module variables, every use on a hot path is a context-slot load plus a type check in V8's
  // optimised code (the measurement: packages/buddy/PERFORMANCE.md, "Structures and build").
  minifySyntax: true,
};

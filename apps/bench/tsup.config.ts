import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/cli.ts", "src/case-worker.ts", "src/generators.ts"],
  format: ["esm"],
  dts: false,
  clean: true,
  sourcemap: true,
  target: "node20",
  // CommonJS with dynamic requires (its `debug` dependency): loaded from node_modules, not bundled.
  external: ["number-allocator"],
});

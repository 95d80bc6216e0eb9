import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/cli.ts", "src/case-worker.ts"],
  format: ["esm"],
  dts: false,
  clean: true,
  sourcemap: true,
  target: "node20",
});

import { defineProject } from "vitest/config";
import { workspaceAliases } from "../../vitest.shared.js";

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: { name: "vmem", testTimeout: 60_000, include: ["test/**/*.test.ts"] },
});

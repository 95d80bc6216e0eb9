import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "hal", include: ["test/**/*.test.ts"] },
});

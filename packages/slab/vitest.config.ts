import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "slab", include: ["test/**/*.test.ts"] },
});

import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "buddy", include: ["test/**/*.test.ts"] },
});

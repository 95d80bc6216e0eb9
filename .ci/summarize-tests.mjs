// Sums the vitest JSON results each package's `test` script writes into one closing line for CI logs.
import { existsSync, readdirSync, readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
let skipped = 0;
let files = 0;
for (const group of ["packages", "apps"]) {
  for (const name of readdirSync(group)) {
    const path = `${group}/${name}/test-results.json`;
    if (!existsSync(path)) continue;
    const results = JSON.parse(readFileSync(path, "utf8"));
    passed += results.numPassedTests;
    failed += results.numFailedTests;
    skipped += results.numPendingTests + results.numTodoTests;
    files++;
  }
}
if (files === 0) {
  console.error("no test results found");
  process.exit(1);
}
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

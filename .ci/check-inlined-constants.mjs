#!/usr/bin/env node
// Fails when a hot constant is not inlined by the build. Each package keeps its hot constants in
// src/constants.ts, a module that imports nothing (esbuild inlines plain consts only from such modules); when
// every use is inlined the bundle has no declaration of the name left. Run after `pnpm build`.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
let failures = 0;
let checked = 0;
for (const pkg of readdirSync(join(root, "packages"))) {
  const constants = join(root, "packages", pkg, "src", "constants.ts");
  if (!existsSync(constants)) continue;
  const source = readFileSync(constants, "utf8");
  if (/^\s*import\s/m.test(source)) {
    console.error(`packages/${pkg}/src/constants.ts imports something: the bundler then inlines none of it`);
    failures++;
  }
  const bundle = readFileSync(join(root, "packages", pkg, "dist", "index.js"), "utf8");
  for (const [, name] of source.matchAll(/^export const (\w+)\s*=/gm)) {
    checked++;
    // A declaration left in the bundle: `var NAME =`, or `, NAME =` in a combined `var A = 1, NAME = 2`.
    if (new RegExp(`(?:\\b(?:var|let|const)\\s+|,\\s*)${name}\\s*=`).test(bundle)) {
      console.error(`packages/${pkg}: hot constant ${name} is not inlined in dist/index.js`);
      failures++;
    }
  }
}
if (failures > 0) process.exit(1);
console.log(`hot constants: all ${checked} inlined`);

#!/usr/bin/env node
// What every public package under packages/ must have before it can be published and read on npm:
// package.json metadata that points back to this repository, a README that stands alone (install, a short
// example that a test runs, the API and the errors, no links into files the tarball does not ship), a LICENSE,
// and a README test. Prints every problem, exits 1 if there is any.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const rootManifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const repositoryUrl = rootManifest.repository?.url;
const webUrl = repositoryUrl?.replace(/^git\+/, "").replace(/\.git$/, "");
/** The longest README example, in lines of code, that still reads as a first example. */
const MAX_EXAMPLE_LINES = 16;

const problems = [];
if (typeof repositoryUrl !== "string" || !repositoryUrl.startsWith("git+https://")) {
  problems.push("package.json (root): repository.url must be a git+https:// URL; packages copy it");
}

for (const entry of readdirSync(join(root, "packages"), { withFileTypes: true })) {
  const dir = join(root, "packages", entry.name);
  if (!entry.isDirectory() || !existsSync(join(dir, "package.json"))) continue;
  const m = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  if (m.private === true) continue;
  const where = `packages/${entry.name}`;
  const fail = (what) => problems.push(`${where}: ${what}`);

  // package.json
  if (m.name !== `@mm/${entry.name}`) fail(`name must be "@mm/${entry.name}" (the folder's name)`);
  if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(m.version ?? "")) fail(`version ${JSON.stringify(m.version)} is not semver`);
  if (typeof m.description !== "string" || m.description.length < 20) fail("description: one line saying what it is");
  if (m.license !== rootManifest.license) fail(`license must be ${rootManifest.license}, as the repository's`);
  if (typeof m.author !== "string" && !Array.isArray(m.contributors)) fail("author or contributors");
  if (m.repository?.url !== repositoryUrl || m.repository?.directory !== where) {
    fail(`repository must be { "type": "git", "url": "${repositoryUrl}", "directory": "${where}" }`);
  }
  if (m.homepage !== `${webUrl}/tree/main/${where}#readme`)
    fail(`homepage must be "${webUrl}/tree/main/${where}#readme"`);
  if (m.bugs?.url !== `${webUrl}/issues`) fail(`bugs.url must be "${webUrl}/issues"`);
  if (!Array.isArray(m.keywords) || m.keywords.length < 3) fail("keywords: at least three");
  if (m.type !== "module") fail('type must be "module" (ESM only)');
  if (m.sideEffects !== false) fail("sideEffects must be false (bundlers drop unused modules)");
  const dot = m.exports?.["."];
  if (Object.keys(dot ?? {})[0] !== "types" || dot?.default !== "./dist/index.js") {
    fail('exports["."] must be { "types": "./dist/index.d.ts", "default": "./dist/index.js" }, types first');
  }
  if (m.exports?.["./package.json"] !== "./package.json") fail('exports["./package.json"] must be "./package.json"');
  if (!Array.isArray(m.files) || !m.files.includes("dist")) fail('files must include "dist"');
  if (m.engines?.node !== rootManifest.engines?.node) fail(`engines.node must be "${rootManifest.engines?.node}"`);
  if (m.publishConfig?.access !== "public") fail('publishConfig.access must be "public" (scoped packages)');
  for (const dep of Object.keys(m.dependencies ?? {})) {
    if (!dep.startsWith("@mm/")) fail(`runtime dependency ${dep}: libraries depend on @mm/* only`);
  }
  for (const script of ["build", "test", "typecheck"]) if (!m.scripts?.[script]) fail(`scripts.${script} is missing`);
  if (!existsSync(join(dir, "LICENSE"))) fail("LICENSE file (npm shows it; it ships in the tarball)");

  // README
  const readmePath = join(dir, "README.md");
  if (!existsSync(readmePath)) {
    fail("README.md is missing");
    continue;
  }
  const readme = readFileSync(readmePath, "utf8");
  if (!readme.startsWith(`# ${m.name}\n`)) fail(`README must start with "# ${m.name}"`);
  for (const section of ["## Install", "## Example", "## API", "## Errors", "## Bundle size"]) {
    if (!new RegExp(`^${section}`, "m").test(readme)) fail(`README has no "${section}" section`);
  }
  if (!readme.includes(`npm i ${m.name}`)) fail(`README's install line must say "npm i ${m.name}"`);
  if (!readme.includes("<!-- bundle-sizes -->"))
    fail("README needs the <!-- bundle-sizes --> table (.ci/bundle-size.mjs --write)");
  const example = /^## Example[^\n]*\n[\s\S]*?```ts\n([\s\S]*?)```/m.exec(readme)?.[1];
  if (example === undefined) fail("README's Example section has no ```ts block");
  else {
    if (!example.includes(`from "${m.name}"`)) fail(`README example must import from "${m.name}"`);
    const lines = example.split("\n").filter((line) => line.trim() !== "").length;
    if (lines > MAX_EXAMPLE_LINES) fail(`README example has ${lines} lines; keep it to ${MAX_EXAMPLE_LINES}`);
  }
  // npm renders the README away from the repository: a relative link must name a file the tarball ships.
  for (const [, target] of readme.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^(https?:|mailto:|#)/.test(target)) continue;
    const file = target.split("#")[0];
    const shipped = file === "LICENSE" || file === "README.md" || file === "package.json" || file.startsWith("dist/");
    if (!shipped) fail(`README links to ${target}, which is not in the tarball: use an absolute URL`);
  }
  const tests = existsSync(join(dir, "test")) ? readdirSync(join(dir, "test")) : [];
  const doctests = join(dir, "test/doc-examples.test.ts");
  if (!tests.includes("doc-examples.test.ts") || !readFileSync(doctests, "utf8").includes("describeDocExamples("))
    fail("test/doc-examples.test.ts must run the README and TSDoc examples (describeDocExamples)");
}

if (problems.length > 0) {
  console.error(`package checks failed:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log("package metadata and READMEs: all public packages pass");

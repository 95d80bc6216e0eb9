#!/usr/bin/env node
// Bundle sizes of the published packages, as a user's bundler sees them: each scenario is a small program
// bundled by esbuild from the packages' built `dist/` (what npm ships), minified, then gzipped (level 9).
//
//   node .ci/bundle-size.mjs           measure, print the table, fail when a scenario is more than 10% over
//                                      its budget or has none (every packages/* gets an "everything" scenario)
//   node .ci/bundle-size.mjs --write   also rewrite the budgets to the sizes measured now and the table
//                                      between <!-- bundle-sizes --> and <!-- /bundle-sizes --> in each README
//
// Scenarios and budgets live in .ci/bundle-sizes.json. Run `pnpm build` first.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const configPath = join(root, ".ci/bundle-sizes.json");
const write = process.argv.includes("--write");
/** A scenario may grow this much past its budget before the check fails. */
const TOLERANCE = 0.1;

/** Every public package under packages/: directory, name, README. */
function publicPackages() {
  return readdirSync(join(root, "packages"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, "packages", entry.name, "package.json")))
    .map((entry) => {
      const dir = join(root, "packages", entry.name);
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      return { dir, name: manifest.name, private: manifest.private === true };
    })
    .filter((pkg) => !pkg.private);
}

const packages = publicPackages();
const config = JSON.parse(readFileSync(configPath, "utf8"));

// One "everything" scenario per package (all its exports kept), then the listed combinations.
const scenarios = [
  ...packages.map((pkg) => ({
    name: `${pkg.name}: everything`,
    title: `everything (\`export * from "${pkg.name}"\`)`,
    readme: [pkg.name],
    code: `export * from "${pkg.name}";`,
  })),
  ...config.scenarios,
];

/** Resolves `@mm/x` to the built dist of the workspace package, as an installed tarball would. */
const workspacePackages = {
  name: "workspace-packages",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^@mm\// }, (args) => {
      const pkg = packages.find((candidate) => candidate.name === args.path);
      if (pkg === undefined) return { errors: [{ text: `no public package named ${args.path} under packages/` }] };
      const entry = join(pkg.dir, "dist/index.js");
      if (!existsSync(entry)) return { errors: [{ text: `${entry} is missing: run pnpm build first` }] };
      return { path: entry };
    });
  },
};

async function measure(code) {
  const result = await build({
    stdin: { contents: code, resolveDir: root, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
    plugins: [workspacePackages],
  });
  const bytes = result.outputFiles[0].contents;
  return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

const kb = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
const rows = [];
const failures = [];
for (const scenario of scenarios) {
  let size;
  try {
    size = await measure(scenario.code);
  } catch (error) {
    failures.push(`${scenario.name}: does not bundle: ${error.errors?.[0]?.text ?? error.message}`);
    continue;
  }
  const budget = config.budgets[scenario.name];
  rows.push({ ...scenario, ...size });
  if (budget === undefined) {
    if (!write) failures.push(`${scenario.name}: no budget in .ci/bundle-sizes.json (run with --write)`);
  } else if (size.gzip > budget.gzip * (1 + TOLERANCE) || size.min > budget.min * (1 + TOLERANCE)) {
    failures.push(
      `${scenario.name}: ${kb(size.min)} min / ${kb(size.gzip)} gzip, budget ${kb(budget.min)} / ${kb(budget.gzip)} (+${TOLERANCE * 100}% allowed)`,
    );
  }
}

const width = Math.max(...rows.map((row) => row.name.length));
for (const row of rows) {
  const budget = config.budgets[row.name];
  const of = budget === undefined ? "no budget" : `budget ${kb(budget.gzip)}`;
  console.log(`${row.name.padEnd(width)}  ${kb(row.min).padStart(9)} min  ${kb(row.gzip).padStart(8)} gzip  (${of})`);
}

if (write) {
  config.budgets = Object.fromEntries(rows.map((row) => [row.name, { min: row.min, gzip: row.gzip }]));
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  // The repository's formatter owns the layout of the JSON it checks.
  execFileSync(join(root, "node_modules/.bin/biome"), ["format", "--write", configPath], { stdio: "ignore" });
  for (const pkg of packages) {
    const readmePath = join(pkg.dir, "README.md");
    const readme = readFileSync(readmePath, "utf8");
    const start = readme.indexOf("<!-- bundle-sizes -->");
    const end = readme.indexOf("<!-- /bundle-sizes -->");
    if (start === -1 || end === -1) {
      console.log(`${pkg.name}: README has no <!-- bundle-sizes --> section; table not written`);
      continue;
    }
    const table = [
      "| program imports | minified | gzipped |",
      "| --- | ---: | ---: |",
      ...rows
        .filter((row) => row.readme.includes(pkg.name))
        .map((row) => `| ${row.title} | ${kb(row.min)} | ${kb(row.gzip)} |`),
    ].join("\n");
    const updated = `${readme.slice(0, start)}<!-- bundle-sizes -->\n${table}\n${readme.slice(end)}`;
    writeFileSync(readmePath, updated);
  }
  console.log("budgets and README tables written");
}

if (failures.length > 0) {
  console.error(`\nbundle size check failed:\n  ${failures.join("\n  ")}`);
  process.exit(1);
}
console.log(write ? "" : `bundle sizes within budget (+${TOLERANCE * 100}%)`);

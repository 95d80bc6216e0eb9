// The API site of every public package under packages/ (`pnpm docs`, built in CI with warnings as errors).
// Each package's README is its entry page; this repository's README is the site's front page.
import { existsSync, readdirSync, readFileSync } from "node:fs";

const publicPackages = readdirSync("packages")
  .filter((dir) => existsSync(`packages/${dir}/package.json`))
  .map((dir) => JSON.parse(readFileSync(`packages/${dir}/package.json`, "utf8")))
  .filter((manifest) => manifest.private !== true);

/** @type {Partial<import("typedoc").TypeDocOptions>} */
export default {
  name: "@mm",
  entryPointStrategy: "packages",
  entryPoints: publicPackages.map((manifest) => `packages/${manifest.name.replace("@mm/", "")}`),
  packageOptions: { entryPoints: ["src/index.ts"], includeVersion: true },
  readme: "README.md",
  out: "docs-site",
  treatWarningsAsErrors: true,
  treatValidationWarningsAsErrors: true,
  validation: { notExported: true, invalidLink: true, rewrittenLink: true, notDocumented: true },
  // Without this list only the root package (private, no code) would have to be documented.
  packagesRequiringDocumentation: publicPackages.map((manifest) => manifest.name),
  requiredToBeDocumented: [
    "Enum",
    "EnumMember",
    "Variable",
    "Function",
    "Class",
    "Interface",
    "Property",
    "Method",
    "Accessor",
    "TypeAlias",
    "Constructor",
  ],
  excludePrivate: true,
  excludeInternal: true,
};

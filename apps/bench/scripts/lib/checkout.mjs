// A package's built entry in a checkout, for the scripts that compare builds: CHECKOUT may be relative (to the
// working directory, as a shell user means it) or absolute.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** `import()` of `packages/NAME/dist/index.js` in the built checkout at `checkout`. */
export function importPackage(checkout, name) {
  return import(pathToFileURL(resolve(checkout, "packages", name, "dist", "index.js")).href);
}

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";

// What a user's bundler makes of the package: programs bundled from the package entry (unminified, so the
// backends' class names show), then run. The sizes themselves are checked by .ci/bundle-size.mjs.
const entry = join(import.meta.dirname, "../src/index.ts");
const dir = mkdtempSync(join(tmpdir(), "mm-buddy-shake-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bundle(program: string): Promise<string> {
  const result = await build({
    stdin: { contents: program.replaceAll("@mm/buddy", entry), resolveDir: dir, loader: "ts" },
    bundle: true,
    format: "esm",
    platform: "node",
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}

let runs = 0;
async function run(code: string): Promise<unknown> {
  const file = join(dir, `program-${runs++}.mjs`);
  writeFileSync(file, code);
  return (await import(pathToFileURL(file).href)).result;
}

const BACKENDS = ["SortedArrayBackend", "RedBlackTreeBackend", "BitmapBackend"];

/** The backend classes a bundle defines. */
function backendsIn(code: string): string[] {
  return BACKENDS.filter((name) => new RegExp(`\\b(class ${name}\\b|${name} = class\\b)`).test(code));
}

describe("a program bundles the backends it uses", () => {
  it("naming BitmapBins bundles no other backend", async () => {
    const code = await bundle(
      `import { BuddyAllocator, BitmapBins } from "@mm/buddy";
       const b = new BuddyAllocator({ bins: BitmapBins }); b.addRange(0, 1 << 24);
       export const result = [b.allocate(0), b.binsName];`,
    );
    expect(backendsIn(code)).toEqual(["BitmapBackend"]);
    expect(await run(code)).toEqual([0, "bitmap"]);
  });

  it("naming SortedArrayBins bundles it and the default (bitmap), not the red-black tree's bins", async () => {
    const code = await bundle(
      `import { BuddyAllocator, SortedArrayBins } from "@mm/buddy";
       export const result = new BuddyAllocator({ bins: SortedArrayBins }).binsName;`,
    );
    expect(backendsIn(code)).toEqual(["SortedArrayBackend", "BitmapBackend"]);
    expect(await run(code)).toBe("sorted-array");
  });

  it("a name resolves when its backend is in the bundle; otherwise INVALID_CONFIG says what to import", async () => {
    const code = await bundle(
      `import { BuddyAllocator, SortedArrayBins } from "@mm/buddy";
       const used = SortedArrayBins;
       const names = ["bitmap", "sorted-array", "red-black-tree"].map((bins) => {
         try { return new BuddyAllocator({ bins }).binsName; } catch (error) { return [error.code, error.message]; }
       });
       export const result = { used: typeof used, names };`,
    );
    const { names } = (await run(code)) as { names: unknown[] };
    expect(names.slice(0, 2)).toEqual(["bitmap", "sorted-array"]);
    const [code3, message] = names[2] as [string, string];
    expect(code3).toBe("INVALID_CONFIG");
    expect(message).toContain('"red-black-tree"');
    expect(message).toContain('import { RedBlackTreeBins } from "@mm/buddy"');
  });

  it("binsByName keeps every backend, so every name resolves", async () => {
    const code = await bundle(
      `import { BuddyAllocator, BIN_BACKENDS, binsByName } from "@mm/buddy";
       export const result = BIN_BACKENDS.map((name) => [new BuddyAllocator({ bins: binsByName(name) }).binsName,
         new BuddyAllocator({ bins: name }).binsName]);`,
    );
    expect(backendsIn(code)).toEqual(BACKENDS);
    expect(await run(code)).toEqual([
      ["sorted-array", "sorted-array"],
      ["red-black-tree", "red-black-tree"],
      ["bitmap", "bitmap"],
    ]);
  });
});

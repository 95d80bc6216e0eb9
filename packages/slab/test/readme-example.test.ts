import { readFileSync } from "node:fs";
import { expect, test } from "vitest";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const source = readFileSync(new URL(import.meta.url), "utf8");

test("the README example is the code run below", () => {
  const start = readme.indexOf("```ts\n", readme.indexOf("## Example"));
  const example = readme.slice(start + 6, readme.indexOf("```", start + 6));
  const statements = example
    .split("\n")
    .map((line) => line.replace(/\s*\/\/.*$/, "").trim())
    .filter((line) => line !== "" && !line.startsWith("import ") && !line.startsWith("console.log("));
  expect(statements.length).toBeGreaterThan(8);
  for (const statement of statements) expect(source).toContain(statement);
});

test("the README example runs as written", async () => {
  const { BitmapBins, BuddyAllocator } = await import("@mm/buddy");
  const { SlabAllocator, formatSlabinfo } = await import("../src/index.js");

  const pages = new BuddyAllocator({ bins: BitmapBins }); // 4 KiB pages, blocks up to order 12
  pages.addRange(0x1_0000_0000, 0x1_0000_0000 + 256 * 1024 * 1024); // 256 MiB above 4 GiB
  const heap = new SlabAllocator({ pages });

  const a = heap.alloc(100)!; // a 112-byte object from kmalloc-112
  expect(heap.usableSize(a)).toBe(112);
  const b = heap.realloc(a, 110); // same address: 110 still fits kmalloc-112
  const big = heap.alloc(20_000)!; // above 16 KiB: a large object of exactly 20000 bytes
  expect(heap.usableSize(big)).toBe(20_000);
  const bigger = heap.realloc(big, 24_000); // grown in place when the space after it is free
  expect(heap.usableSize(bigger!)).toBe(24_000);
  heap.free(b!);
  heap.free(bigger!);
  heap.shrink(); // parked objects back to their slabs, empty slabs back to the buddy
  expect(b).toBe(a);
  expect(formatSlabinfo(heap.stats().caches)).toMatch(/^slabinfo - version: 2\.1\n/);
  expect(formatSlabinfo(heap.stats().caches)).toContain("kmalloc-128");
  expect(pages.availableBytes).toBe(256 * 1024 * 1024);
});

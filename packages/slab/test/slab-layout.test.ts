import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { expectAllocatorError } from "../../hal/test/expect-error.js";
import { computeSlabLayout, KMALLOC_SIZE_CLASSES, naturalAlign } from "../src/index.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

/** Rows of a real kernel's SLUB cache table (copied from a Linux machine: name, object_size, slab_size, align, order, objs_per_slab). */
const slubCaches = fixture("slub-caches.tsv")
  .split("\n")
  .filter((line) => line !== "" && !line.startsWith("#"))
  .map((line) => {
    const [name, objectSize, slabSize, align, order, objsPerSlab] = line.split("\t");
    return {
      name,
      objectSize: +objectSize,
      slabSize: +slabSize,
      align: +align,
      order: +order,
      objsPerSlab: +objsPerSlab,
    };
  });

/** kmalloc-* lines of the same machine's /proc/slabinfo: name → [objsize, objperslab, pagesperslab]. */
const slabinfoKmalloc = new Map(
  fixture("slabinfo.txt")
    .split("\n")
    .filter((line) => /^kmalloc-\d+k? /.test(line))
    .map((line) => {
      const f = line.split(/\s+/);
      return [f[0], [+f[3], +f[4], +f[5]]] as const;
    }),
);

describe("computeSlabLayout", () => {
  test.each(KMALLOC_SIZE_CLASSES)(
    "kmalloc-%i gets the objects and pages per slab of the kernel's /proc/slabinfo",
    (size) => {
      const name = `kmalloc-${size % 1024 === 0 ? `${size / 1024}k` : size}`;
      const [objsize, objperslab, pagesperslab] = slabinfoKmalloc.get(name)!;
      const layout = computeSlabLayout({ objectSize: size, pageSize: 4096, maxOrder: 12 });
      expect(layout.objectSize).toBe(objsize);
      expect(layout.objectsPerSlab).toBe(objperslab);
      expect(layout.pagesPerSlab).toBe(pagesperslab);
    },
  );

  test("picks the kernel's order and objects per slab for every SLUB cache of a real machine", () => {
    let same = 0;
    const differ: string[] = [];
    for (const c of slubCaches) {
      // slab_size is the stride the kernel settled on (object + metadata, aligned): lay out that many bytes.
      const layout = computeSlabLayout({ objectSize: c.slabSize, align: 8, pageSize: 4096, maxOrder: 10 });
      if (layout.slabOrder === c.order && layout.objectsPerSlab === c.objsPerSlab) same++;
      else
        differ.push(`${c.name}: ours ${layout.slabOrder}/${layout.objectsPerSlab}, kernel ${c.order}/${c.objsPerSlab}`);
    }
    expect(differ).toEqual([]);
    expect(same).toBe(333);
  });

  test("accounts for every byte of the slab and keeps waste within a quarter", () => {
    for (let size = 1; size <= 8192; size += 7) {
      const l = computeSlabLayout({ objectSize: size, pageSize: 4096, maxOrder: 12 });
      expect(l.objectsPerSlab * l.stride + l.tailBytes).toBe(l.slabBytes);
      expect(l.wastedBytes).toBe(l.slabBytes - l.objectsPerSlab * l.objectSize);
      expect(l.stride % l.align).toBe(0);
      expect(l.tailBytes * 4).toBeLessThanOrEqual(l.slabBytes);
    }
  });

  test("natural alignment is the largest power of two dividing the size, at most a page", () => {
    expect(naturalAlign(96, 4096)).toBe(32);
    expect(naturalAlign(192, 4096)).toBe(64);
    expect(naturalAlign(24, 4096)).toBe(8);
    expect(naturalAlign(8192, 4096)).toBe(4096);
    expect(computeSlabLayout({ objectSize: 100, align: 64, pageSize: 4096, maxOrder: 12 }).stride).toBe(128);
  });

  test("objects larger than maxSlabOrder allows get the smallest order that holds one", () => {
    const l = computeSlabLayout({ objectSize: 100_000, pageSize: 4096, maxOrder: 12 });
    expect(l.slabOrder).toBe(5);
    expect(l.objectsPerSlab).toBe(1);
  });

  test("a forced slabOrder is used as given", () => {
    expect(computeSlabLayout({ objectSize: 64, pageSize: 4096, maxOrder: 12, slabOrder: 2 }).objectsPerSlab).toBe(256);
  });

  test("maxTightSlabOrder grows a slab that wastes more than 1/16 to the smallest order that does not, or leaves it", () => {
    const at = (objectSize: number, maxTightSlabOrder?: number) =>
      computeSlabLayout({ objectSize, pageSize: 4096, maxOrder: 12, maxTightSlabOrder });
    // 9216 bytes: 3 in 32 KiB leave 5 KiB; 7 in 64 KiB leave 1 KiB.
    expect(at(9216)).toMatchObject({ slabOrder: 3, objectsPerSlab: 3, tailBytes: 5120 });
    expect(at(9216, 5)).toMatchObject({ slabOrder: 4, objectsPerSlab: 7, tailBytes: 1024 });
    // 13312 bytes waste more than 1/16 at every order up to 5: it stays as chosen.
    expect(at(13312, 5).slabOrder).toBe(at(13312).slabOrder);
    // Every size: within 1/16 at the smallest order that gets there, else unchanged; never above the bound.
    for (let size = 1; size <= 20_000; size += 13) {
      const base = at(size);
      const tight = at(size, 5);
      const fits = (order: number) => ((4096 * 2 ** order) % base.stride) * 16 <= 4096 * 2 ** order;
      let expected = base.slabOrder;
      if (!fits(base.slabOrder)) {
        for (let order = base.slabOrder + 1; order <= 5; order++) {
          if (fits(order)) {
            expected = order;
            break;
          }
        }
      }
      expect(tight.slabOrder, `size ${size}`).toBe(expected);
      expect(tight.objectsPerSlab * tight.stride + tight.tailBytes).toBe(tight.slabBytes);
    }
  });

  test.each([
    [{ objectSize: 64, maxSlabOrder: 4, maxTightSlabOrder: 3 }, "maxTightSlabOrder"],
    [{ objectSize: 0 }, "objectSize"],
    [{ objectSize: 1.5 }, "objectSize"],
    [{ objectSize: 64, align: 3 }, "align"],
    [{ objectSize: 64, align: 8192 }, "align"],
    [{ objectSize: 64, slabOrder: 13 }, "slabOrder"],
    [{ objectSize: 8192, slabOrder: 0 }, "slabOrder"],
    [{ objectSize: 2 ** 40 }, "objectSize"],
  ])("rejects %o with INVALID_CONFIG naming %s", (options, option) => {
    expectAllocatorError(() => computeSlabLayout({ pageSize: 4096, maxOrder: 12, ...options }), "INVALID_CONFIG", {
      message: option,
    });
  });
});

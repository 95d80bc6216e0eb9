import { describe, expect, it } from "vitest";
import { type Candidate, recommend } from "../src/recommend.js";

const c = (backend: string, median: number, spread: number, metadataPerFrame: number): Candidate => ({
  backend,
  median,
  low: median - spread,
  high: median + spread,
  metadataPerFrame,
});

describe("recommend", () => {
  it("picks the fastest when it is faster beyond the spread", () => {
    const r = recommend([c("sorted-array", 80, 2, 0.1), c("bitmap", 40, 2, 0.3), c("red-black-tree", 60, 3, 1)])!;
    expect(r.backend).toBe("bitmap");
    expect(r.tied).toEqual(["bitmap"]);
    expect(r.reason).toMatch(
      /bitmap is fastest .*vs 60\.0 ns\/op for red-black-tree.*1\.50×.*beyond the measured spread/,
    );
  });

  it("breaks a tie within the spread by metadata bytes per frame", () => {
    const r = recommend([c("sorted-array", 50, 5, 0.1), c("bitmap", 48, 5, 0.3), c("red-black-tree", 90, 3, 1)])!;
    expect(r.backend).toBe("sorted-array");
    expect(r.tied).toEqual(["bitmap", "sorted-array"]);
    expect(r.reason).toMatch(
      /within the measured spread.*sorted-array uses the least metadata \(0\.10 B\/frame vs 0\.30 B\/frame for bitmap\)/,
    );
    expect(r.reason.split("\n")).toHaveLength(1);
  });

  it("keeps the fastest when it is also the leanest of the tied", () => {
    const r = recommend([c("a", 10, 1, 0.5), c("b", 10.5, 1, 2)])!;
    expect(r.backend).toBe("a");
    expect(r.reason).toMatch(/a is fastest .*least metadata/);
  });

  it("counts metadata within 5% as equal: the faster of the equally lean wins", () => {
    const r = recommend([c("sorted-array", 34.6, 1, 1.557), c("bitmap", 34.2, 1, 1.56), c("rb", 50, 1, 2.2)])!;
    expect(r.backend).toBe("bitmap");
    expect(r.tied).toEqual(["bitmap", "sorted-array"]);
    expect(r.reason).toMatch(
      /bitmap is fastest \(34\.2 ns\/op\) and, tied within the spread with sorted-array, .*\(1\.56 B\/frame, within 5%\)/,
    );
  });

  it("has nothing to recommend without candidates", () => {
    expect(recommend([])).toBeUndefined();
  });
});

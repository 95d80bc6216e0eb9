/** Human-readable sizes and addresses. */
import { describe, expect, it } from "vitest";
import { formatAddress, formatBytes } from "../src/index.js";

describe("formatBytes", () => {
  it.each([
    [0, "0 B"],
    [1, "1 B"],
    [1023, "1023 B"],
    [1024, "1 KiB"],
    [4096, "4 KiB"],
    [1536, "1.5 KiB"],
    [1572864, "1.5 MiB"],
    [2 ** 20, "1 MiB"],
    [2 ** 30, "1 GiB"],
    [3 * 2 ** 30 + 2 ** 29, "3.5 GiB"],
    [2 ** 32, "4 GiB"],
    [2 ** 40, "1 TiB"],
    [2 ** 50, "1 PiB"],
    [2 ** 52, "4 PiB"],
    [1000 * 2 ** 10 + 123, "1000.12 KiB"],
    [2 ** 20 - 1, "1 MiB"], // 1023.999 KiB rounds up: not "1024 KiB"
    [2 ** 30 - 1, "1 GiB"],
    [Number.MAX_SAFE_INTEGER, "8 PiB"],
  ])("%d → %s", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it("keeps at most two decimals", () => {
    expect(formatBytes(1234567)).toBe("1.18 MiB");
  });
});

describe("formatAddress", () => {
  it("zero-pads to 16 hex digits by default", () => {
    expect(formatAddress(0)).toBe("0x0000000000000000");
    expect(formatAddress(0x1000)).toBe("0x0000000000001000");
    expect(formatAddress(0xdeadbeef)).toBe("0x00000000deadbeef");
  });

  it("shows values above 2^32 exactly", () => {
    expect(formatAddress(2 ** 32)).toBe("0x0000000100000000");
    expect(formatAddress(0x640000000)).toBe("0x0000000640000000");
    expect(formatAddress(Number.MAX_SAFE_INTEGER)).toBe("0x001fffffffffffff");
  });

  it("treats digits as a minimum width", () => {
    expect(formatAddress(0x1000, 8)).toBe("0x00001000");
    expect(formatAddress(2 ** 40, 8)).toBe("0x10000000000");
    expect(formatAddress(0xff, 0)).toBe("0xff");
  });
});

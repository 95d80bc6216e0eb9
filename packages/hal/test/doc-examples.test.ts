/** The `@example`s in the TSDoc of src/, checked so the docs cannot drift from the code. */
import { expect, it } from "vitest";
import * as hal from "../src/index.js";

it("the PageTable example gives the results it states", () => {
  const table = new hal.PageTable(4096);
  const cursor = table.createCursor();
  table.setState(0x20_0000, hal.PAGE_ALLOCATED | 2);
  table.setOwner(0x20_0000, 4, 7);
  expect(table.find(cursor, 0x20_0000)).toBe(true);
  expect(cursor.states[cursor.index]).toBe(hal.PAGE_ALLOCATED | 2);
  expect(table.ownerAt(0x20_3abc)).toBe(7);
  expect(table.ownerAt(0x20_4000)).toBe(hal.NO_OWNER);
});

it("TSDoc examples give the results they state", () => {
  expect(hal.pow2(40)).toBe(1099511627776);
  expect(1 << 40).toBe(256);
  expect(hal.trailingZeros32(0x8000_0000)).toBe(31);
  expect(hal.isPowerOfTwo(2 ** 40)).toBe(true);
  expect(hal.isPowerOfTwo(2 ** 40 + 2 ** 8)).toBe(false);
  expect(hal.log2Floor(2 ** 33 + 1)).toBe(33);
  expect(hal.log2Ceil(2 ** 33 + 1)).toBe(34);
  expect(hal.trailingZeros(0x3_0000_0000)).toBe(32);
  expect(hal.lowestSetBit(0x1_0020_0000)).toBe(0x20_0000);
  expect(hal.floorPowerOfTwo(0x1_8000_0000)).toBe(0x1_0000_0000);
  expect(hal.ceilPowerOfTwo(0x1_0000_0001)).toBe(0x2_0000_0000);
  expect(hal.alignDown(0x1_0000_0fff, 4096)).toBe(0x1_0000_0000);
  expect(hal.alignUp(0x1_0000_0001, 4096)).toBe(0x1_0000_1000);
  expect(hal.isAligned(0x1_0020_0000, 2 * 1024 * 1024)).toBe(true);
  expect(hal.buddyOf(0x1_0000_0000, 0x1000)).toBe(0x1_0000_1000);
  expect(hal.mergedStart(0x3000, 0x1000)).toBe(0x2000);
  expect(hal.orderToBytes(9, hal.PAGE_SIZE_4K)).toBe(2 * 1024 * 1024);
  expect(hal.bytesToOrder(2 * 1024 * 1024, 4096)).toBe(9);
  expect(hal.orderForSize(5000, 4096)).toBe(1);
  expect(hal.frameToAddress(0x10_0000, 4096)).toBe(0x1_0000_0000);
  expect(hal.addressToFrame(0x1_0000_0fff, 4096)).toBe(0x10_0000);
  expect(hal.rangeLength(hal.addressRange(0x1000, 0x9fc00))).toBe(0x9ec00);
  expect(hal.rangeContains(hal.addressRange(0, 0x1000), 0x1000)).toBe(false);
  expect(hal.rangesOverlap(hal.addressRange(0, 0x1000), hal.addressRange(0x1000, 0x2000))).toBe(false);
  expect(hal.rangeIntersection(hal.addressRange(0, 0x3000), hal.addressRange(0x2000, 0x5000))).toEqual({
    start: 0x2000,
    end: 0x3000,
  });
  expect(hal.trimRange({ start: hal.asPAddr(0x1000), end: hal.asPAddr(0x9fc00) }, 4096)).toEqual({
    start: 0x1000,
    end: 0x9f000,
  });
  expect(hal.formatBytes(4096)).toBe("4 KiB");
  expect(hal.formatBytes(1572864)).toBe("1.5 MiB");
  expect(hal.formatAddress(0x1000)).toBe("0x0000000000001000");
  expect(hal.describeValue("4096")).toBe('"4096"');
  expect(hal.describeValue(4096n)).toBe("4096n");
  expect(hal.describeValue({})).toBe("an object");
  expect(hal.Order(3, 12)).toBe(3);
  expect(hal.PAddr(0x1000)).toBe(0x1000);
  expect(hal.Bytes(2 * 1024 * 1024)).toBe(2097152);
  expect(hal.FrameNumber(0x10_0000)).toBe(0x10_0000);
});

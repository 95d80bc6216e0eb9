/** Type-level tests: the brands keep addresses, sizes, frame numbers and orders apart at compile time. */
import { describe, expectTypeOf, it } from "vitest";
import {
  type AddressRange,
  addressRange,
  asFrameNumber,
  asPAddr,
  type Bytes,
  bytesToOrder,
  type FrameNumber,
  frameToAddress,
  type Order,
  PAddr,
} from "../src/index.js";

declare function needsAddress(addr: PAddr): void;
declare function needsFrame(frame: FrameNumber): void;

describe("branded units", () => {
  it("constructors return their brand, and a brand is still a number", () => {
    expectTypeOf(PAddr(0x1000)).toEqualTypeOf<PAddr>();
    expectTypeOf(frameToAddress(1, 4096)).toEqualTypeOf<PAddr>();
    expectTypeOf(bytesToOrder(4096, 4096)).toEqualTypeOf<Order>();
    expectTypeOf<PAddr>().toExtend<number>();
    expectTypeOf(addressRange(0, 4096)).toEqualTypeOf<AddressRange>();
    expectTypeOf<AddressRange["start"]>().toEqualTypeOf<PAddr>();
  });

  it("a FrameNumber is not a PAddr, and neither is a plain number", () => {
    expectTypeOf<FrameNumber>().not.toExtend<PAddr>();
    expectTypeOf<Bytes>().not.toExtend<PAddr>();
    expectTypeOf<Order>().not.toExtend<PAddr>();
    expectTypeOf<number>().not.toExtend<PAddr>();
    expectTypeOf<PAddr>().not.toExtend<FrameNumber>();

    needsAddress(PAddr(0x1000));
    needsAddress(asPAddr(0x1000));
    // @ts-expect-error a frame number where a byte address is required
    needsAddress(asFrameNumber(1));
    // @ts-expect-error a plain number is not a PAddr: go through PAddr() or asPAddr()
    needsAddress(0x1000);
    // @ts-expect-error nor is a byte address a frame number
    needsFrame(asPAddr(0x1000));
  });
});

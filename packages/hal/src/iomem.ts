/**
 * A parser for Linux `/proc/iomem`, the kernel's map of physical address space. Each line is
 * `START-END : NAME` with hex bounds and an inclusive END; nesting is shown by two spaces per level:
 *
 * ```text
 * 00100000-bfffffff : System RAM        ← top level: a RAM range, returned as [0x100000, 0xc0000000)
 *   01000000-0220bb07 : Kernel code     ← nested inside it: still RAM, not returned separately
 * ```
 */
import { AllocatorError } from "./errors.js";
import type { AddressRange } from "./range.js";
import { MAX_SAFE_ADDRESS } from "./safe-integer.js";
import type { PAddr } from "./units.js";

/** One line of `/proc/iomem`, bounds converted to a half-open range. */
export interface IomemEntry extends AddressRange {
  /** What the line says is there, e.g. `"System RAM"` or `"Kernel code"`. */
  readonly name: string;
  /** Nesting depth: 0 for top-level entries. */
  readonly depth: number;
}

const LINE = /^( *)([0-9a-fA-F]+)-([0-9a-fA-F]+) : (.*)$/;

function parseHexAddress(text: string, lineNumber: number, line: string, max: number = MAX_SAFE_ADDRESS): number {
  // Parsing rounds values past 2^53, but never below 2^53, so the comparison still catches every one of them.
  const value = Number.parseInt(text, 16);
  if (value > max) {
    const limit = max === MAX_SAFE_ADDRESS ? "2^53 − 1" : "2^53 − 2 (an inclusive end; the range end is one past it)";
    throw new AllocatorError(
      "OUT_OF_RANGE",
      `iomem line ${lineNumber}: address 0x${text} is above ${limit}: ${JSON.stringify(line)}`,
      { value: text, expected: `an address ≤ ${limit}`, line: lineNumber },
    );
  }
  return value;
}

/**
 * Parses every entry of a `/proc/iomem` listing (blank lines ignored).
 * @throws {AllocatorError} `INVALID_ARGUMENT` naming the line when one does not parse; `INVALID_RANGE` when an end
 * lies before its start; `OUT_OF_RANGE` for addresses above 2^53 − 1.
 */
export function parseIomemEntries(text: string): IomemEntry[] {
  const entries: IomemEntry[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, "");
    if (line.trim() === "") continue;
    const match = LINE.exec(line);
    if (match === null) {
      throw new AllocatorError("INVALID_ARGUMENT", `iomem line ${i + 1} does not parse: ${JSON.stringify(line)}`, {
        value: line,
        expected: "'START-END : NAME' with hexadecimal bounds",
        line: i + 1,
      });
    }
    const start = parseHexAddress(match[2], i + 1, line);
    // The half-open end is `last + 1`, which must itself be a valid address, so `last` stops one lower.
    const last = parseHexAddress(match[3], i + 1, line, MAX_SAFE_ADDRESS - 1);
    if (last < start) {
      throw new AllocatorError("INVALID_RANGE", `iomem line ${i + 1}: end lies before start: ${JSON.stringify(line)}`, {
        value: line,
        expected: "END ≥ START",
        line: i + 1,
      });
    }
    entries.push({
      start: start as PAddr,
      end: (last + 1) as PAddr,
      name: match[4].trim(),
      depth: Math.floor(match[1].length / 2),
    });
  }
  return entries;
}

/**
 * The "System RAM" ranges of a `/proc/iomem` listing, half-open and sorted by address: ready for
 * `BuddyAllocator.addRange`, which trims partial frames itself.
 * @example
 * ```ts
 * for (const { start, end } of parseIomem(readFileSync("/proc/iomem", "utf8"))) buddy.addRange(start, end);
 * ```
 */
export function parseIomem(text: string): AddressRange[] {
  return parseIomemEntries(text)
    .filter((entry) => entry.depth === 0 && entry.name === "System RAM")
    .map(({ start, end }) => ({ start, end }))
    .sort((a, b) => a.start - b.start);
}

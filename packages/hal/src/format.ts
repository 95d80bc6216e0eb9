/** Human-readable bytes and addresses for messages, reports and `stats()` output. */

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"] as const;

/**
 * Formats a byte count with binary units: `4096 → "4 KiB"`, `1572864 → "1.5 MiB"` (up to 2 decimals, trailing
 * zeros dropped).
 */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  let rounded = unit === 0 ? value : Number(value.toFixed(2));
  // 1023.999 KiB rounds to 1024: say "1 MiB" rather than "1024 KiB".
  if (Math.abs(rounded) >= 1024 && unit < UNITS.length - 1) {
    rounded /= 1024;
    unit++;
  }
  return `${rounded} ${UNITS[unit]}`;
}

/**
 * Formats an address as zero-padded hex: `formatAddress(0x1000) → "0x0000000000001000"`. `digits` (default 16,
 * the width of a 64-bit address) is a minimum: wider values are never cut.
 */
export function formatAddress(addr: number, digits = 16): string {
  return `0x${addr.toString(16).padStart(digits, "0")}`;
}

/**
 * Allocation policies (Bonwick's VM_INSTANTFIT, VM_BESTFIT, VM_FIRSTFIT, VM_NEXTFIT).
 *
 * | policy | picks | cost |
 * |---|---|---|
 * | `instant-fit` | the head of the size's own freelist when it fits, else the head of the lowest non-empty freelist whose every segment fits (8 lists per power of two), else a search of the own list, else the wilderness (the free segment ending the highest span, on no freelist: carved only when no other segment fits, so the holes below are reused first) | O(1) |
 * | `best-fit` | the smallest free segment that fits, the lowest address among equals | O(log n) |
 * | `first-fit` | the lowest address that fits | O(log n) |
 * | `next-fit` | the first fit after the end of the previous next-fit allocation, wrapping round | a walk from there |
 */
export type Policy = "instant-fit" | "best-fit" | "first-fit" | "next-fit";

/** Every {@link Policy} name, in the order of {@link Policy}'s table: for checking a name, or running all four. */
export const POLICIES: readonly Policy[] = ["instant-fit", "best-fit", "first-fit", "next-fit"];

export const PolicyCode = { InstantFit: 0, BestFit: 1, FirstFit: 2, NextFit: 3 } as const;

/** The policy's code, or −1 for anything that is not a policy name. */
export function policyCode(policy: unknown): number {
  switch (policy) {
    case "instant-fit":
      return PolicyCode.InstantFit;
    case "best-fit":
      return PolicyCode.BestFit;
    case "first-fit":
      return PolicyCode.FirstFit;
    case "next-fit":
      return PolicyCode.NextFit;
    default:
      return -1;
  }
}

/** `mm-bench gpu [--seed N]`: the GPU-buffer workload (gpu-workload.ts), vmem beside buddy + allocateExact. */
import { buddyHeap, runGpuWorkload, vmemHeap } from "./gpu-workload.js";
import { type CommandIO, parseArgs, runCommand, seedOption } from "./io.js";

const MiB = 2 ** 20;

export function gpuCommand(args: readonly string[], io: CommandIO): number {
  return runCommand("mm-bench gpu", "usage: mm-bench gpu [--seed N]", io, () => {
    const { values } = parseArgs(args, { values: ["seed"] });
    const seed = seedOption(values, 1);
    const vmem = runGpuWorkload(vmemHeap(), seed);
    const buddy = runGpuWorkload(buddyHeap(), seed);
    io.out("occupancy  requests  failed(vmem)  failed(buddy)  live MiB (vmem/buddy)  largest free MiB (vmem/buddy)");
    for (let i = 0; i < vmem.length; i++) {
      const v = vmem[i]!;
      const b = buddy[i]!;
      io.out(
        `${`${Math.round(v.occupancy * 100)}%`.padStart(9)}  ${`${v.requests}/${b.requests}`.padStart(8)}  ` +
          `${String(v.failed).padStart(12)}  ${String(b.failed).padStart(13)}  ` +
          `${`${(v.liveBytes / MiB).toFixed(1)}/${(b.liveBytes / MiB).toFixed(1)}`.padStart(21)}  ` +
          `${`${(v.largestFree / MiB).toFixed(2)}/${(b.largestFree / MiB).toFixed(2)}`.padStart(29)}`,
      );
    }
    return 0;
  });
}

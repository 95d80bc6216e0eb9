/**
 * The standard suite: every generated workload on every bin backend (plus the free-stack floor where it applies),
 * then slab on buddy over the real malloc traces (plus @thi.ng/malloc), each case timed in a worker thread of its
 * own (isolated.ts) by harness.ts's round-robin, recommended by recommend.ts, returned as the report model.
 */
import { cpus, totalmem } from "node:os";
import type { BuddyAllocator } from "@mm/buddy";
import { alignUp, formatBytes } from "@mm/hal";
import { type MallocTrace, type OpTrace, parseMallocTrace, replayMallocTrace, replayOpTrace } from "@mm/trace";
import { captureAddressSpace } from "./address-space.js";
import { BIN_BACKENDS, type BinsName, FreeStackBaseline, makeBuddy, SEED_BASE_SIZE } from "./backends.js";
import type { IsolatedCase } from "./case-spec.js";
import { MALLOC_TRACES, mallocTracePath } from "./data.js";
import { firstFailure } from "./diagnosis.js";
import { buddyHeap, GPU_BUFFER_BYTES, GPU_WORKLOAD_STEPS, runGpuWorkload, vmemHeap } from "./gpu-workload.js";
import type { CaseTiming } from "./harness.js";
import { checkedIdPlan, ID_MAX, ID_MIN } from "./ids-workload.js";
import { readMallocTraceText } from "./io.js";
import { withWorkers } from "./isolated.js";
import { FootprintProbe, managedBytesFor, slabOnBuddy, thingMemPool, vmemArena } from "./malloc-replay.js";
import { nativeBaselines } from "./native-baselines.js";
import type { ProgressBar } from "./progress.js";
import { isSettled, recommend } from "./recommend.js";
import type { Machine, Report, Row, WorkloadReport } from "./report/model.js";
import { measureSteady } from "./steady.js";
import { WORKLOADS } from "./workloads/index.js";

export interface SuiteOptions {
  readonly quick: boolean;
  readonly progress?: ProgressBar;
  /** Only workloads whose id contains one of these (tests, `--only`). */
  readonly only?: readonly string[];
  /** Timed runs per case at least (`compare --repeat N`); the default comes from {@link roundsFor}. */
  readonly runs?: number;
}

/**
 * Rounds per case: `warmup` rounds and `warmupMs` per case at least, then `runs` samples of about `sampleMs`
 * each, up to `maxRuns` (and `maxMs` per workload) while the recommendation is unsure (steady.ts).
 */
export function roundsFor(quick: boolean) {
  return quick
    ? { warmup: 2, warmupMs: 300, sampleMs: 20, runs: 5, maxRuns: 15, maxMs: 4_000 }
    : { warmup: 2, warmupMs: 600, sampleMs: 40, runs: 7, maxRuns: 21, maxMs: 15_000 };
}

/** Times `cases` in their workers until the recommendation among the non-baseline cases is steady. */
function measureCases(
  cases: readonly IsolatedCase[],
  baseline: readonly boolean[],
  options: SuiteOptions,
  onRound: () => void,
) {
  const rounds = roundsFor(options.quick);
  const { warmup, warmupMs, sampleMs, maxMs } = rounds;
  const runs = options.runs ?? rounds.runs;
  const maxRuns = Math.max(runs, rounds.maxRuns);
  const settled = (timings: readonly CaseTiming[]) =>
    isSettled(
      timings.filter((_, i) => !baseline[i]).map((t) => ({ backend: t.name, samples: t.runsMs, metadataPerFrame: 0 })),
    );
  return withWorkers(cases, (runners) =>
    measureSteady(runners, { warmup, warmupMs, sampleMs, runs, maxRuns, maxMs, settled, onRound }),
  );
}

/** Malloc-trace events replayed per run (the whole trace in the full suite). */
const MALLOC_EVENTS = { quick: 150_000, full: Number.POSITIVE_INFINITY };
/** @thi.ng/malloc replays a prefix only: its first-fit free list gets slow as the heap fragments. */
const THING_EVENTS = { quick: 20_000, full: 60_000 };

export function machineInfo(): Machine {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? "unknown",
    cores: cpu.length,
    memoryBytes: totalmem(),
    platform: process.platform,
    arch: process.arch,
    node: process.version,
    v8: process.versions.v8,
  };
}

/** Counts of the workloads' progress steps, so the bar can be sized before anything runs. */
export function suiteSteps(options: SuiteOptions): number {
  const { warmup, runs } = roundsFor(options.quick);
  const workloads =
    selectedWorkloads(options).length +
    selectedMalloc(options).length +
    (selectedGpu(options) ? 1 : 0) +
    (selectedIds(options) ? 1 : 0);
  return workloads * (warmup + runs + 1);
}

/** Every workload id the suite knows (what `--only` matches against). */
export function knownWorkloadIds(): string[] {
  return [...WORKLOADS.map((w) => w.id), ...MALLOC_TRACES.map((t) => `malloc-${t}`), GPU_WORKLOAD_ID, IDS_WORKLOAD_ID];
}

function selectedWorkloads(options: SuiteOptions) {
  return WORKLOADS.filter((w) => !options.only || options.only.some((o) => w.id.includes(o)));
}
function selectedGpu(options: SuiteOptions) {
  return !options.only || options.only.some((o) => GPU_WORKLOAD_ID.includes(o));
}
function selectedIds(options: SuiteOptions) {
  return !options.only || options.only.some((o) => IDS_WORKLOAD_ID.includes(o));
}
function selectedMalloc(options: SuiteOptions) {
  return MALLOC_TRACES.filter((t) => !options.only || options.only.some((o) => `malloc-${t}`.includes(o)));
}

function rowsFrom(
  timings: readonly CaseTiming[],
  info: readonly { baseline: boolean; ops: number; metadata: number | null; failed: number; note?: string }[],
): Row[] {
  const rows = timings.map((t, i) => {
    const ops = info[i]!.ops;
    const per = (ms: number) => (ms * 1e6) / ops;
    return {
      backend: t.name,
      baseline: info[i]!.baseline,
      ops,
      runs: t.runsMs.length,
      nsPerOp: { min: per(t.ms.min), q1: per(t.ms.q1), median: per(t.ms.median), q3: per(t.ms.q3), max: per(t.ms.max) },
      samplesNsPerOp: t.runsMs.map(per),
      opsPerSec: 1e9 / per(t.ms.median),
      relative: 0,
      metadataBytesPerFrame: info[i]!.metadata,
      failed: info[i]!.failed,
      ...(info[i]!.note ? { note: info[i]!.note } : {}),
    };
  });
  const fastest = Math.min(...rows.map((r) => r.nsPerOp.median));
  return rows.map((r) => ({ ...r, relative: r.nsPerOp.median / fastest }));
}

/** Rows of `cases` that are all baselines (workloads that compare heaps, with no bin backend to recommend). */
async function baselineRows(
  cases: readonly IsolatedCase[],
  info: Parameters<typeof rowsFrom>[1],
  options: SuiteOptions,
  id: string,
): Promise<Row[]> {
  const timings = await measureCases(
    cases,
    info.map(() => true),
    options,
    () => options.progress?.tick(id),
  );
  return rowsFrom(timings, info);
}

function recommendationFor(rows: readonly Row[]) {
  return recommend(
    rows
      .filter((r) => !r.baseline)
      .map((r) => ({
        backend: r.backend,
        samples: r.samplesNsPerOp,
        metadataPerFrame: r.metadataBytesPerFrame ?? 0,
      })),
  );
}

const framesOf = (buddy: BuddyAllocator) => buddy.stats().managedBytes / SEED_BASE_SIZE;

/** One op-trace workload on every backend. */
export async function runOpTraceWorkload(
  meta: { id: string; title: string; description: string; group?: string; floorBaseline?: boolean },
  trace: OpTrace,
  options: SuiteOptions,
): Promise<WorkloadReport> {
  const progress = options.progress;
  // Untimed check run per backend: the outcome must agree (same placement), and it gives metadata and the picture.
  const outcomes = BIN_BACKENDS.map((bins) => {
    const buddy = makeBuddy(bins);
    const result = replayOpTrace(trace, buddy);
    return { bins, buddy, result, metadata: buddy.metadataBytes() / framesOf(buddy) };
  });
  const reference = outcomes[0]!;
  for (const o of outcomes) {
    if (o.result.checksum !== reference.result.checksum || o.result.failed !== reference.result.failed) {
      throw new Error(
        `${meta.id}: ${o.bins} disagrees with ${reference.bins} (checksum ${o.result.checksum} vs ${reference.result.checksum})`,
      );
    }
  }
  progress?.tick(`${meta.id}: checked`);
  const cases: IsolatedCase[] = BIN_BACKENDS.map((bins) => ({
    name: bins,
    spec: { kind: "op-trace", bins, trace },
  }));
  const info: { baseline: boolean; ops: number; metadata: number | null; failed: number; note?: string }[] =
    outcomes.map((o) => ({ baseline: false, ops: trace.length, metadata: o.metadata, failed: o.result.failed }));
  if (meta.floorBaseline) {
    const floor = new FreeStackBaseline();
    const r = replayOpTrace(trace, floor);
    cases.push({ name: floor.name, spec: { kind: "free-stack", trace } });
    info.push({
      baseline: true,
      ops: trace.length,
      metadata: floor.metadataBytes() / framesOf(reference.buddy),
      failed: r.failed,
      note: "floor: LIFO stack of frames, no coalescing, order 0 only",
    });
  }
  const timings = await measureCases(
    cases,
    info.map((i) => i.baseline),
    options,
    () => progress?.tick(meta.id),
  );
  const rows = rowsFrom(timings, info);
  return {
    id: meta.id,
    title: meta.title,
    description: meta.description,
    kind: "op-trace",
    ...(meta.group ? { group: meta.group } : {}),
    ops: trace.length,
    outcome: { allocs: reference.result.allocs, failed: reference.result.failed, checksum: reference.result.checksum },
    rows,
    recommendation: recommendationFor(rows),
    addressSpace: captureAddressSpace(reference.buddy),
    notes: reference.result.failed > 0 ? [firstFailure(trace, makeBuddy("bitmap")) ?? ""].filter(Boolean) : [],
  };
}

/** One malloc trace: slab on buddy per backend, plus @thi.ng/malloc on a prefix. */
export async function runMallocWorkload(
  name: string,
  full: MallocTrace,
  text: string,
  options: SuiteOptions,
  meta?: { readonly id: string; readonly title: string; readonly description: string },
): Promise<WorkloadReport> {
  const progress = options.progress;
  const limit = options.quick ? MALLOC_EVENTS.quick : MALLOC_EVENTS.full;
  const trace = full.length > limit ? parseMallocTrace(text, limit) : full;
  const managed = managedBytesFor(trace);
  const outcomes = BIN_BACKENDS.map((bins) => {
    const { target, buddy, reallocs } = slabOnBuddy(bins, managed, true);
    const probe = new FootprintProbe(buddy);
    const result = replayMallocTrace(trace, target, probe);
    return { bins, buddy, result, reallocs, footprint: probe.peak, metadata: buddy.metadataBytes() / framesOf(buddy) };
  });
  progress?.tick(`malloc-${name}: checked`);
  const thingTrace = parseMallocTrace(text, options.quick ? THING_EVENTS.quick : THING_EVENTS.full);
  const thingBytes = Math.min(2 ** 30, Math.max(2 ** 24, 2 ** Math.ceil(Math.log2(thingTrace.peakLiveBytes * 2))));
  const thingResult = replayMallocTrace(thingTrace, thingMemPool(thingBytes));
  const cases: IsolatedCase[] = BIN_BACKENDS.map((bins) => ({
    name: `slab+${bins}`,
    spec: { kind: "slab", bins, managedBytes: managed, trace },
  }));
  cases.push({ name: "@thi.ng/malloc", spec: { kind: "thing-malloc", bytes: thingBytes, trace: thingTrace } });
  // @mm/vmem's arena on the same events, sized as `mm-bench arena` sizes it by default (2× peak live bytes).
  const arenaBytes = Math.max(2 ** 16, alignUp(2 * trace.peakLiveBytes, 8));
  const arenaResult = replayMallocTrace(trace, vmemArena(arenaBytes));
  cases.push({ name: "@mm/vmem arena", spec: { kind: "vmem-arena", bytes: arenaBytes, trace } });
  const info = [
    ...outcomes.map((o) => ({ baseline: false, ops: trace.length, metadata: o.metadata, failed: o.result.failed })),
    {
      baseline: true,
      ops: thingTrace.length,
      metadata: null,
      failed: thingResult.failed,
      note: `MemPool over a ${thingBytes / 2 ** 20} MiB ArrayBuffer; first ${thingTrace.length} events only (first-fit slows as the heap fragments)`,
    },
    {
      baseline: true,
      ops: trace.length,
      metadata: null,
      failed: arenaResult.failed,
      note: `instant-fit Arena over ${formatBytes(arenaBytes)} (2× peak live bytes), every request an exact range, no size classes`,
    },
  ];
  const timings = await measureCases(
    cases,
    info.map((i) => i.baseline),
    options,
    () => progress?.tick(`malloc-${name}`),
  );
  const rows = rowsFrom(timings, info).map((r) =>
    r.baseline ? r : { ...r, backend: r.backend.replace(/^slab\+/, "") },
  );
  const reference = outcomes[0]!;
  return {
    id: meta?.id ?? `malloc-${name}`,
    title: meta?.title ?? `Slab on buddy: ${name}`,
    description:
      meta?.description ??
      `The real malloc trace ${name}.trace.gz (${full.length} events${trace.length < full.length ? `, first ${trace.length} in --quick` : ""}) through @mm/slab's SlabAllocator on a BuddyAllocator of ${managed / 2 ** 20} MiB (4× the trace's peak live bytes).`,
    kind: "malloc-trace",
    ops: trace.length,
    outcome: { allocs: reference.result.allocs, failed: reference.result.failed },
    rows,
    recommendation: recommendationFor(rows),
    addressSpace: captureAddressSpace(reference.buddy),
    notes: [
      `peak live bytes ${trace.peakLiveBytes}; footprint (most held from the buddy at once) ${reference.footprint} = ${(reference.footprint / Math.max(1, trace.peakLiveBytes)).toFixed(3)}× peak live`,
      `realloc in place: ${reference.reallocs.inPlace} of ${reference.reallocs.calls} (${reference.reallocs.calls === 0 ? "-" : ((100 * reference.reallocs.inPlace) / reference.reallocs.calls).toFixed(1)}%)`,
      ...baselineNotes(rows, text, trace.length < full.length),
    ],
  };
}

const GPU_WORKLOAD_ID = "gpu-buffer";
const MiB = 2 ** 20;

/**
 * The GPU-buffer workload (gpu-workload.ts) on @mm/vmem and on buddy + allocateExact: failed requests at each
 * occupancy and the buffer's picture after (untimed runs, same seed), then both timed as rows. Both rows are
 * baselines: the bin-backend recommendation does not apply to them.
 */
export async function runGpuBufferWorkload(options: SuiteOptions, seed = 1): Promise<WorkloadReport> {
  const progress = options.progress;
  const heaps = [
    { make: vmemHeap, spec: "vmem" as const },
    { make: buddyHeap, spec: "buddy" as const },
  ];
  const gpu = heaps.map(({ make }) => {
    const heap = make();
    const steps = runGpuWorkload(heap, seed);
    return { heap: heap.name, steps, addressSpace: heap.addressSpace() };
  });
  progress?.tick(`${GPU_WORKLOAD_ID}: checked`);
  const cases: IsolatedCase[] = heaps.map(({ spec }, i) => ({
    name: gpu[i]!.heap,
    spec: { kind: "gpu-buffer", heap: spec, seed },
  }));
  const totals = gpu.map((g) => ({
    requests: g.steps.reduce((n, s) => n + s.requests, 0),
    failed: g.steps.reduce((n, s) => n + s.failed, 0),
  }));
  const info = gpu.map((g, i) => ({
    baseline: true,
    ops: GPU_WORKLOAD_STEPS,
    metadata: null,
    failed: totals[i]!.failed,
    note: `${totals[i]!.failed} of ${totals[i]!.requests} requests failed; at 95% occupancy ${g.steps.at(-1)!.failed} of ${g.steps.at(-1)!.requests}`,
  }));
  const rows = await baselineRows(cases, info, options, GPU_WORKLOAD_ID);
  return {
    id: GPU_WORKLOAD_ID,
    title: "GPU buffer sub-allocation: vmem against buddy + allocateExact",
    description:
      `One ${GPU_BUFFER_BYTES / MiB} MiB GPUBuffer under WebGPU's rules: vertex buffers of 1 KiB–4 MiB (sizes and offsets multiples of 4), ` +
      "uniform buffers of 256 B–64 KiB at offsets that are multiples of 256, no range crossing maxBufferSize. " +
      "For each occupancy target, requests arrive while less is live and random buffers are released above it; " +
      "the same seeded stream drives a @mm/vmem Arena (quantum 4, xalloc with align and nocross) and a BuddyAllocator " +
      "(256-byte frames, allocateExact). A failed request is one the heap refused while the buffer was not full.",
    kind: "gpu-buffer",
    ops: GPU_WORKLOAD_STEPS,
    outcome: { allocs: totals[0]!.requests, failed: totals[0]!.failed },
    rows,
    recommendation: undefined,
    gpu,
    notes: [],
  };
}

const IDS_WORKLOAD_ID = "packet-ids";
/** Steps of the packet-ID workload (`mm-bench ids` runs 1 000 000 by default), and the IDs kept in flight. */
const IDS_STEPS = { quick: 200_000, full: 1_000_000 };
const IDS_LIVE = 2_000;

/**
 * The packet-ID workload (ids-workload.ts, as `mm-bench ids` runs it): lowest-free IDs in [1, 65535] on
 * number-allocator (mqtt.js's) and on a @mm/vmem first-fit arena of quantum 1, checked to give the same ID at every
 * step (untimed), then both timed as baseline rows: IDs, not frames, so no bin backend is recommended.
 */
export async function runPacketIdsWorkload(options: SuiteOptions): Promise<WorkloadReport> {
  const progress = options.progress;
  const steps = options.quick ? IDS_STEPS.quick : IDS_STEPS.full;
  const { plan, ids, mismatch } = checkedIdPlan(steps, IDS_LIVE);
  if (mismatch !== undefined) throw new Error(`${IDS_WORKLOAD_ID}: ${mismatch}`);
  progress?.tick(`${IDS_WORKLOAD_ID}: checked`);
  let allocs = 0;
  for (let i = 0; i < plan.length; i++) if (plan[i]! < 0) allocs++;
  const failed = allocs - ids.reduce((n, id) => n + (id === 0 ? 0 : 1), 0);
  const cases: IsolatedCase[] = [
    { name: "number-allocator", spec: { kind: "packet-ids", ids: "number-allocator", plan } },
    { name: "vmem first-fit", spec: { kind: "packet-ids", ids: "vmem", plan } },
  ];
  const info = cases.map((c) => ({
    baseline: true,
    ops: steps,
    metadata: null,
    failed,
    note:
      c.spec.kind === "packet-ids" && c.spec.ids === "vmem"
        ? "Arena quantum 1, first-fit: alloc(1) is the lowest free ID"
        : "npm number-allocator (mqtt.js's packet IDs)",
  }));
  const rows = await baselineRows(cases, info, options, IDS_WORKLOAD_ID);
  const [base, ours] = rows.map((r) => r.nsPerOp.median);
  return {
    id: IDS_WORKLOAD_ID,
    title: "Packet IDs: vmem first-fit against number-allocator",
    description:
      `Lowest-free IDs in [${ID_MIN}, ${ID_MAX}] the way mqtt.js hands out packet IDs with number-allocator: about ` +
      `${IDS_LIVE} in flight, freed in random order, with bursts of 2 000 allocations. The same seeded steps (drawn ` +
      "before the clock starts) drive number-allocator and a @mm/vmem Arena (quantum 1, first-fit); both must give " +
      "the same ID at every step.",
    kind: "packet-ids",
    ops: steps,
    outcome: { allocs, failed },
    rows,
    recommendation: undefined,
    notes: [
      `the same ID at all ${steps} steps; vmem first-fit took ${(ours! / base!).toFixed(3)}× number-allocator's time per step (${(base! / ours!).toFixed(2)}× faster)`,
    ],
  };
}

/** glibc's and wasm TLSF's ns/op on the same events beside ours (bitmap), or how to get them. */
function baselineNotes(rows: readonly Row[], text: string, prefix: boolean): string[] {
  if (prefix) return ["glibc / wasm TLSF: not run on a --quick prefix"];
  const ours = rows.find((r) => r.backend === "bitmap")?.nsPerOp.median;
  return nativeBaselines(text).map((b) =>
    b.nsPerOp === undefined
      ? `${b.name}: ${b.note}`
      : `${b.name}: ${b.nsPerOp.toFixed(2)} ns/op${ours === undefined ? "" : `; slab+bitmap is ${(ours / b.nsPerOp).toFixed(2)}× it`}`,
  );
}

export async function runSuite(options: SuiteOptions): Promise<Report> {
  const started = Date.now();
  const { warmup, runs, maxRuns } = roundsFor(options.quick);
  const workloads: WorkloadReport[] = [];
  for (const w of selectedWorkloads(options)) {
    options.progress?.label(`${w.id}: generating`);
    const trace = w.generate({ quick: options.quick });
    workloads.push(await runOpTraceWorkload(w, trace, options));
  }
  for (const name of selectedMalloc(options)) {
    options.progress?.label(`malloc-${name}: parsing`);
    const text = readMallocTraceText(mallocTracePath(name));
    const trace = parseMallocTrace(text);
    workloads.push(await runMallocWorkload(name, trace, text, options));
  }
  if (selectedGpu(options)) {
    options.progress?.label(`${GPU_WORKLOAD_ID}: running`);
    workloads.push(await runGpuBufferWorkload(options));
  }
  if (selectedIds(options)) {
    options.progress?.label(`${IDS_WORKLOAD_ID}: running`);
    workloads.push(await runPacketIdsWorkload(options));
  }
  return {
    tool: "mm-bench",
    generatedAt: new Date().toISOString(),
    quick: options.quick,
    warmup,
    runs,
    maxRuns,
    durationMs: Date.now() - started,
    machine: machineInfo(),
    workloads,
  };
}

export type { BinsName };

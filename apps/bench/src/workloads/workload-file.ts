/**
 * The suite's generated workloads are data: `data/workloads.json` lists them, each with its seed, the memory it
 * manages, its quick/full counts and its phases as records (the fields of {@link WorkloadSpec}), and names the
 * order mixes the phases draw from. This module checks that file, field by field, and turns it into specs for
 * {@link specWorkload}; a mistake is a {@link WorkloadFileError} naming the field, never a workload that runs
 * something else.
 *
 * What the JSON writes differently from a spec:
 * - sizes are bytes or strings such as `"64 MiB"` (units KiB to PiB), seeds are hex strings (`"0xb007"`, as the
 *   trace's `prng=` comment writes them);
 * - `orders` may name one of the file's `orderMixes`;
 * - a `policy` phase names one of the functions the caller passes (code only where records cannot say it);
 * - memory is `{ poolBytes }`, `{ iomem: FILE, summary }` (the System RAM ranges of a `/proc/iomem` copy in
 *   data/), or `{ spread: { ranges, rangeBytes, span } }` (equal ranges spread evenly over an address span).
 */
import { formatBytes, parseIomem } from "@mm/hal";
import type { OrderWeights } from "./workload.js";
import type { Count, Orders, Phase, PhaseContext, WorkloadMemory, WorkloadSpec } from "./workload-spec.js";

/** The workload file, checked. */
export interface WorkloadFile {
  /** The named order mixes, by name. */
  readonly orderMixes: Readonly<Record<string, OrderWeights>>;
  /** The workloads, in the file's (the report's) order. */
  readonly specs: readonly WorkloadSpec<string>[];
}

/** What the file's names refer to. */
export interface WorkloadFileSources {
  /** The functions a `policy` phase may name. */
  readonly policies: Readonly<Record<string, (context: PhaseContext<string>) => void>>;
  /** The text of a file in the bench's data/ (for an `iomem` memory). */
  readonly readData: (name: string) => string;
}

/** A workload file that does not say what it must: the message names the file, the field and what was expected. */
export class WorkloadFileError extends Error {
  override readonly name = "WorkloadFileError";
}

const UNITS: Readonly<Record<string, number>> = {
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
  PiB: 2 ** 50,
};
const PHASE_KINDS = ["allocate", "fill", "drain", "available", "churn", "repeat", "policy"] as const;

type Fields = Record<string, unknown>;

/** Parses and checks the text of a workload file; `source` names it in messages. */
export function parseWorkloadFile(text: string, source: string, sources: WorkloadFileSources): WorkloadFile {
  const fail = (path: string, expected: string, got: unknown): never => {
    throw new WorkloadFileError(`${source}: ${path}: expected ${expected}, got ${JSON.stringify(got) ?? "nothing"}`);
  };

  /** `value` as an object (of any fields). */
  const record = (value: unknown, path: string): Fields =>
    typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Fields)
      : fail(path, "an object", value);
  /** `value` as an object with the `required` fields and no others than those and `optional`. */
  const fields = (value: unknown, path: string, required: readonly string[], optional: readonly string[] = []) => {
    const object = record(value, path);
    for (const key of required) if (!Object.hasOwn(object, key)) fail(`${path}.${key}`, "a value", undefined);
    for (const key of Object.keys(object)) {
      if (!required.includes(key) && !optional.includes(key)) {
        fail(`${path}.${key}`, `no such field (fields: ${[...required, ...optional].join(", ")})`, object[key]);
      }
    }
    return object;
  };
  const string = (value: unknown, path: string): string =>
    typeof value === "string" && value !== "" ? value : fail(path, "a non-empty string", value);
  const integer = (value: unknown, path: string): number =>
    Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : fail(path, "an integer ≥ 0", value);
  const probability = (value: unknown, path: string): number =>
    typeof value === "number" && value >= 0 && value <= 1 ? value : fail(path, "a number from 0 to 1", value);
  const bytes = (value: unknown, path: string): number => {
    const match = typeof value === "string" ? /^(\d+) (\w+)$/.exec(value) : null;
    const n = match !== null && Object.hasOwn(UNITS, match[2]!) ? Number(match[1]) * UNITS[match[2]!]! : value;
    return Number.isSafeInteger(n) && (n as number) > 0
      ? (n as number)
      : fail(path, 'a byte count > 0 below 2^53, or "<n> KiB|MiB|GiB|TiB|PiB"', value);
  };
  const weights = (value: unknown, path: string): OrderWeights => {
    const ok =
      Array.isArray(value) &&
      value.length > 0 &&
      value.every(
        (pair) =>
          Array.isArray(pair) &&
          pair.length === 2 &&
          Number.isSafeInteger(pair[0]) &&
          pair[0] >= 0 &&
          typeof pair[1] === "number" &&
          pair[1] > 0,
      );
    return ok ? (value as OrderWeights) : fail(path, "[[order, weight > 0], …]", value);
  };

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WorkloadFileError(`${source}: not JSON (${(error as Error).message})`, { cause: error });
  }
  const file = fields(json, "(top)", ["orderMixes", "workloads"], ["about"]);
  const mixesField = record(file.orderMixes, "orderMixes");
  const orderMixes: Record<string, OrderWeights> = {};
  for (const [name, mix] of Object.entries(mixesField)) {
    const path = `orderMixes.${name}`;
    orderMixes[name] = weights(fields(mix, path, ["weights"], ["about"]).weights, `${path}.weights`);
  }
  const mixNames = Object.keys(orderMixes).join(", ") || "none";

  const orders = (value: unknown, path: string): Orders => {
    if (typeof value === "string") {
      return Object.hasOwn(orderMixes, value) ? orderMixes[value]! : fail(path, `an order mix (${mixNames})`, value);
    }
    return typeof value === "number" ? integer(value, path) : weights(value, path);
  };

  const memory = (value: unknown, path: string): WorkloadMemory => {
    const kinds = record(value, path);
    if ("poolBytes" in kinds)
      return { poolBytes: bytes(fields(value, path, ["poolBytes"]).poolBytes, `${path}.poolBytes`) };
    if ("iomem" in kinds) {
      const { iomem, summary } = fields(value, path, ["iomem", "summary"]);
      const name = string(iomem, `${path}.iomem`);
      if (!/^[\w.-]+$/.test(name)) fail(`${path}.iomem`, "a file name in data/", name);
      return { ranges: parseIomem(sources.readData(name)), summary: string(summary, `${path}.summary`) };
    }
    if ("spread" in kinds) {
      const spread = fields(fields(value, path, ["spread"]).spread, `${path}.spread`, ["ranges", "rangeBytes", "span"]);
      const count = integer(spread.ranges, `${path}.spread.ranges`);
      const rangeBytes = bytes(spread.rangeBytes, `${path}.spread.rangeBytes`);
      const span = bytes(spread.span, `${path}.spread.span`);
      if (count === 0 || span / count < 2 * rangeBytes) {
        fail(`${path}.spread`, "at least one range, each slot (span / ranges) at least 2 · rangeBytes", spread);
      }
      const summary = `ranges=${count}x${formatBytes(rangeBytes).replace(" ", "")} span=${span} bytes`;
      return { ranges: spreadRanges(count, rangeBytes, span), summary };
    }
    return fail(path, "one of poolBytes, iomem (with summary) or spread", value);
  };

  const spec = (value: unknown, path: string): WorkloadSpec<string> => {
    const w = fields(
      value,
      path,
      ["id", "title", "description", "seed", "memory", "phases"],
      ["counts", "group", "floorBaseline"],
    );
    const id = string(w.id, `${path}.id`);
    const at = `${path} (${id})`;
    const seedText = string(w.seed, `${at}.seed`);
    if (!/^0x[0-9a-f]{1,8}$/.test(seedText)) fail(`${at}.seed`, 'a 32-bit hex string such as "0xb007"', seedText);
    const counts: Record<string, { quick: number; full: number }> = {};
    for (const [name, count] of Object.entries(record(w.counts ?? {}, `${at}.counts`))) {
      const { quick, full } = fields(count, `${at}.counts.${name}`, ["quick", "full"]);
      counts[name] = {
        quick: integer(quick, `${at}.counts.${name}.quick`),
        full: integer(full, `${at}.counts.${name}.full`),
      };
    }
    const count = (value: unknown, path: string): Count<string> =>
      typeof value === "string" && Object.hasOwn(counts, value)
        ? value
        : typeof value === "number"
          ? integer(value, path)
          : fail(path, `an integer ≥ 0 or a count name (${Object.keys(counts).join(", ") || "none"})`, value);
    const phases = (value: unknown, path: string): Phase<string>[] =>
      Array.isArray(value) ? value.map((p, i) => phase(p, `${path}[${i}]`)) : fail(path, "an array of phases", value);
    const phase = (value: unknown, path: string): Phase<string> => {
      const kind = record(value, path).kind;
      const p = (required: readonly string[], optional: readonly string[] = []) =>
        fields(value, path, ["kind", ...required], optional);
      switch (kind) {
        case "allocate": {
          const f = p(["count", "orders"], ["every"]);
          const every = f.every === undefined ? undefined : fields(f.every, `${path}.every`, ["nth", "order"]);
          return {
            kind,
            count: count(f.count, `${path}.count`),
            orders: orders(f.orders, `${path}.orders`),
            ...(every && {
              every: {
                nth: integer(every.nth, `${path}.every.nth`),
                order: integer(every.order, `${path}.every.order`),
              },
            }),
          };
        }
        case "fill":
          return { kind, order: integer(p(["order"]).order, `${path}.order`) };
        case "drain":
        case "available":
          p([]);
          return { kind };
        case "churn": {
          const f = p(["ops", "pAlloc", "orders"], ["availableEvery"]);
          return {
            kind,
            ops: count(f.ops, `${path}.ops`),
            pAlloc: probability(f.pAlloc, `${path}.pAlloc`),
            orders: orders(f.orders, `${path}.orders`),
            ...(f.availableEvery !== undefined && {
              availableEvery: integer(f.availableEvery, `${path}.availableEvery`),
            }),
          };
        }
        case "repeat": {
          const f = p(["times", "phases"]);
          return { kind, times: count(f.times, `${path}.times`), phases: phases(f.phases, `${path}.phases`) };
        }
        case "policy": {
          const name = string(p(["policy"]).policy, `${path}.policy`);
          const run = Object.hasOwn(sources.policies, name) ? sources.policies[name]! : undefined;
          return {
            kind,
            run: run ?? fail(`${path}.policy`, `a policy (${Object.keys(sources.policies).join(", ")})`, name),
          };
        }
        default:
          return fail(`${path}.kind`, `one of ${PHASE_KINDS.join(", ")}`, kind);
      }
    };
    return {
      id,
      title: string(w.title, `${at}.title`),
      description: string(w.description, `${at}.description`),
      ...(w.group !== undefined && { group: string(w.group, `${at}.group`) }),
      ...(w.floorBaseline !== undefined && {
        floorBaseline: w.floorBaseline === true || fail(`${at}.floorBaseline`, "true", w.floorBaseline),
      }),
      seed: Number.parseInt(seedText, 16),
      memory: memory(w.memory, `${at}.memory`),
      counts,
      phases: phases(w.phases, `${at}.phases`),
    };
  };

  if (!Array.isArray(file.workloads)) fail("workloads", "an array of workloads", file.workloads);
  const specs = (file.workloads as unknown[]).map((w, i) => spec(w, `workloads[${i}]`));
  const seen = new Set<string>();
  for (const { id } of specs) {
    if (seen.has(id)) fail("workloads", "distinct ids", id);
    seen.add(id);
  }
  return { orderMixes, specs };
}

/**
 * `count` ranges of `rangeBytes`, one per equal slot of `[0, span)`, each ending one range-size below its slot's
 * end: the last ends `rangeBytes` below the span's top, so a 4 PiB span stays below 2^52, where the seed's PAddr
 * stops (its traces replay with seed-replay too).
 */
function spreadRanges(count: number, rangeBytes: number, span: number): { start: number; end: number }[] {
  const stride = span / count;
  return Array.from({ length: count }, (_, i) => {
    const end = (i + 1) * stride - rangeBytes;
    return { start: end - rangeBytes, end };
  });
}

/**
 * The standard suite's generated buddy workloads, in report order: records that workload-spec.ts runs. (The real
 * malloc traces are listed in data.ts.)
 */
import { boot } from "./boot.js";
import { fillDrain } from "./fill-drain.js";
import { fragmentation } from "./fragmentation.js";
import { mixedOrders } from "./mixed-orders.js";
import { order0Churn } from "./order0-churn.js";
import { spanGrowth } from "./span-growth.js";
import type { Workload } from "./workload.js";

export type { Scale, Workload } from "./workload.js";

export const WORKLOADS: readonly Workload[] = [boot, fillDrain, order0Churn, mixedOrders, fragmentation, ...spanGrowth];

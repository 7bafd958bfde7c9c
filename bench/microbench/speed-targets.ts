import { rateShortfallAtTarget, silentMisses } from './open-loop-rate.bench.ts';
import type { MicroResult } from './run-bench.ts';

/** The foundation's speed targets, checked against micro-benchmark medians of one run. */
export interface SpeedTarget {
  readonly id: string;
  readonly description: string;
  readonly limit: number;
  readonly unit: 'ns' | 'x' | '%' | 'count';
  /** The measured figure, or undefined when its suite did not run. */
  measure(results: readonly MicroResult[]): number | undefined;
}

function median(results: readonly MicroResult[], suite: string, id: string): number | undefined {
  return results.find((r) => r.suite === suite && r.id === id)?.medianNs;
}

/** median(id) / median(baselineId), both of the same suite and run; undefined when either is missing. */
function ratio(suite: string, id: string, baselineId: string): (results: readonly MicroResult[]) => number | undefined {
  return (results) => {
    const value = median(results, suite, id);
    const baseline = median(results, suite, baselineId);
    return value === undefined || baseline === undefined ? undefined : value / baseline;
  };
}

export const SPEED_TARGETS: readonly SpeedTarget[] = [
  {
    id: 'alpha158',
    description: 'Alpha158 for one symbol and date, median',
    limit: 1e6,
    unit: 'ns',
    measure: (r) => median(r, 'alpha158', 'compute'),
  },
  {
    id: 'parquet-read',
    description: "Parquet read of one symbol's 3-year file, median",
    limit: 5e6,
    unit: 'ns',
    measure: (r) => median(r, 'parquet-read', 'read-series'),
  },
  {
    id: 'hit-vs-bare-get',
    description: 'hit path (GET + decode) p50 / bare GET p50, same run',
    limit: 1.5,
    unit: 'x',
    measure: ratio('hit-path', 'hit', 'bare-get'),
  },
  {
    id: 'record-value',
    description: 'recording one value, median per call',
    limit: 100,
    unit: 'ns',
    measure: (r) => median(r, 'record-value', 'metric-recorder'),
  },
  {
    id: 'mrc-exact-1m',
    description: 'exact stack-distance hit-rate curve over 1M accesses, median',
    limit: 5e9,
    unit: 'ns',
    measure: (r) => median(r, 'miss-ratio-curve', 'exact-1m'),
  },
  {
    id: 'mrc-shards-10m',
    description: 'SHARDS (rate 0.01) hit-rate curve over 10M accesses, median',
    limit: 5e9,
    unit: 'ns',
    measure: (r) => median(r, 'miss-ratio-curve', 'shards-10m'),
  },
  {
    id: 'mrc-shards-error',
    description: 'SHARDS largest |error| vs exact at every size, as a share of the allowed 0.02 absolute',
    limit: 1,
    unit: 'x',
    measure: (r) => median(r, 'miss-ratio-curve', 'shards-10m-error'),
  },
  {
    id: 'mrc-fenwick-vs-naive',
    description: 'Fenwick stack distances / literal stack, same 30k-access trace, same run',
    limit: 1,
    unit: 'x',
    measure: ratio('miss-ratio-curve', 'fenwick-30k', 'naive-30k'),
  },
  {
    id: 'open-loop-rate-20k',
    description:
      'open loop at 20k GET/s per worker (1 and 2 workers): largest shortfall of the achieved rate below target',
    limit: 1,
    unit: '%',
    measure: rateShortfallAtTarget,
  },
  {
    id: 'open-loop-says-when-behind',
    description: 'open-loop cells that missed their rate by more than 1% with no "fell behind" warning',
    limit: 0,
    unit: 'count',
    measure: silentMisses,
  },
];

export interface TargetCheck {
  readonly target: SpeedTarget;
  readonly measured: number;
  readonly met: boolean;
}

export function checkSpeedTargets(results: readonly MicroResult[]): TargetCheck[] {
  return SPEED_TARGETS.flatMap((target) => {
    const measured = target.measure(results);
    return measured === undefined || !Number.isFinite(measured)
      ? []
      : [{ target, measured, met: measured <= target.limit }];
  });
}

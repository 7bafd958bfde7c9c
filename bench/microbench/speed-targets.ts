import type { MicroResult } from './run-bench.ts';

/** The foundation's speed targets, checked against micro-benchmark medians of one run. */
export interface SpeedTarget {
  readonly id: string;
  readonly description: string;
  readonly limit: number;
  readonly unit: 'ns' | 'x';
  /** The measured figure, or undefined when its suite did not run. */
  measure(results: readonly MicroResult[]): number | undefined;
}

function median(results: readonly MicroResult[], suite: string, id: string): number | undefined {
  return results.find((r) => r.suite === suite && r.id === id)?.medianNs;
}

export const SPEED_TARGETS: readonly SpeedTarget[] = [
  { id: 'alpha158', description: 'Alpha158 for one symbol and date, median', limit: 1e6, unit: 'ns', measure: (r) => median(r, 'alpha158', 'compute') },
  { id: 'parquet-read', description: "Parquet read of one symbol's 3-year file, median", limit: 5e6, unit: 'ns', measure: (r) => median(r, 'parquet-read', 'read-series') },
  {
    id: 'hit-vs-bare-get',
    description: 'hit path (GET + decode) p50 / bare GET p50, same run',
    limit: 1.5,
    unit: 'x',
    measure: (r) => {
      const hit = median(r, 'hit-path', 'hit');
      const bare = median(r, 'hit-path', 'bare-get');
      return hit === undefined || bare === undefined ? undefined : hit / bare;
    },
  },
  { id: 'record-value', description: 'recording one value, median per call', limit: 100, unit: 'ns', measure: (r) => median(r, 'record-value', 'metric-recorder') },
];

export interface TargetCheck {
  readonly target: SpeedTarget;
  readonly measured: number;
  readonly met: boolean;
}

export function checkSpeedTargets(results: readonly MicroResult[]): TargetCheck[] {
  return SPEED_TARGETS.flatMap((target) => {
    const measured = target.measure(results);
    return measured === undefined || !Number.isFinite(measured) ? [] : [{ target, measured, met: measured <= target.limit }];
  });
}

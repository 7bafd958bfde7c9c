import { describe, expect, it } from 'vitest';
import type { MicroResult } from './run-bench.ts';
import { checkSpeedTargets } from './speed-targets.ts';

function result(suite: string, id: string, medianNs: number): MicroResult {
  return { suite, id, task: id, samples: 100, medianNs, meanNs: medianNs, p99Ns: medianNs };
}

describe('checkSpeedTargets', () => {
  it('computes the hit / bare GET ratio from the same run and judges every target', () => {
    const checks = checkSpeedTargets([
      result('alpha158', 'compute', 20_000),
      result('parquet-read', 'read-series', 6e6),
      result('hit-path', 'bare-get', 40_000),
      result('hit-path', 'hit', 50_000),
      result('record-value', 'metric-recorder', 4),
    ]);
    expect(checks.map((c) => [c.target.id, c.met])).toEqual([
      ['alpha158', true],
      ['parquet-read', false],
      ['hit-vs-bare-get', true],
      ['record-value', true],
    ]);
    expect(checks.find((c) => c.target.id === 'hit-vs-bare-get')?.measured).toBeCloseTo(1.25, 12);
  });

  it('leaves out targets whose suite did not run', () => {
    expect(checkSpeedTargets([result('alpha158', 'compute', 2e6)]).map((c) => [c.target.id, c.met])).toEqual([
      ['alpha158', false],
    ]);
  });
});

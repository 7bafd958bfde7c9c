import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import { runScenarioForTest, useTempDir } from '../../bench/test-support/scenario-test-run.ts';
import type { TestRedis } from '../../src/test-support/start-redis.ts';
import { startTestRedis } from '../../src/test-support/start-redis.ts';
import { httpSignals } from './http-signals.ts';

const tmpPath = useTempDir('rpb-http-signals-');
let urlTarget: TestRedis;
beforeAll(async () => {
  urlTarget = await startTestRedis();
});
afterAll(async () => {
  await urlTarget?.stop();
});

const OVERRIDES = {
  symbolCount: '10',
  warmSetSize: '5',
  phaseDurationMs: '300',
  mixRounds: '3',
  mixRequestsPerRound: '3',
  killPhaseDurationMs: '1500',
  connections: '2',
};

/** Both tests run the same small service on seed 3; only the Redis differs. */
function runHttpSignals(outDir: string, redisUrl: string | null) {
  return runScenarioForTest({
    scenario: httpSignals,
    claims: CLAIMS,
    params: { seed: 3, outDir, redisUrl, dataDir: tmpPath('data'), overrides: OVERRIDES },
  });
}

describe('http-signals scenario', () => {
  it('drives the service over HTTP in every phase, records per-request HDR latencies and judges the 80%-hit example', async () => {
    const outDir = tmpPath('managed');
    const { summary, failures } = await runHttpSignals(outDir, null);
    expect(failures).toEqual([]);
    const report = summary.scenarios[0]!;
    expect(report.status).toBe('ok');
    for (const metric of [
      'http.warm',
      'http.no-cache',
      'http.cold',
      'http.mix.no-cache',
      'http.mix.80pct-hit',
      'http.redis-killed',
    ]) {
      expect({ metric, count: report.metrics[metric]?.summary.count ?? 0 }).toMatchObject({
        metric,
        count: expect.any(Number),
      });
      expect(report.metrics[metric]!.summary.count).toBeGreaterThan(0);
    }
    expect(report.metrics['http.mix.80pct-hit']!.trials).toHaveLength(3);
    const hgrm = await readFile(path.join(outDir, 'http-signals', 'http.warm.hgrm'), 'utf8');
    expect(hgrm).toMatch(/Total count\s*=\s*[1-9]/);
    const v = report.values;
    expect(v['warm.hit-rate']!.value).toBe(1);
    expect(v['cold.hit-rate']!.value).toBe(0);
    // 4 of 5 symbols cached per request: exactly 80% of lookups hit, unless the service gave a lookup up
    // under load (its cache timeout); such a pair is counted and left out of the trials.
    if (v['mix.dropped-pairs']!.value === 0) expect(v['mix.hit-rate']!.value).toBeCloseTo(0.8, 6);
    else expect(v['mix.dropped-pairs']!.value).toBeLessThan(9);
    expect(v['warm.errors']!.value).toBe(0);
    // The document's degradation row: requests complete while Redis is killed.
    expect(v['redis-killed.completed-after-kill']!.value).toBe(1);
    expect(v['redis-killed.fallbacks']!.value).toBeGreaterThan(0);
    expect(report.verdicts.map((verdict) => verdict.claimId).sort()).toEqual([
      'http.mix-improvement',
      'http.mix-no-cache',
      'http.mix-with-cache',
    ]);
    for (const verdict of report.verdicts) expect(verdict.interval?.trials).toBe(3);
    expect(report.trials['http.mix-improvement']).toHaveLength(3);
  }, 60_000);

  it('skips the Redis-killed phase with a note on a --redis-url target', async () => {
    const { summary, failures } = await runHttpSignals(tmpPath('url'), urlTarget.url);
    expect(failures).toEqual([]);
    const report = summary.scenarios[0]!;
    expect(report.notes.join('\n')).toMatch(/redis-killed phase skipped/);
    expect(report.metrics['http.redis-killed']).toBeUndefined();
    expect(report.values['warm.hit-rate']!.value).toBe(1);
  }, 60_000);
});

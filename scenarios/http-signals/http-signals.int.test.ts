import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import { runScenarios } from '../../bench/run/runner.ts';
import type { RunParams } from '../../bench/run/run-params.ts';
import type { TestRedis } from '../../src/test-support/start-redis.ts';
import { startTestRedis } from '../../src/test-support/start-redis.ts';
import { httpSignals } from './http-signals.ts';

let tmp: string;
let urlTarget: TestRedis;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rpb-http-signals-'));
  urlTarget = await startTestRedis();
});
afterAll(async () => {
  await urlTarget?.stop();
  await rm(tmp, { recursive: true, force: true });
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

function params(outDir: string, redisUrl: string | null): RunParams {
  return {
    quick: true,
    seed: 3,
    outDir,
    redisUrl,
    missExtraMs: 0,
    dataDir: path.join(tmp, 'data'),
    overrides: OVERRIDES,
    addedLatencyMs: 0,
    shard: null,
    workers: 1,
  } as RunParams;
}

describe('http-signals scenario', () => {
  it('drives the service over HTTP in every phase, records per-request HDR latencies and judges the 80%-hit example', async () => {
    const outDir = path.join(tmp, 'managed');
    const { summary, failures } = await runScenarios({
      scenarios: [httpSignals],
      params: params(outDir, null),
      command: 'test',
      signal: new AbortController().signal,
      progress: () => {},
      claims: CLAIMS,
      knownScenarioIds: ['http-signals'],
    });
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
    expect(v['mix.hit-rate']!.value).toBeCloseTo(0.8, 6);
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
  });

  it('skips the Redis-killed phase with a note on a --redis-url target', async () => {
    const { summary, failures } = await runScenarios({
      scenarios: [httpSignals],
      params: params(path.join(tmp, 'url'), urlTarget.url),
      command: 'test',
      signal: new AbortController().signal,
      progress: () => {},
      claims: CLAIMS,
      knownScenarioIds: ['http-signals'],
    });
    expect(failures).toEqual([]);
    const report = summary.scenarios[0]!;
    expect(report.notes.join('\n')).toMatch(/redis-killed phase skipped/);
    expect(report.metrics['http.redis-killed']).toBeUndefined();
    expect(report.values['warm.hit-rate']!.value).toBe(1);
  });
});

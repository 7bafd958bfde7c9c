import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import { isListening } from '../../bench/test-support/run-cli.ts';
import { runScenarios } from '../../bench/run/runner.ts';
import type { RunParams } from '../../bench/run/run-params.ts';
import type { ScenarioReport } from '../../bench/core/run-summary.ts';
import { pipelining } from './pipelining.ts';

let tmp: string;
let report: ScenarioReport;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rpb-pipelining-'));
  const params: RunParams = {
    quick: true,
    seed: 1,
    outDir: path.join(tmp, 'run'),
    redisUrl: null,
    missExtraMs: 0,
    dataDir: null,
    overrides: { roundDurationMs: '200', rounds: '3' },
    addedLatencyMs: 0,
    shard: null,
    workers: 1,
  };
  const { summary } = await runScenarios({
    scenarios: [pipelining],
    params,
    command: 'test',
    signal: new AbortController().signal,
    progress: () => {},
    claims: CLAIMS,
    knownScenarioIds: [pipelining.id],
  });
  report = summary.scenarios[0];
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('pipelining scenario (quick)', () => {
  it('ends ok with a metric for every mode, batch size and added round trip', () => {
    expect(report.error).toBeNull();
    expect(report.status).toBe('ok');
    for (const mode of ['sequential', 'pipeline', 'mget', 'auto-pipeline']) {
      for (const batch of [1, 5, 50]) {
        for (const name of [`${mode}[batch=${batch}]`, `${mode}[batch=${batch},rtt=2ms]`]) {
          expect(report.metrics[name]?.summary.count, name).toBeGreaterThan(0);
          expect(report.metrics[name].trials).toHaveLength(3);
        }
      }
    }
    expect(Object.keys(report.metrics)).toHaveLength(4 * 3 * 2);
  });

  it('gives a speedup value per batch size and round trip, and a verdict on 3 trials', () => {
    for (const batch of [1, 5, 50]) {
      for (const name of [`speedup[batch=${batch}]`, `speedup[batch=${batch},rtt=2ms]`]) {
        expect(report.values[name]?.unit, name).toBe('x');
        expect(report.values[name].value, name).toBeGreaterThan(0);
      }
    }
    const verdict = report.verdicts.find((v) => v.claimId === 'optimization.pipeline-5-gets');
    expect(verdict?.interval?.trials).toBe(3);
    expect(verdict?.conditions).toMatch(/loopback/);
    expect(report.trials['optimization.pipeline-5-gets']).toHaveLength(3);
  });

  it('pays 50 round trips sequentially and one in a pipeline when each round trip costs 2 ms', () => {
    const sequential = report.metrics['sequential[batch=50,rtt=2ms]'].summary.p50Ns;
    const pipeline = report.metrics['pipeline[batch=50,rtt=2ms]'].summary.p50Ns;
    expect(sequential).not.toBeNull();
    expect(pipeline).not.toBeNull();
    expect(sequential!).toBeGreaterThan(pipeline!);
  });

  it('leaves no redis-server behind', async () => {
    expect(report.target?.kind).toBe('managed');
    expect(await isListening(Number(new URL(report.target!.redactedUrl).port))).toBe(false);
  });
});

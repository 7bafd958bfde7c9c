import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import { findRedisBenchmark } from './redis-benchmark-runner.ts';
import { liveChildPids } from '../../bench/core/cleanup-registry.ts';
import { isListening } from '../../bench/test-support/run-cli.ts';
import { runScenarioForTest, useTempDir, watchTargetPorts } from '../../bench/test-support/scenario-test-run.ts';
import { commandLatency } from './command-latency.ts';

const tmpPath = useTempDir('rpb-command-latency-');

/** A phase's three generator-load figures: measured (Redis's share read over the admin connection). */
function expectGeneratorLoad(values: Record<string, { value: number | null }>, key: string): void {
  const name = `generator-load.${key}`;
  expect(values[`${name}.event-loop-p99-ms`]?.value).toBeGreaterThanOrEqual(0);
  expect(values[`${name}.harness-cpu-share`]?.value).toBeGreaterThanOrEqual(0);
  expect(values[`${name}.redis-cpu-share`]?.value).toBeGreaterThanOrEqual(0);
}

/** Tiny rates and durations: this checks the plumbing, not the machine. */
const TINY = {
  rates: '100:200',
  adaptive: 'on',
  maxAdaptiveSteps: '1',
  stepDurationMs: '300',
  warmupDurationMs: '100',
  claimRate: '100',
  claimRounds: '6',
  claimRoundDurationMs: '200',
  redisBenchmark: 'managed',
  compareDrivers: 'both',
  compareDurationMs: '300',
  compareRounds: '2',
  connections: '2',
  pipelineDepth: '2',
  keyCount: '50',
  budgetMs: '1000',
};

describe('command-latency scenario', () => {
  it('sweeps GET, SET and MGET5 open loop, marks the knee, judges the claim from 6 rounds, gives each phase its generator load and sets redis-benchmark beside ours', async () => {
    const { scenario, ports } = watchTargetPorts(commandLatency);
    const { summary, failures, outDir } = await runScenarioForTest({
      scenario,
      claims: CLAIMS,
      params: { outDir: tmpPath('run'), overrides: TINY },
    });
    expect(failures).toEqual([]);
    const report = summary.scenarios[0];
    expect(report.status).toBe('ok');
    const { metrics, values } = report;
    const notes = report.notes.join('\n');
    // Listed rates, then one doubling, unless a step was not held (a loaded machine): then the sweep stops there.
    for (const label of ['GET', 'SET', 'MGET5']) {
      const ran = [100, 200, 400].filter((rate) => `${label}:${rate}-ops-s` in metrics);
      expect(ran).toEqual([100, 200, 400].slice(0, ran.length));
      expect(ran.length).toBeGreaterThan(0);
      if (ran.length < 3) expect(notes).toMatch(new RegExp(`${label}: sweep stopped at ${ran[ran.length - 1]} ops/s`));
      else expect(notes).toMatch(new RegExp(`${label}: (not saturated up to 400 ops/s|sweep stopped at 400 ops/s)`));
      for (const rate of ran) {
        expect(metrics[`${label}:${rate}-ops-s`].summary.count).toBeGreaterThan(rate * 0.3 * 0.5);
        expect(metrics[`${label}:${rate}-ops-s.uncorrected`].summary.count).toBe(
          metrics[`${label}:${rate}-ops-s`].summary.count,
        );
        // Every outcome: the successes plus the failures the figure counts (none expected here, but exact either way).
        expect(metrics[`${label}:${rate}-ops-s.all`].summary.count).toBe(
          metrics[`${label}:${rate}-ops-s`].summary.count + (values[`${label}:${rate}-ops-s.failed`].value as number),
        );
        expect(values[`${label}:${rate}-ops-s.p99-ms`].value).toBeGreaterThan(0);
        expect(values[`${label}:${rate}-ops-s.achieved-ops-per-second`].value).toBeGreaterThan(rate * 0.5);
        expectGeneratorLoad(values, `${label}:${rate}-ops-s`);
      }
      const knee = values[`knee-ops-per-second.${label}`];
      expect(knee).toBeDefined();
      if (knee.value !== null) {
        expect(ran).toContain(knee.value);
        expect(values[`${label}:${knee.value}-ops-s.p99-ms`].value).toBeLessThanOrEqual(1000);
      }
      expect(report.series?.[`${label} p99`]?.x).toHaveLength(ran.length);
      expect(metrics[`claim.${label}:100-ops-s`].trials).toHaveLength(6);
      // The claim is judged on every outcome: its trials are the .all histogram's.
      expect(metrics[`claim.${label}:100-ops-s.all`].trials).toHaveLength(6);
      for (let round = 1; round <= 6; round++) expectGeneratorLoad(values, `claim.${label}:100-ops-s.round-${round}`);
      expect(metrics[`claim.${label}:100-ops-s.all`].summary.count).toBe(
        metrics[`claim.${label}:100-ops-s`].summary.count + (values[`claim.${label}:100-ops-s.failed`].value as number),
      );
    }
    expect(notes).toMatch(/throughput-latency curve/);

    const verdict = report.verdicts.find((v) => v.claimId === 'monitoring.command-p99');
    expect(verdict?.interval?.trials).toBe(6);
    expect(verdict?.conditions).toMatch(/2,000 commands\/s/);
    expect(report.trials['monitoring.command-p99']).toHaveLength(6);
    // The conditions say "generator-limited" exactly when a claim phase was, and then name it.
    const limitedClaimPhases = Object.entries(values).filter(
      ([name, v]) =>
        /^generator-load\.claim\..*\.event-loop-p99-ms$/.test(name) && /generator-limited \(/.test(v.description),
    );
    expect(verdict?.conditions.includes('generator-limited (event-loop p99 ')).toBe(limitedClaimPhases.length > 0);

    if (findRedisBenchmark() !== null) {
      for (const label of ['GET', 'SET', 'MGET5']) {
        expect(values[`redis-benchmark.${label}.ops-per-second`].value).toBeGreaterThan(0);
        // Both drivers ran on the same server: the load generator's lean loop and ioredis.
        for (const driver of ['resp', 'ioredis']) {
          expect(values[`ratio.${driver}.${label}.throughput`].value).toBeGreaterThan(0);
          expect(metrics[`max.${driver}.${label}.c2-p2`].summary.count).toBeGreaterThan(0);
        }
      }
      expect(values['speed-target.get-throughput-ratio'].value).toBe(values['ratio.resp.GET.throughput'].value);
      expect(values['speed-target.set-throughput-ratio'].value).toBe(values['ratio.resp.SET.throughput'].value);
      expect(values['speed-target.mget-throughput-ratio'].value).toBe(values['ratio.resp.MGET5.throughput'].value);
      for (const round of [1, 2]) expectGeneratorLoad(values, `max.resp.GET.c2-p2.round-${round}`);
      expect(values['ratio.resp.one-connection.GET.p50'].value).toBeGreaterThan(0);
      expect(values['ratio.ioredis.one-connection.GET.p50'].value).toBeGreaterThan(0);
      // Two paired rounds: the ratio is the median (here the mean) of the two rounds' ratios, listed in the note.
      const getNote =
        notes.split('\n').find((n) => n.startsWith('GET, 2 connections, pipeline depth 2, driver resp:')) ?? '';
      const perRound = [...(getNote.match(/rounds: ([\d.]+), ([\d.]+)/) ?? [])].slice(1).map(Number);
      expect(perRound).toHaveLength(2);
      expect(values['ratio.resp.GET.throughput'].value).toBeCloseTo((perRound[0] + perRound[1]) / 2, 1);
    } else {
      expect(report.notes.join('\n')).toMatch(/not on PATH/);
    }
    const files = await readdir(path.join(outDir, 'command-latency'));
    expect(files).toEqual(
      expect.arrayContaining([
        'GET_100-ops-s.hgrm',
        'GET_100-ops-s.hlog',
        'GET_100-ops-s.uncorrected.hgrm',
        'GET_100-ops-s.all.hgrm',
        'GET_100-ops-s.all.hlog',
      ]),
    );
    expect(ports).toHaveLength(1);
    expect(await isListening(ports[0])).toBe(false);
    expect(liveChildPids()).toEqual([]);
  });

  it('stops promptly when aborted, leaving no server or child behind', async () => {
    const { scenario, ports } = watchTargetPorts(commandLatency);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 1_500);
    const { summary } = await runScenarioForTest({
      scenario,
      claims: CLAIMS,
      params: {
        outDir: tmpPath('aborted'),
        overrides: { ...TINY, stepDurationMs: '60000', claimRoundDurationMs: '60000' },
      },
      signal: controller.signal,
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(summary.scenarios[0].status).toBe('interrupted');
    expect(await isListening(ports[0])).toBe(false);
    expect(liveChildPids()).toEqual([]);
  });
});

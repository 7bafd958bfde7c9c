import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import { findRedisBenchmark } from './redis-benchmark-runner.ts';
import { parseHlog } from '../../bench/report/hlog-reader.ts';
import { liveChildPids } from '../../bench/core/cleanup-registry.ts';
import { runScenarioForTest, useTempDir } from '../../bench/test-support/scenario-test-run.ts';
import { commandLatency } from './command-latency.ts';

const tmpPath = useTempDir('rpb-command-latency-workers-');

/** One sweep step of 1.2 s (two intervals of the 1 s grid), tiny rates: this checks the split, not the machine. */
const STEP_MS = 1_200;
const TINY = {
  rates: '200',
  adaptive: 'off',
  stepDurationMs: String(STEP_MS),
  warmupDurationMs: '100',
  claimRate: '100',
  claimRounds: '3',
  claimRoundDurationMs: '200',
  compareDurationMs: '200',
  redisBenchmark: 'managed',
  compareDrivers: 'resp',
  connections: '2',
  pipelineDepth: '2',
  keyCount: '50',
  budgetMs: '1000',
};

const LABELS = ['GET', 'SET', 'MGET5'];

/** Exactly the metrics a one-worker run of TINY records (the names do not depend on --workers). */
function expectedMetricNames(): string[] {
  const names = LABELS.flatMap((label) => [`${label}:200-ops-s`, `claim.${label}:100-ops-s`]);
  if (findRedisBenchmark() !== null)
    names.push(
      ...['resp'].flatMap((driver) => [
        ...LABELS.map((label) => `max.${driver}.${label}.c2-p2`),
        `one-connection.${driver}.GET`,
      ]),
    );
  const openLoop = names.filter((n) => n.includes('-ops-s'));
  return [...names, ...openLoop.map((n) => `${n}.uncorrected`), ...openLoop.map((n) => `${n}.all`)].sort();
}

describe('command-latency with --workers 2', () => {
  it('runs every step in 2 threads: the same metrics as one worker, and the merged counts are what was sent (no interval lost or counted twice)', async () => {
    const { summary, failures, outDir } = await runScenarioForTest({
      scenario: commandLatency,
      claims: CLAIMS,
      params: { outDir: tmpPath('w2'), overrides: TINY, workers: 2 },
    });
    expect(failures).toEqual([]);
    const report = summary.scenarios[0]!;
    expect(report.status).toBe('ok');
    expect(Object.keys(report.metrics).sort()).toEqual(expectedMetricNames());
    expect(report.parameters.loadWorkers).toBe(2);
    // Each pooled step's generator load: the busiest thread's event loop and CPU, Redis's CPU read by the pool.
    for (const label of LABELS)
      for (const figure of ['event-loop-p99-ms', 'harness-cpu-share', 'redis-cpu-share'])
        expect(report.values[`generator-load.${label}:200-ops-s.${figure}`]?.value).toBeGreaterThanOrEqual(0);
    expect(report.notes.join('\n')).toMatch(
      /--workers 2: every step ran in 2 worker threads started for it \(each step, claim rounds included, after its own 100 ms warm-up\), each with 1 connection,/,
    );

    for (const label of LABELS) {
      // The sweep step: count = achieved rate x duration (ok = sent: no failures on a preloaded key space).
      const metric = report.metrics[`${label}:200-ops-s`]!;
      const achieved = report.values[`${label}:200-ops-s.achieved-ops-per-second`]!.value as number;
      const sent = (achieved * STEP_MS) / 1_000;
      expect(sent).toBeGreaterThan(200 * 1.2 * 0.5);
      expect(Math.abs(metric.summary.count - sent)).toBeLessThanOrEqual(Math.max(4, sent * 0.02));
      expect(report.metrics[`${label}:200-ops-s.uncorrected`]!.summary.count).toBe(metric.summary.count);
      // Every outcome, merged from both threads exactly: the successes plus the counted failures.
      const failed = report.values[`${label}:200-ops-s.failed`]!.value as number;
      expect(report.metrics[`${label}:200-ops-s.all`]!.summary.count).toBe(metric.summary.count + failed);
      // Both workers' intervals arrived and were cut on the common grid: the .hlog holds every value,
      // in >= 2 intervals.
      const hlog = parseHlog(await readFile(path.join(outDir, metric.files.hlog), 'utf8'));
      expect(hlog.intervals.reduce((sum, i) => sum + i.histogram.totalCount, 0)).toBe(metric.summary.count);
      expect(hlog.intervals.filter((i) => i.histogram.totalCount > 0).length).toBeGreaterThanOrEqual(2);

      // The claim rounds: three trials of ~20 each, adding up to the total.
      const claim = report.metrics[`claim.${label}:100-ops-s`]!;
      expect(claim.trials).toHaveLength(3);
      expect(claim.trials.reduce((sum, t) => sum + t.count, 0)).toBe(claim.summary.count);
      for (const trial of claim.trials) expect(trial.count).toBeGreaterThan(100 * 0.2 * 0.5);
    }
    const verdict = report.verdicts.find((v) => v.claimId === 'monitoring.command-p99');
    expect(verdict?.interval?.trials).toBe(3);
    expect(verdict?.conditions).toMatch(/load in 2 worker threads/);
    if (findRedisBenchmark() !== null) {
      // The max-throughput closed loop ran in the threads too, and its counts reached the recorders.
      expect(report.notes.join('\n')).toMatch(/ran in the 2 threads too/);
      for (const label of LABELS.map((l) => `resp.${l}`)) {
        const max = report.metrics[`max.${label}.c2-p2`]!;
        const rate = report.values[`ours.${label}.max-ops-per-second`]!.value as number;
        expect(max.summary.count).toBeGreaterThan(0);
        expect(Math.abs(max.summary.count - (rate * 200) / 1_000)).toBeLessThanOrEqual(
          Math.max(10, max.summary.count * 0.1),
        );
      }
    }
    expect(liveChildPids()).toEqual([]);
  });
});

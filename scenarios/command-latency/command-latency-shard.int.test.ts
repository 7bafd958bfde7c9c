import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import { runMergeCommand } from '../../bench/commands/merge.ts';
import type { ShardSpec } from '../../bench/load/shard.ts';
import { liveChildPids } from '../../bench/core/cleanup-registry.ts';
import type { RunSummary } from '../../bench/core/run-summary.ts';
import { runScenarioForTest, useTempDir } from '../../bench/test-support/scenario-test-run.ts';
import { commandLatency } from './command-latency.ts';

const tmpPath = useTempDir('rpb-command-latency-shard-');

const STEP_MS = 600;
const RATE = 400;
/** Tiny rates and durations: this checks the split and the merge, not the machine. */
const TINY = {
  rates: String(RATE),
  adaptive: 'off',
  stepDurationMs: String(STEP_MS),
  warmupDurationMs: '100',
  claimRate: '200',
  claimRounds: '3',
  claimRoundDurationMs: '200',
  connections: '2',
  pipelineDepth: '2',
  keyCount: '50',
  budgetMs: '1000',
};
const LABELS = ['GET', 'SET', 'MGET5'];

async function runShard(shard: ShardSpec): Promise<{ dir: string; summary: RunSummary }> {
  const { summary, failures, outDir } = await runScenarioForTest({
    scenario: commandLatency,
    claims: CLAIMS,
    params: { outDir: tmpPath(`s${shard.index}`), seed: 3, overrides: TINY, shard },
  });
  expect(failures).toEqual([]);
  return { dir: outDir, summary };
}

describe('command-latency with --shard k/N and rpb merge', () => {
  it('each of 2 shards runs half of every rate under the whole rate names; the merge holds exactly the sum', async () => {
    const s1 = await runShard({ index: 1, count: 2 });
    const s2 = await runShard({ index: 2, count: 2 });
    const reports = [s1, s2].map((s) => s.summary.scenarios[0]!);
    for (const [i, report] of reports.entries()) {
      expect(report.status).toBe('ok');
      expect(report.parameters.shard).toBe(`${i + 1}/2`);
      const notes = report.notes.join('\n');
      expect(notes).toMatch(new RegExp(`shard ${i + 1}/2: this machine ran 1/2 of every open-loop rate`));
      expect(notes).toMatch(/read them on the merged run \(`rpb merge`/);
      expect(notes).toMatch(/redis-benchmark comparison skipped under --shard/);
      // The shard's verdict is its own, judged on its 3 rounds, and says so.
      const verdict = report.verdicts.find((v) => v.claimId === 'monitoring.command-p99');
      expect(verdict?.conditions).toMatch(new RegExp(`shard ${i + 1}/2 only: this machine sent 100 ops/s per command`));
      for (const label of LABELS) {
        // Half of the rate: the count of one shard is about RATE / 2 x duration.
        const achieved = report.values[`${label}:${RATE}-ops-s.achieved-ops-per-second`]!.value as number;
        expect(achieved).toBeLessThan(RATE * 0.5 * 1.1);
        expect(achieved).toBeGreaterThan(RATE * 0.5 * 0.5);
        expect(report.metrics[`${label}:${RATE}-ops-s`]!.summary.count).toBeLessThan(
          RATE * 0.5 * (STEP_MS / 1_000) * 1.1 + 2,
        );
      }
    }
    // Every shard ran every step (no early stop): the same metric names on both.
    expect(Object.keys(reports[0]!.metrics).sort()).toEqual(Object.keys(reports[1]!.metrics).sort());

    const out = tmpPath('merged');
    const warnings: string[] = [];
    await runMergeCommand([s1.dir, s2.dir], out, (m) => warnings.push(m));
    expect(warnings).toEqual([]);
    const merged = (JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as RunSummary).scenarios[0]!;
    expect(Object.keys(merged.metrics).sort()).toEqual(Object.keys(reports[0]!.metrics).sort());
    for (const [name, metric] of Object.entries(merged.metrics)) {
      expect(metric.summary.count, name).toBe(
        reports[0]!.metrics[name]!.summary.count + reports[1]!.metrics[name]!.summary.count,
      );
    }
    // The combined step holds about the whole rate x duration.
    for (const label of LABELS)
      expect(merged.metrics[`${label}:${RATE}-ops-s`]!.summary.count).toBeGreaterThan(RATE * (STEP_MS / 1_000) * 0.5);
    expect(liveChildPids()).toEqual([]);
  });
});

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeHistogram } from '../analysis/latency-summary.ts';
import { ConfigError } from '../errors.ts';
import { loadSeed, shardedCount } from '../load/shard.ts';
import type { ShardSpec } from '../load/shard.ts';
import { createLatencyHistogram } from '../measure/histogram-bounds.ts';
import { parseHlog } from '../report/hlog-reader.ts';
import { runScenarios } from '../run/runner.ts';
import type { RunParams } from '../run/run-params.ts';
import type { RunSummary } from '../core/run-summary.ts';
import type { Scenario } from '../run/scenario.ts';
import { SeededRandom } from '../../src/market/seeded-random.ts';
import { runMergeCommand } from './merge.ts';
import { testRunParams } from '../test-support/scenario-test-run.ts';

const TOTAL_VALUES = 6_001;

/** The values shard k records: its share of the count, drawn with its own seed (as a load would). */
function shardValues(params: Pick<RunParams, 'seed' | 'shard'>): number[][] {
  const random = new SeededRandom(loadSeed(params));
  const count = shardedCount(TOTAL_VALUES, params);
  // Three phases, so the .hlog has several intervals to align.
  return [0, 1, 2].map((phase) =>
    Array.from({ length: Math.floor(count / 3) + (phase < count % 3 ? 1 : 0) }, () =>
      Math.round(20_000 * (1 + phase) * Math.exp(3 * random.nextFloat())),
    ),
  );
}

const recording: Scenario = {
  id: 'merge-probe',
  description: 'records seeded values per shard (merge test)',
  claims: [],
  async run(context) {
    for (const values of shardValues(context.params)) {
      for (const v of values) context.recorders.metric('op').recordNs(v);
      await new Promise((resolve) => setTimeout(resolve, 250));
      context.recorders.cutAll();
    }
    return {
      values: { recorded: { value: 1, unit: 'count', description: 'test' } },
      trials: {},
      verdicts: [],
      parameters: {},
      notes: [],
    };
  },
};

let tmp: string;
const shardDirs: string[] = [];

function params(outDir: string, shard: ShardSpec | null, seed = 7): RunParams {
  return testRunParams({ quick: true, seed, outDir, shard });
}

async function runShard(outDir: string, shard: ShardSpec | null, seed = 7): Promise<string> {
  const { failures } = await runScenarios({
    scenarios: [recording],
    params: params(outDir, shard, seed),
    command: 'test',
    signal: new AbortController().signal,
    progress: () => {},
    claims: [],
    knownScenarioIds: ['merge-probe'],
  });
  expect(failures).toEqual([]);
  return outDir;
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rpb-merge-'));
  shardDirs.push(await runShard(path.join(tmp, 's1'), { index: 1, count: 2 }));
  shardDirs.push(await runShard(path.join(tmp, 's2'), { index: 2, count: 2 }));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function summaryOf(dir: string): Promise<RunSummary> {
  return JSON.parse(await readFile(path.join(dir, 'summary.json'), 'utf8')) as RunSummary;
}

describe('rpb merge', () => {
  it('adds two shard runs exactly: total count = sum, every percentile = that of one histogram holding all values', async () => {
    const out = path.join(tmp, 'merged');
    const messages: string[] = [];
    const result = await runMergeCommand(shardDirs, out, (m) => messages.push(m));
    expect(messages).toEqual([]);
    const merged = await summaryOf(out);
    const s1 = await summaryOf(shardDirs[0]!);
    const s2 = await summaryOf(shardDirs[1]!);
    expect(s1.params.shard).toEqual({ index: 1, count: 2 });
    const metric = merged.scenarios[0]!.metrics.op!;
    expect(metric.summary.count).toBe(
      s1.scenarios[0]!.metrics.op!.summary.count + s2.scenarios[0]!.metrics.op!.summary.count,
    );
    expect(metric.summary.count).toBe(TOTAL_VALUES);

    const all = createLatencyHistogram();
    for (const shard of [1, 2])
      for (const values of shardValues({ seed: 7, shard: { index: shard, count: 2 } }))
        for (const v of values) all.recordValue(v);
    const expected = summarizeHistogram(all);
    expect(metric.summary.p99Ns).toBe(expected.p99Ns);
    expect(metric.summary.p50Ns).toBe(expected.p50Ns);
    expect(metric.summary.p999Ns).toBe(expected.p999Ns);
    expect(metric.summary.maxNs).toBe(expected.maxNs);
    // The shards drew different values (their own seeds): neither p99 alone is the merged one by construction.
    expect(s1.scenarios[0]!.metrics.op!.summary.p50Ns).not.toBe(s2.scenarios[0]!.metrics.op!.summary.p50Ns);

    // The merged .hlog intervals add up to the same total, and the report files exist.
    const hlog = parseHlog(await readFile(path.join(out, metric.files.hlog), 'utf8'));
    expect(hlog.intervals.reduce((sum, i) => sum + i.histogram.totalCount, 0)).toBe(TOTAL_VALUES);
    expect(await readFile(path.join(out, metric.files.hgrm), 'utf8')).toMatch(
      new RegExp(`Total count\\s+=\\s+${TOTAL_VALUES}`),
    );
    for (const file of ['report.md', 'index.html'])
      expect((await readFile(path.join(out, file), 'utf8')).length).toBeGreaterThan(100);
    expect(merged.params.mergedFrom?.map((m) => m.shard?.index)).toEqual([1, 2]);
    expect(merged.scenarios[0]!.values['recorded (shard 2/2)']?.value).toBe(1);
    expect(result.output).toMatch(/merged 2 shard runs \(1\/2, 2\/2\)/);
    expect(result.output).toMatch(/merge-probe op\s+6001/);
  });

  it('merges with a warning when a shard is missing', async () => {
    const messages: string[] = [];
    const result = await runMergeCommand([shardDirs[1]!], path.join(tmp, 'partial'), (m) => messages.push(m));
    expect(messages.join('\n')).toMatch(/shard 1\/2 missing/);
    expect(result.output).toMatch(/warning: shard 1\/2 missing/);
  });

  it('refuses runs that are not shards of one run, with every problem named, and writes nothing', async () => {
    const other = await runShard(path.join(tmp, 'other-seed'), { index: 1, count: 2 }, 8);
    const unsharded = await runShard(path.join(tmp, 'unsharded'), null);
    const out = path.join(tmp, 'refused');
    const cases: [string[], RegExp][] = [
      [[shardDirs[0]!, shardDirs[0]!], /both shard 1\/2/],
      [[shardDirs[1]!, other], /differs from .* in seed \(8 vs 7\)/],
      [[shardDirs[0]!, unsharded], /is not a shard run/],
    ];
    for (const [dirs, pattern] of cases) {
      const error = await runMergeCommand(dirs, out, () => {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect([(error as ConfigError).message, ...(error as ConfigError).problems].join('\n')).toMatch(pattern);
      await expect(readFile(path.join(out, 'summary.json'))).rejects.toThrow();
    }
    const summaryPath = path.join(tmp, 'bad', 'summary.json');
    await rm(path.dirname(summaryPath), { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(summaryPath)));
    await writeFile(summaryPath, '{"schema":"something-else"}');
    await expect(runMergeCommand([path.dirname(summaryPath)], out, () => {})).rejects.toBeInstanceOf(ConfigError);
    await expect(runMergeCommand(shardDirs, shardDirs[0]!, () => {})).rejects.toThrow(
      /shard folders being merged|already holds/,
    );
  });
});

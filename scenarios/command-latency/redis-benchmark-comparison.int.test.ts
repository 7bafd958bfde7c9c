import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis } from '../../src/test-support/start-redis.ts';
import type { TestRedis } from '../../src/test-support/start-redis.ts';
import { RecorderSet } from '../../bench/measure/recorder-set.ts';
import { COMMAND_OPERATION_DEFAULTS, preloadCommandKeys } from '../../bench/load/command-operation.ts';
import type { CommandOperationSpec } from '../../bench/load/command-operation.ts';
import { openRespConnections } from '../../bench/load/load-clients.ts';
import type { LoadResult } from '../../bench/load/load-result.ts';
import { compareWithRedisBenchmark } from './redis-benchmark-comparison.ts';
import type { MaxThroughputRun } from './comparison-request.ts';
import type { LoadClient } from '../../bench/load/worker-protocol.ts';

/*
 * The comparison's arithmetic on known inputs: a stand-in redis-benchmark prints a scripted row
 * per call, and our max-throughput runs report scripted rates and record scripted latencies, so
 * every median and ratio the comparison derives can be checked exactly. The one-connection runs
 * are real (a managed redis-server), their ratio checked against the figures they produced.
 */

/** redis-benchmark's rows, call by call: 3 max-throughput rounds, then 3 one-connection rounds. */
const THEIR_ROWS = [
  { rps: 50_000, p50: 0.1, p99: 0.4 },
  { rps: 40_000, p50: 0.2, p99: 0.6 },
  { rps: 45_000, p50: 0.15, p99: 0.5 },
  { rps: 20_000, p50: 0.03, p99: 0.1 },
  { rps: 24_000, p50: 0.05, p99: 0.1 },
  { rps: 22_000, p50: 0.04, p99: 0.1 },
];
/** Our max-throughput rates per driver, round by round, and the latency every run records. */
// Chosen so that the median of the rounds' ratios differs from the ratio of the medians (1.0 vs 0.89, 0.6 vs 0.67).
const OUR_RATES = { resp: [60_000, 40_000, 30_000], ioredis: [30_000, 20_000, 36_000] } as const;
const OUR_LATENCY_NS = { resp: 300_000, ioredis: 900_000 } as const;

let redis: TestRedis;
let admin: Redis;
let dir: string;
const spec: CommandOperationSpec = {
  ...COMMAND_OPERATION_DEFAULTS,
  command: 'GET',
  keyCount: 20,
  valueBase64: Buffer.alloc(100, 1).toString('base64'),
  seed: 3,
};

beforeAll(async () => {
  redis = await startTestRedis();
  admin = new Redis(redis.url, { lazyConnect: true });
  await admin.connect();
  await preloadCommandKeys(spec, admin);
  dir = await mkdtemp(path.join(tmpdir(), 'rpb-fake-rb-'));
  const rows = THEIR_ROWS.map((r) => `"GET","${r.rps}","0.1","0.01","${r.p50}","0.2","${r.p99}","1.0"`);
  const script = [
    '#!/bin/bash',
    `count_file="${dir}/count"`,
    'n=$(cat "$count_file" 2>/dev/null || echo 0)',
    'echo $((n + 1)) > "$count_file"',
    `echo "$*" >> "${dir}/args"`,
    'rows=(' + rows.map((r) => `'${r}'`).join(' ') + ')',
    'echo \'"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"\'',
    'echo "${rows[$n]}"',
  ].join('\n');
  await writeFile(path.join(dir, 'redis-benchmark'), `${script}\n`);
  await chmod(path.join(dir, 'redis-benchmark'), 0o755);
});
afterAll(async () => {
  admin?.disconnect();
  await redis?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('compareWithRedisBenchmark on scripted figures', () => {
  it('throughput ratios are the median of the paired rounds, latencies and speed targets follow from what was recorded', async () => {
    const recorders = new RecorderSet();
    const rounds = { resp: 0, ioredis: 0 };
    // Our max-throughput runs: no traffic, a scripted rate, 100 scripted latencies in the run's metric.
    const runMaxThroughput = async (run: MaxThroughputRun): Promise<LoadResult> => {
      const driver = run.driver as 'resp' | 'ioredis';
      const rate = OUR_RATES[driver][rounds[driver]++];
      for (let i = 0; i < 100; i++) recorders.metric(run.metricName).recordNs(OUR_LATENCY_NS[driver]);
      return {
        sent: rate,
        ok: rate,
        errors: 0,
        timeouts: 0,
        abandoned: 0,
        unsent: 0,
        targetRate: null,
        achievedRate: rate,
        maxSendLagMs: null,
        durationMs: run.durationMs,
        aborted: false,
        warnings: [],
      };
    };
    const resp = await openRespConnections(
      redis.url,
      { connectionsPerWorker: 2, commandTimeoutMs: 5_000, connectTimeoutMs: 5_000, batchWrites: false },
      'rpb-compare-test',
    );
    const ioredis = [new Redis(redis.url), new Redis(redis.url)];
    try {
      const result = await compareWithRedisBenchmark({
        redisUrl: redis.url,
        targetKind: 'managed',
        mode: 'managed',
        commands: [{ label: 'GET', spec }],
        drivers: [
          { driver: 'resp', clients: resp },
          { driver: 'ioredis', clients: ioredis as LoadClient[] },
        ],
        pipelineDepth: 1,
        durationMs: 200,
        warmupDurationMs: 0,
        rounds: 3,
        recorders,
        signal: new AbortController().signal,
        progress: () => {},
        env: { RPB_REDIS_BENCHMARK: path.join(dir, 'redis-benchmark') },
        runMaxThroughput,
        maxThroughputThreads: 2,
      });
      expect(result.ran).toBe(true);
      const v = (name: string): number | null => result.values[name]?.value ?? null;
      const max = THEIR_ROWS.slice(0, 3);
      const one = THEIR_ROWS.slice(3);
      // redis-benchmark: the median of its rounds; each call got -c 2 -P 1, the max-throughput ones --threads 2.
      expect(v('redis-benchmark.GET.ops-per-second')).toBe(45_000);
      expect(v('redis-benchmark.GET.p50-ms')).toBe(0.15);
      expect(v('redis-benchmark.GET.p99-ms')).toBe(0.5);
      const args = (await readFile(path.join(dir, 'args'), 'utf8')).trim().split('\n');
      expect(args).toHaveLength(6);
      for (const line of args.slice(0, 3)) expect(line).toMatch(/-c 2 -P 1 .*--threads 2/);
      for (const line of args.slice(3)) expect(line).toMatch(/-c 1 -P 1 /);
      for (const line of args.slice(3)) expect(line).not.toMatch(/--threads/);
      // Ours: the median of our rates; the throughput ratio is the median of the rounds' ratios (not a
      // ratio of medians).
      for (const driver of ['resp', 'ioredis'] as const) {
        const rates = OUR_RATES[driver];
        expect(v(`ours.${driver}.GET.max-ops-per-second`)).toBe(median(rates));
        const paired = median(rates.map((r, i) => r / max[i].rps));
        expect(v(`ratio.${driver}.GET.throughput`)).toBeCloseTo(paired, 12);
        const p50 = v(`ours.${driver}.GET.p50-ms`) as number;
        // HDR precision: 3 significant digits.
        expect(p50).toBeCloseTo(OUR_LATENCY_NS[driver] / 1e6, 3);
        expect(v(`ratio.${driver}.GET.p50`)).toBeCloseTo(p50 / 0.15, 12);
        expect(v(`ratio.${driver}.GET.p99`)).toBeCloseTo((v(`ours.${driver}.GET.p99-ms`) as number) / 0.5, 12);
      }
      expect(v('ratio.resp.GET.throughput')).toBeCloseTo(1, 12);
      expect(v('ratio.ioredis.GET.throughput')).toBeCloseTo(0.6, 12);
      // One connection: real runs, against the median of redis-benchmark's p50s (0.04 ms).
      expect(v('redis-benchmark.one-connection.GET.p50-ms')).toBe(median(one.map((r) => r.p50)));
      for (const driver of ['resp', 'ioredis']) {
        const ours = v(`ours.${driver}.one-connection.GET.p50-ms`) as number;
        expect(ours).toBeGreaterThan(0);
        expect(recorders.metric(`one-connection.${driver}.GET`).total().totalCount).toBeGreaterThan(0);
        expect(v(`ratio.${driver}.one-connection.GET.p50`)).toBeCloseTo(ours / 0.04, 12);
      }
      // The speed targets are read on the resp driver.
      expect(v('speed-target.get-throughput-ratio')).toBe(v('ratio.resp.GET.throughput'));
      expect(v('speed-target.one-connection-p50-ratio')).toBe(v('ratio.resp.one-connection.GET.p50'));
      expect(result.notes.join('\n')).toMatch(
        /GET, 2 connections, pipeline depth 1, 2 threads each, driver resp: .*rounds: 1\.20, 1\.00, 0\.67/,
      );
    } finally {
      for (const connection of resp) connection.close();
      for (const client of ioredis) client.disconnect();
    }
  });
});

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { runCapacityCommand } from './capacity.ts';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rpb-capacity-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const tiny = { symbols: '50', datesHot: '5', peakRps: '200', ttlSeconds: '20', targetHitRate: '0.6' };

describe('rpb capacity', () => {
  it('answers from a measured managed Redis and a command-latency run, writing Markdown, HTML and JSON', async () => {
    const run = path.join(tmp, 'run');
    await writeFile(path.join(tmp, 'summary.json'), '{}');
    await mkdir(run);
    await writeFile(
      path.join(run, 'summary.json'),
      JSON.stringify({
        scenarios: [
          {
            id: 'command-latency',
            values: { 'knee-ops-per-second.GET': { value: 50_000 }, 'knee-ops-per-second.SET': { value: 40_000 } },
          },
        ],
      }),
    );
    const workload = path.join(tmp, 'workload.yaml');
    await writeFile(workload, 'replicas: 2\nheadroom: 0.5\n');
    const out = path.join(tmp, 'out');
    const text = await runCapacityCommand({ ...tiny, config: workload, fromRun: run, out, json: true }, () => {});
    const answer = JSON.parse(text);
    expect(answer.input.replicas).toBe(2);
    expect(answer.throughput.getOpsPerSecond).toBe(50_000);
    expect(answer.throughput.source).toMatch(/knee of the command-latency run/);
    expect(answer.keyCost.usedMemoryPerKey).toBeGreaterThan(answer.keyCost.meanValueBytes);
    expect(answer.plan.keySpace).toBe(250);
    expect(answer.plan.hitRatioAtNeed).toBeGreaterThanOrEqual(0.6);
    expect(answer.plan.replicaMemoryBytes).toBe(2 * answer.plan.primaryMemoryBytes);
    expect(answer.plan.shards).toBe(1);
    const html = await readFile(path.join(out, 'capacity.html'), 'utf8');
    expect(html).toMatch(/<svg/);
    expect(await readFile(path.join(out, 'capacity.md'), 'utf8')).toMatch(/\| shards \| 1 = max\(1 by memory/);
  });

  it('measures node throughput itself without a run folder, and says so', async () => {
    const text = await runCapacityCommand({ ...tiny, out: path.join(tmp, 'out2'), json: true }, () => {});
    const answer = JSON.parse(text);
    expect(answer.throughput.source).toMatch(/short built-in measurement/);
    expect(answer.throughput.getOpsPerSecond).toBeGreaterThan(0);
  });

  it('rejects bad input with ConfigError naming the fix', async () => {
    await expect(runCapacityCommand({ targetHitRate: '80', out: path.join(tmp, 'x') }, () => {})).rejects.toThrow(
      /--target-hit-rate 80/,
    );
    const bad = path.join(tmp, 'bad.yaml');
    await writeFile(bad, 'symbols: [1, 2\n');
    await expect(runCapacityCommand({ config: bad }, () => {})).rejects.toBeInstanceOf(ConfigError);
    await expect(runCapacityCommand({ ...tiny, fromRun: path.join(tmp, 'summary.json') }, () => {})).rejects.toThrow(
      /has no value knee-ops-per-second.GET/,
    );
    await expect(runCapacityCommand({ ...tiny, fromRun: path.join(tmp, 'nope') }, () => {})).rejects.toThrow(
      /no such file or folder/,
    );
  });
});

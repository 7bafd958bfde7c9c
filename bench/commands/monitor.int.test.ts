import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestRedis } from '../../src/test-support/start-redis.ts';
import { startTestRedis } from '../../src/test-support/start-redis.ts';
import { runCli, startCli } from '../test-support/run-cli.ts';

describe('rpb monitor (real CLI, own redis-server)', () => {
  let redis: TestRedis;
  let deadUrl: string;
  beforeAll(async () => {
    const gone = await startTestRedis();
    deadUrl = gone.url;
    await gone.stop();
    // The document's recommendations, so that a healthy server raises no alert.
    redis = await startTestRedis({ args: ['--maxmemory', '512mb', '--maxmemory-policy', 'volatile-lru'] });
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('prints the table and exits 0 for a healthy Redis', async () => {
    const result = await runCli(['monitor', '--redis-url', redis.url]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^hit rate\s+n\/a/m);
    expect(result.stdout).toMatch(/^eviction policy\s+volatile-lru/m);
    expect(result.stdout).toMatch(/SLOWLOG: empty/);
    expect(result.stdout).toMatch(/status: OK \(exit 0\)/);
  });

  it('exits 11 with a critical "unreachable" alert, as JSON', async () => {
    const result = await runCli(['monitor', '--redis-url', deadUrl, '--json']);
    expect(result.code).toBe(11);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ reachable: false, severity: 'critical', exitCode: 11 });
    expect(report.alerts[0]).toMatchObject({ id: 'unreachable', severity: 'critical' });
  });

  it('exits 2 for a bad --watch or URL', async () => {
    const watch = await runCli(['monitor', '--redis-url', redis.url, '--watch', 'often']);
    expect(watch.code).toBe(2);
    expect(watch.stderr).toMatch(/--watch "often": expected seconds/);
    const url = await runCli(['monitor', '--redis-url', 'http://nope']);
    expect(url.code).toBe(2);
    expect(url.stderr).toMatch(/scheme must be redis/);
  });

  it('--watch refreshes until Ctrl-C, then exits 130 without an error', async () => {
    let reports = 0;
    const { child, done } = startCli(['monitor', '--redis-url', redis.url, '--watch', '0.5']);
    child.stdout?.on('data', (chunk: Buffer) => {
      reports += (chunk.toString().match(/^status: /gm) ?? []).length;
      if (reports === 2) child.kill('SIGINT');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    const result = await done;
    clearTimeout(timer);
    expect(reports).toBeGreaterThanOrEqual(2);
    expect(result.code).toBe(130);
    expect(result.stderr).not.toMatch(/internal error|cleanup .* failed/);
  });
});

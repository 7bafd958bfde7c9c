import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManagedRedis } from '../../bench/targets/managed-redis.ts';
import { isListening, runCli, startCli } from '../../bench/test-support/run-cli.ts';
import { useTempDir } from '../../bench/test-support/scenario-test-run.ts';

const tmpPath = useTempDir('rpb-chaos-cli-');

const portOf = (redactedUrl: string): number => Number(new URL(redactedUrl).port);

describe('rpb run chaos-* from the command line', () => {
  it('Ctrl-C while Redis is paused: exit 130, partial summary, the paused redis-server is gone', async () => {
    const out = tmpPath('sigint');
    let sent = false;
    const { done } = startCli(
      ['run', 'chaos-pause', '--quick', '--out', out, '--set', 'preMs=300,faultMs=5000,postMs=500'],
      {},
      (stderr, child) => {
        if (!sent && stderr.includes('pause: SIGSTOP, then SIGCONT; windows')) {
          sent = true;
          // Inside the first window's fault (inject at 300 ms, heal at 5300 ms).
          setTimeout(() => child.kill('SIGINT'), 1_500);
        }
      },
    );
    const result = await done;
    expect(sent).toBe(true);
    expect(result.code, result.stderr.slice(-3000)).toBe(130);
    const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.scenarios[0].status).toBe('interrupted');
    expect(await isListening(portOf(summary.scenarios[0].target.redactedUrl))).toBe(false);
  }, 40_000);

  it('refuses an empty --fault-cmd before anything runs (exit 2)', async () => {
    const result = await runCli(['run', 'chaos-kill', '--quick', '--out', tmpPath('empty-cmd'), '--fault-cmd', ' ']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--fault-cmd is empty/);
  });

  it('refuses a process fault on a Redis rpb did not start, naming --fault-cmd (exit 2)', async () => {
    const redis = await ManagedRedis.start();
    try {
      const result = await runCli([
        'run',
        'chaos-kill',
        '--quick',
        '--out',
        tmpPath('refused'),
        '--redis-url',
        redis.url,
      ]);
      expect(result.code, result.stderr.slice(-2000)).toBe(2);
      expect(result.stderr).toMatch(/--fault-cmd/);
      expect(redis.state).toBe('running');
    } finally {
      await redis.stop();
    }
  }, 40_000);
});

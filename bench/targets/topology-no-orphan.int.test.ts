import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runFixture as runTargetFixture, waitUntilNotRunning } from './test-support.ts';

interface Started {
  readonly pids: number[];
  readonly dirs: string[];
}

/** Runs the fixture as the CLI would run (node + tsx), returns what it started and its exit. */
function runFixture(kind: string, mode: string) {
  const { child, started, exited } = runTargetFixture<Started>('topology-run.ts', kind, mode);
  const finish = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await exited;
  };
  return { child, started, exited, finish };
}

async function expectAllGone(started: Started): Promise<void> {
  for (const pid of started.pids) expect(await waitUntilNotRunning(pid, 15_000)).not.toBe('running');
}

describe('no orphaned cluster or sentinel process', () => {
  it('SIGINT stops all 6 cluster nodes and removes their dirs', async () => {
    const fixture = runFixture('cluster', 'wait');
    try {
      const started = await fixture.started;
      expect(started.pids).toHaveLength(6);
      fixture.child.kill('SIGINT');
      expect((await fixture.exited).code).toBe(130);
      await expectAllGone(started);
      for (const dir of started.dirs) expect(existsSync(dir)).toBe(false);
    } finally {
      await fixture.finish();
    }
  }, 40_000);

  it('an uncaught exception kills the 3 data nodes and 3 sentinels through the exit hook', async () => {
    const fixture = runFixture('sentinel', 'throw');
    try {
      const started = await fixture.started;
      expect(started.pids).toHaveLength(6);
      expect((await fixture.exited).code).toBe(1);
      await expectAllGone(started);
      for (const dir of started.dirs) expect(existsSync(dir)).toBe(false);
    } finally {
      await fixture.finish();
    }
  }, 40_000);
});

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readlink } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isListening } from './free-port.ts';
import { runFixture, waitUntilNotRunning, type FixtureRun } from './test-support.ts';

interface Started {
  readonly pid: number;
  readonly port: number;
  readonly dir: string;
}

type Fixture = FixtureRun<Started>;

/** Whatever happened, the fixture and its Redis end: SIGTERM lets it clean up, SIGKILL is the fallback. */
async function finish(fixture: Fixture): Promise<void> {
  if (fixture.child.exitCode !== null || fixture.child.signalCode !== null) return;
  fixture.child.kill('SIGTERM');
  const timer = setTimeout(() => fixture.child.kill('SIGKILL'), 15_000);
  await fixture.exited;
  clearTimeout(timer);
}

async function expectRedisGone(started: Started): Promise<void> {
  // A SIGKILLed redis whose parent died is reparented; until reaped it is a zombie, which is dead.
  expect(await waitUntilNotRunning(started.pid, 15_000)).not.toBe('running');
  if (!(await isListening(started.port))) return;
  // Another test's redis-server may have taken the freed port since (a CI run failed so); ours would
  // still sit in its own data directory: redis-server chdirs to it.
  expect(await listenerDirs(started.port)).not.toContain(started.dir);
}

/** The working directories of the processes listening on `port` (ss -ltnp, then /proc/PID/cwd). */
async function listenerDirs(port: number): Promise<string[]> {
  const { stdout } = await promisify(execFile)('ss', ['-ltnpH', `sport = :${port}`]);
  const pids = [...stdout.matchAll(/pid=(\d+)/g)].map((m) => m[1]);
  const dirs = await Promise.all(pids.map((pid) => readlink(`/proc/${pid}/cwd`).catch(() => '')));
  return dirs.map((d) => d.replace(/ \(deleted\)$/, ''));
}

describe('no orphaned redis-server', () => {
  it('an uncaught exception kills the managed Redis through the exit hook', async () => {
    const fixture = runFixture<Started>('throwing-run.ts', 'throw');
    try {
      const started = await fixture.started;
      const { code } = await fixture.exited;
      expect(code).toBe(1);
      expect(fixture.stderr()).toContain('fixture: uncaught error mid-run');
      await expectRedisGone(started);
      expect(existsSync(started.dir)).toBe(false);
    } finally {
      await finish(fixture);
    }
  });

  it('process.exit() mid-run kills the managed Redis through the exit hook', async () => {
    const fixture = runFixture<Started>('throwing-run.ts', 'exit');
    try {
      const started = await fixture.started;
      expect((await fixture.exited).code).toBe(7);
      await expectRedisGone(started);
      expect(existsSync(started.dir)).toBe(false);
    } finally {
      await finish(fixture);
    }
  });

  it('a harness killed with no handler at all (SIGKILL, heap out of memory) still leaves no redis-server: the watchdog kills it', async () => {
    const fixture = runFixture<Started>('throwing-run.ts', 'sigkill');
    try {
      const started = await fixture.started;
      expect((await fixture.exited).signal).toBe('SIGKILL');
      await expectRedisGone(started);
    } finally {
      await finish(fixture);
    }
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s runs onSignal and the cleanups, then exits %i', async (signal, exitCode) => {
    const fixture = runFixture<Started>('sigint-run.ts');
    try {
      const started = await fixture.started;
      fixture.child.kill(signal);
      const { code } = await fixture.exited;
      expect(code).toBe(exitCode);
      expect(fixture.stdout()).toContain(`onSignal ${signal}`);
      // stop() ran and waited for the exit, so the pid is reaped, not a zombie.
      expect(await waitUntilNotRunning(started.pid, 15_000)).toBe('gone');
      expect(existsSync(started.dir)).toBe(false);
      expect(await isListening(started.port)).toBe(false);
    } finally {
      await finish(fixture);
    }
  });

  it('a second SIGINT forces exit with a synchronous kill while the first shutdown hangs', async () => {
    const fixture = runFixture<Started>('sigint-run.ts', 'hang');
    try {
      const started = await fixture.started;
      fixture.child.kill('SIGINT');
      while (!fixture.stdout().includes('onSignal SIGINT')) await new Promise((r) => setTimeout(r, 20));
      fixture.child.kill('SIGINT');
      expect((await fixture.exited).code).toBe(130);
      await expectRedisGone(started);
      expect(existsSync(started.dir)).toBe(false);
    } finally {
      await finish(fixture);
    }
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isPortFree } from './free-port.ts';
import { waitUntilNotRunning } from './test-support.ts';

interface Started {
  readonly pid: number;
  readonly port: number;
  readonly dir: string;
}

interface Fixture {
  readonly child: ChildProcess;
  readonly started: Promise<Started>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly stdout: () => string;
  readonly stderr: () => string;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A real node process running a fixture through tsx, as the CLI would run. */
function runFixture(name: string, ...args: string[]): Fixture {
  const file = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const started = new Promise<Started>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line !== undefined) resolve(JSON.parse(line) as Started);
    });
    void exited.then(() => reject(new Error(`fixture exited before starting Redis; stderr:\n${err}`)));
  });
  return { child, started, exited, stdout: () => out, stderr: () => err };
}

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
  expect(await isPortFree(started.port)).toBe(true);
}

describe('no orphaned redis-server', () => {
  it('an uncaught exception kills the managed Redis through the exit hook', async () => {
    const fixture = runFixture('throwing-run.ts', 'throw');
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
    const fixture = runFixture('throwing-run.ts', 'exit');
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
    const fixture = runFixture('throwing-run.ts', 'sigkill');
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
    const fixture = runFixture('sigint-run.ts');
    try {
      const started = await fixture.started;
      fixture.child.kill(signal);
      const { code } = await fixture.exited;
      expect(code).toBe(exitCode);
      expect(fixture.stdout()).toContain(`onSignal ${signal}`);
      // stop() ran and waited for the exit, so the pid is reaped, not a zombie.
      expect(await waitUntilNotRunning(started.pid, 15_000)).toBe('gone');
      expect(existsSync(started.dir)).toBe(false);
      expect(await isPortFree(started.port)).toBe(true);
    } finally {
      await finish(fixture);
    }
  });

  it('a second SIGINT forces exit with a synchronous kill while the first shutdown hangs', async () => {
    const fixture = runFixture('sigint-run.ts', 'hang');
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

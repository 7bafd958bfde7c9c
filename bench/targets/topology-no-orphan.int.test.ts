import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { waitUntilNotRunning } from './test-support.ts';

interface Started {
  readonly pids: number[];
  readonly dirs: string[];
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/topology-run.ts', import.meta.url));

/** Runs the fixture as the CLI would run (node + tsx), returns what it started and its exit. */
function runFixture(kind: string, mode: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, kind, mode], {
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
    void exited.then(() => reject(new Error(`fixture exited before starting; stderr:\n${err}`)));
  });
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

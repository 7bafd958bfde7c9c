import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support/run-cli.ts';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rpb-merge-cli-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('rpb --shard / --workers / merge: bad input on the command line', () => {
  it('a bad --shard and --workers: exit 2, both named with the fix, nothing written, no stack trace', async () => {
    const out = path.join(tmp, 'never');
    const result = await runCli(['run', 'connections', '--quick', '--shard', '0/4', '--workers', '9999', '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--shard "0\/4": shards are numbered from 1.*--shard env\/4/);
    expect(result.stderr).toMatch(/--workers "9999": expected an integer from 1 to \d+/);
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
    await expect(readdir(out)).rejects.toThrow();
  });

  it('--shard env/N without JOB_COMPLETION_INDEX: exit 2', async () => {
    const result = await runCli([
      'run',
      'connections',
      '--quick',
      '--shard',
      'env/3',
      '--out',
      path.join(tmp, 'never2'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/JOB_COMPLETION_INDEX must hold the pod's 0-based completion index/);
  });

  it('merge: a folder that is no run, and a missing --out: exit 2', async () => {
    const noRun = await runCli(['merge', path.join(tmp, 'nothing-here'), '--out', path.join(tmp, 'm')]);
    expect(noRun.code).toBe(2);
    expect(noRun.stderr).toMatch(/summary\.json does not exist/);
    const noOut = await runCli(['merge', tmp]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/--out/);
    const help = await runCli(['merge', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/rpb merge \/shared\/s1 \/shared\/s2 --out \/shared\/merged/);
  });
});

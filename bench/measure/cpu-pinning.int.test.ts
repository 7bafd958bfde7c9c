import { execFileSync, spawn } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { pinHarnessAndRedis } from './cpu-pinning.ts';

const mask = (pid: number): string =>
  /:\s*(\S+)\s*$/.exec(execFileSync('taskset', ['-p', String(pid)], { encoding: 'utf8' }).trim())![1];

describe.runIf(os.availableParallelism() >= 2)('pinHarnessAndRedis', () => {
  it('puts the other process on the last CPU and this one on the rest, and restores this one', async () => {
    const cpus = os.availableParallelism();
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const before = mask(process.pid);
    try {
      const pinning = await pinHarnessAndRedis(child.pid!);
      expect(BigInt(`0x${mask(child.pid!)}`)).toBe(1n << BigInt(cpus - 1));
      expect(BigInt(`0x${mask(process.pid)}`)).toBe((1n << BigInt(cpus - 1)) - 1n);
      expect(pinning.description).toContain(`redis-server on CPU ${cpus - 1}`);
      await pinning.restore();
      expect(mask(process.pid)).toBe(before);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

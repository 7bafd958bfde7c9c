import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';
import { ConfigError } from '../errors.ts';

const run = promisify(execFile);

/** CPU affinity set with taskset(1), undone by restore(). */
export interface CpuPinning {
  /** e.g. "harness on CPU 0, redis-server on CPU 1". */
  readonly description: string;
  restore(): Promise<void>;
}

async function maskOf(pid: number): Promise<string> {
  const { stdout } = await run('taskset', ['-p', String(pid)]);
  const mask = /:\s*([0-9a-f,]+)\s*$/i.exec(stdout.trim())?.[1];
  if (mask === undefined) throw new Error(`taskset -p ${pid}: unexpected output ${JSON.stringify(stdout)}`);
  return mask;
}

async function setCpus(pid: number, cpus: string): Promise<void> {
  await run('taskset', ['-a', '-p', '-c', cpus, String(pid)]);
}

/**
 * Puts redis-server on the last CPU and this process (every thread) on the others, so that the two
 * never share a core and the kernel cannot move them between runs. Tried as a cure for the spread
 * between whole gate-probe runs on the 2-core machine, it did not narrow it (median absolute
 * log-ratio 0.10-0.12 pinned, 0.08-0.11 not: docs/results/2026-12-07.md); kept for runners with more
 * cores, where `rpb calibrate --pin-cpus` measures whether it helps there. Needs taskset
 * (util-linux) and at least 2 CPUs.
 */
export async function pinHarnessAndRedis(redisPid: number): Promise<CpuPinning> {
  const cpus = os.availableParallelism();
  if (cpus < 2)
    throw new ConfigError(`--pin-cpus needs at least 2 CPUs, this machine has ${cpus}`, {
      hint: 'run without --pin-cpus',
    });
  let ownMask: string;
  try {
    ownMask = await maskOf(process.pid);
  } catch (error) {
    throw new ConfigError(`--pin-cpus: cannot read CPU affinity with taskset (${(error as Error).message})`, {
      hint: 'install util-linux (taskset) or run without --pin-cpus',
    });
  }
  const redisCpu = String(cpus - 1);
  const harnessCpus = cpus === 2 ? '0' : `0-${cpus - 2}`;
  await setCpus(redisPid, redisCpu);
  await setCpus(process.pid, harnessCpus);
  return {
    description: `harness on CPU ${harnessCpus}, redis-server on CPU ${redisCpu} (taskset)`,
    restore: async () => {
      await run('taskset', ['-a', '-p', ownMask, String(process.pid)]);
    },
  };
}

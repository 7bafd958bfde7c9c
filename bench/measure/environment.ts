import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import { promisify } from 'node:util';
import type { RunEnvironment } from '../core/run-summary.ts';

const execFileAsync = promisify(execFile);

const REPORTED_PACKAGES = ['ioredis', 'hdr-histogram-js', 'parquet-wasm', 'apache-arrow', 'tinybench'] as const;

async function packageVersion(name: string): Promise<string> {
  try {
    const require = createRequire(import.meta.url);
    // Resolve the entry, then walk up to its package.json (some packages do not export it).
    let dir = require.resolve(name);
    for (let i = 0; i < 6; i += 1) {
      dir = dir.slice(0, dir.lastIndexOf('/'));
      try {
        const pkg = JSON.parse(await readFile(`${dir}/package.json`, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === name && pkg.version) return pkg.version;
      } catch {
        // not at this level
      }
    }
  } catch {
    // not installed
  }
  return 'unknown';
}

async function git(args: string[], cwd: string): Promise<string | null> {
  try {
    const { stdout } = await execFileAsync('git', args, { cwd, timeout: 5_000 });
    return stdout.trim();
  } catch {
    return null;
  }
}

export async function captureEnvironment(repoRoot: string): Promise<RunEnvironment> {
  const cpus = os.cpus();
  const packages: Record<string, string> = {};
  for (const name of REPORTED_PACKAGES) packages[name] = await packageVersion(name);
  const commit = await git(['rev-parse', 'HEAD'], repoRoot);
  const status = commit === null ? null : await git(['status', '--porcelain', '--untracked-files=no'], repoRoot);
  return {
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    arch: process.arch,
    cpuCount: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemoryBytes: os.totalmem(),
    loadAverage1m: os.loadavg()[0],
    hostname: os.hostname(),
    packages,
    gitCommit: commit,
    gitDirty: status === null ? null : status.length > 0,
  };
}

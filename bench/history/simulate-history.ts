/**
 * Simulates a run history from real runs: `runs` commits of one scenario, the last `changed` of
 * them with every Redis reply 1 ms slower (--added-latency-ms 1), each filed with
 * `rpb history add`, then `rpb history check` over all of them and over the unchanged ones alone.
 *
 *   npx tsx bench/history/simulate-history.ts [--runs 12] [--changed 4] [--scenario miss-vs-hit]
 *     [--set key=value ...] [--out DIR]
 *
 * Exit 0 when the check finds the change at commit runs - changed + 1 and at no other commit, and the
 * unchanged runs alone pass; 1 otherwise (each finding printed).
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ExitCode } from '../errors.ts';

const RPB = fileURLToPath(new URL('../rpb.mjs', import.meta.url));

export interface SimulationOptions {
  readonly runs: number;
  readonly changed: number;
  readonly scenario: string;
  readonly sets: readonly string[];
  readonly out: string;
  readonly progress: (line: string) => void;
}

export interface SimulationResult {
  /** Commits (1-based) where the full history shows a change, per metric line. */
  readonly changeLines: readonly string[];
  readonly changedAt: readonly number[];
  readonly fullExitCode: number;
  readonly unchangedExitCode: number;
  readonly ok: boolean;
}

/** `rpb <args>` as a child process: its exit code and stdout (the CLI itself, exit codes included). */
function rpb(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RPB, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

async function historyAdd(dir: string, store: string, commit: string, time: string): Promise<void> {
  const added = await rpb(['history', 'add', dir, '--store', store, '--commit', commit, '--time', time]);
  if (added.code !== 0) throw new Error(`rpb history add exited ${added.code}: ${added.stderr.slice(-2000)}`);
}

function runScenario(options: SimulationOptions, dir: string, addedMs: number): Promise<void> {
  const args = [RPB, 'run', options.scenario, '--quick', '--out', dir, ...options.sets.flatMap((s) => ['--set', s])];
  if (addedMs > 0) args.push('--added-latency-ms', String(addedMs));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`rpb run ${options.scenario} exited ${code}: ${stderr.slice(-2000)}`)),
    );
  });
}

export async function simulateHistory(options: SimulationOptions): Promise<SimulationResult> {
  const full = path.join(options.out, 'store');
  const unchanged = path.join(options.out, 'store-unchanged');
  const firstChanged = options.runs - options.changed;
  for (let i = 0; i < options.runs; i++) {
    const dir = path.join(options.out, `run-${i + 1}`);
    const addedMs = i >= firstChanged ? 1 : 0;
    options.progress(
      `run ${i + 1}/${options.runs}: rpb run ${options.scenario} --quick${addedMs > 0 ? ' --added-latency-ms 1' : ''}`,
    );
    await runScenario(options, dir, addedMs);
    const time = new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString();
    const commit = `sim-${String(i + 1).padStart(2, '0')}`;
    await historyAdd(dir, full, commit, time);
    if (addedMs === 0) await historyAdd(dir, unchanged, commit, time);
  }
  const check = await rpb(['history', 'check', '--store', full]);
  const base = await rpb(['history', 'check', '--store', unchanged]);
  const changeLines = check.stdout.split('\n').filter((l) => /: (regression|improvement|change) at /.test(l));
  const changedAt = [...new Set(changeLines.map((l) => Number(/\(commit (\d+) of/.exec(l)?.[1] ?? '0')))].sort(
    (a, b) => a - b,
  );
  return {
    changeLines,
    changedAt,
    fullExitCode: check.code,
    unchangedExitCode: base.code,
    ok:
      check.code === ExitCode.gateFailed &&
      base.code === ExitCode.ok &&
      changedAt.length === 1 &&
      changedAt[0] === firstChanged + 1,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '12' },
      changed: { type: 'string', default: '4' },
      scenario: { type: 'string', default: 'miss-vs-hit' },
      set: { type: 'string', multiple: true, default: [] },
      out: { type: 'string' },
    },
  });
  const runs = Number(values.runs);
  const changed = Number(values.changed);
  if (!Number.isInteger(runs) || !Number.isInteger(changed) || changed < 2 || runs - changed < 2)
    throw new Error('--runs and --changed must be integers with at least 2 runs before and 2 after the change');
  const out = values.out ?? (await mkdtemp(path.join(tmpdir(), 'rpb-history-sim-')));
  const result = await simulateHistory({
    runs,
    changed,
    scenario: values.scenario,
    sets: values.set,
    out,
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(
    [
      `history of ${runs} runs of ${values.scenario} --quick, the last ${changed} with +1 ms per Redis reply (${out})`,
      ...result.changeLines,
      `change found at commit(s): ${result.changedAt.join(', ') || 'none'} (expected ${runs - changed + 1} only)`,
      `rpb history check: exit ${result.fullExitCode} on all ${runs} runs, exit ${result.unchangedExitCode} on the first ${runs - changed}`,
      result.ok ? 'simulation: as expected' : 'simulation: NOT as expected',
      '',
    ].join('\n'),
  );
  process.exitCode = result.ok ? 0 : 1;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, ExitCode } from '../errors.ts';
import { metricFromTrials, runOf, scenario, verdict } from '../gate/synthetic-run.fixture.ts';
import { runHistoryAdd, runHistoryCheck } from './history.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const wobble = [0, 4, -3, 2, -4, 1, 3, -2, 0, 2, -1, 3];

/** 12 synthetic runs; from the 9th on, every reply is `stepMs` slower (like --added-latency-ms 1). */
async function fileHistory(root: string, store: string, runs: number, stepMs: number): Promise<void> {
  for (let i = 0; i < runs; i++) {
    const extraNs = i >= 8 ? stepMs * 1e6 : 0;
    const p50Ns = 200_000 + 1_000 * wobble[i]! + extraNs;
    const run = runOf([
      scenario('miss-vs-hit', {
        metrics: { 'hit.signal': metricFromTrials([p50Ns]) },
        verdicts: [verdict('cache.hit-latency', 'holds', p50Ns / 1e6, 'ms')],
      }),
    ]);
    const dir = path.join(root, `run-${i + 1}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'summary.json'), JSON.stringify(run));
    const time = new Date(Date.UTC(2026, 11, 7, 8, i)).toISOString();
    expect(await runHistoryAdd(dir, { store, commit: `commit${i + 1}`, time })).toMatch(/^filed 3 metrics/);
  }
}

describe('rpb history add / check', () => {
  it('finds +1 ms per reply at commit 9 of 12 and nothing else (exit 99); the first 8 alone pass (exit 0)', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'rpb-history-cli-'));
    dirs.push(root);
    await fileHistory(root, path.join(root, 'store-8'), 8, 1);
    const clean = await runHistoryCheck({ store: path.join(root, 'store-8') });
    expect(clean.exitCode).toBe(ExitCode.ok);
    expect(clean.output).toContain('no change point in any metric');

    const store = path.join(root, 'store-12');
    await fileHistory(root, store, 12, 1);
    const result = await runHistoryCheck({ store, markdown: path.join(root, 'summary.md') });
    expect(result.exitCode).toBe(ExitCode.gateFailed);
    const changes = result.output.split('\n').filter((line) => /: (regression|improvement|change) at /.test(line));
    expect(changes).toHaveLength(3);
    for (const line of changes) expect(line).toMatch(/regression at commit9 \(commit 9 of 12\)/);
  });

  it('refuses bad input with a hint: no store, an empty store, a bad option, a commit it does not hold', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'rpb-history-cli-'));
    dirs.push(root);
    await expect(runHistoryCheck({})).rejects.toThrow(ConfigError);
    await expect(runHistoryCheck({ store: path.join(root, 'none') })).rejects.toThrow(/is not a history store/);
    await mkdir(path.join(root, 'empty', 'runs'), { recursive: true });
    await expect(runHistoryCheck({ store: path.join(root, 'empty') })).rejects.toThrow(/holds no run/);
    await fileHistory(root, path.join(root, 's'), 3, 0);
    await expect(runHistoryCheck({ store: path.join(root, 's'), maxP: 'often' })).rejects.toThrow(
      /--max-p "often" is not a number/,
    );
    await expect(runHistoryCheck({ store: path.join(root, 's'), acceptThrough: 'nope' })).rejects.toThrow(
      /is not a commit of the store/,
    );
    await expect(
      runHistoryAdd(path.join(root, 'no-run'), { store: path.join(root, 's'), commit: 'x' }),
    ).rejects.toThrow(/does not exist/);
  });
});

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, ExitCode } from '../errors.ts';
import type { RunSummary } from '../core/run-summary.ts';
import { BudgetParseError } from './budget-parse-error.ts';
import { parseMaxRegression, runGate } from './gate-command.ts';
import { metricFromTrials, runOf, scenario, verdict } from './synthetic-run.fixture.ts';

const BASE = [1e6, 1.02e6, 0.98e6, 1.01e6, 0.99e6, 1.03e6, 0.97e6];

function run(factor: number): RunSummary {
  return runOf([
    scenario('miss-vs-hit', {
      metrics: { 'hit.signal': metricFromTrials(BASE.map((x) => x * factor)) },
      values: { 'stored-value-bytes': { value: 2748, unit: 'bytes' } },
      verdicts: [verdict('cache.speedup', 'holds', 6, 'x')],
    }),
  ]);
}

let dir: string;

async function put(relative: string, content: string): Promise<string> {
  const file = path.join(dir, relative);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  return file;
}

async function putRun(name: string, summary: RunSummary): Promise<string> {
  await put(`${name}/summary.json`, JSON.stringify(summary));
  return path.join(dir, name);
}

async function configErrorOf(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rpb-gate-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runGate', () => {
  it('passes (exit 0) on met budgets and the same code as the baseline, and writes JUnit and Markdown', async () => {
    const budgetFile = await put(
      'budget.txt',
      '# CI budgets\nmiss-vs-hit.hit.signal.p99 < 5ms\nmiss-vs-hit.claim.cache.speedup >= 3x\n',
    );
    const runDir = await putRun('run', run(1));
    const baselineDir = await putRun('base', run(1));
    const junitPath = path.join(dir, 'out/deep/junit.xml');
    const markdownPath = path.join(dir, 'out/gate.md');
    const gate = await runGate({ budgetFile, runDir, baselineDir, maxRegressionPct: 10, junitPath, markdownPath });
    expect(gate.exitCode).toBe(ExitCode.ok);
    expect(gate.output.split('\n').filter((l) => l.startsWith('gate:'))).toEqual(['gate: passed']);
    expect(gate.written).toEqual([junitPath, markdownPath]);
    expect(gate.output).toContain(`wrote ${junitPath}`);
    expect(await readFile(junitPath, 'utf8')).toContain('<testsuite name="rpb-gate" tests="6" failures="0"');
    expect(await readFile(markdownPath, 'utf8')).toMatch(/^## rpb gate: ✅ passed\n/);
    expect(gate.result.baseline?.comparisons.map((c) => c.verdict)).toEqual([
      'no change',
      'no change',
      'no change',
      'no change',
    ]);
  });

  it('fails (exit 99) on a failed or missing budget', async () => {
    const runDir = await putRun('run', run(1));
    const failing = await runGate({
      budgetFile: await put('a.txt', 'miss-vs-hit.hit.signal.p99 < 1ms\n'),
      runDir,
      maxRegressionPct: 10,
    });
    expect(failing.exitCode).toBe(ExitCode.gateFailed);
    expect(failing.output).toContain('gate: FAILED (1 budget failed)');
    const missing = await runGate({
      budgetFile: await put('b.txt', 'chaos-kill.failed == 0\n'),
      runDir,
      maxRegressionPct: 10,
    });
    expect(missing.exitCode).toBe(ExitCode.gateFailed);
    expect(missing.output).toContain("no scenario 'chaos-kill' in this run; scenarios in the run: miss-vs-hit");
  });

  it('fails (exit 99) on a regression beyond the allowed percentage, and not within it', async () => {
    const runDir = await putRun('run', run(1.3));
    const baselineDir = await putRun('base', run(1));
    const gate = await runGate({ runDir, baselineDir, maxRegressionPct: 10 });
    expect(gate.exitCode).toBe(ExitCode.gateFailed);
    expect(gate.output).toContain('gate: FAILED (4 regressions)');
    const lenient = await runGate({ runDir, baselineDir, maxRegressionPct: 50 });
    expect(lenient.exitCode).toBe(ExitCode.ok);
  });

  it('judges several interleaved runs per side together: one disturbed run is no regression, three slower runs are', async () => {
    const baselineDir = await putRun('base-1', run(1));
    const moreBaselineDirs = [await putRun('base-2', run(1.01)), await putRun('base-3', run(0.99))];
    const oneDisturbed = await runGate({
      runDir: await putRun('pr-1', run(1)),
      moreRunDirs: [await putRun('pr-2', run(1.5)), await putRun('pr-3', run(1.01))],
      baselineDir,
      moreBaselineDirs,
      maxRegressionPct: 10,
    });
    expect(oneDisturbed.exitCode).toBe(ExitCode.ok);
    // the same disturbed run alone against one baseline is flagged: the trials of one run do not see it
    const alone = await runGate({ runDir: path.join(dir, 'pr-2'), baselineDir, maxRegressionPct: 10 });
    expect(alone.exitCode).toBe(ExitCode.gateFailed);
    const slower = await runGate({
      runDir: await putRun('slow-1', run(1.3)),
      moreRunDirs: [await putRun('slow-2', run(1.32)), await putRun('slow-3', run(1.28))],
      baselineDir,
      moreBaselineDirs,
      maxRegressionPct: 10,
    });
    expect(slower.exitCode).toBe(ExitCode.gateFailed);
    expect(slower.result.baseline?.comparisons.find((c) => c.percentile === 'p50')?.reason).toMatch(/of 3 vs 3 runs/);
  });

  it('passes (exit 0) when comparisons are only inconclusive', async () => {
    const few = runOf([scenario('miss-vs-hit', { metrics: { 'hit.signal': metricFromTrials([2e6, 2e6]) } })]);
    const gate = await runGate({
      runDir: await putRun('run', few),
      baselineDir: await putRun('base', run(1)),
      maxRegressionPct: 10,
    });
    expect(gate.result.baseline?.comparisons.every((c) => c.verdict === 'inconclusive')).toBe(true);
    expect(gate.exitCode).toBe(ExitCode.ok);
  });

  it('accepts the summary.json path itself and notes a run that did not complete', async () => {
    const runDir = await putRun('run', runOf(run(1).scenarios, 'interrupted'));
    const gate = await runGate({
      budgetFile: await put('b.txt', 'miss-vs-hit.failed == 0'),
      runDir: path.join(runDir, 'summary.json'),
      maxRegressionPct: 10,
    });
    expect(gate.exitCode).toBe(ExitCode.ok);
    expect(gate.output).toContain('note: the candidate run is interrupted, not complete: its figures may be partial');
  });
});

describe('runGate: configuration errors (exit 2)', () => {
  it('a missing summary.json, naming the file and the fix', async () => {
    const budgetFile = await put('b.txt', 'miss-vs-hit.failed == 0');
    const error = await configErrorOf(runGate({ budgetFile, runDir: path.join(dir, 'nowhere'), maxRegressionPct: 10 }));
    expect(error.exitCode).toBe(ExitCode.config);
    expect(error.message).toBe(`${path.join(dir, 'nowhere', 'summary.json')} does not exist`);
    expect(error.hint).toContain('run folder written by `rpb run`');
    const baseline = await configErrorOf(
      runGate({
        budgetFile,
        runDir: await putRun('run', run(1)),
        baselineDir: path.join(dir, 'nobase'),
        maxRegressionPct: 10,
      }),
    );
    expect(baseline.hint).toMatch(/^--baseline must be a run folder/);
  });

  it('invalid JSON, a foreign schema and a broken structure', async () => {
    const budgetFile = await put('b.txt', 'miss-vs-hit.failed == 0');
    await put('bad/summary.json', '{"schema": ');
    expect(
      (await configErrorOf(runGate({ budgetFile, runDir: path.join(dir, 'bad'), maxRegressionPct: 10 }))).message,
    ).toMatch(/summary\.json is not valid JSON/);
    await put('other/summary.json', '{"schema": "something/v9"}');
    expect(
      (await configErrorOf(runGate({ budgetFile, runDir: path.join(dir, 'other'), maxRegressionPct: 10 }))).message,
    ).toMatch(/is not a run summary: schema something\/v9, expected rpb\.summary\/v1/);
    await put(
      'broken/summary.json',
      JSON.stringify({
        schema: 'rpb.summary/v1',
        scenarios: [{ id: 's', status: 'ok', metrics: { m: {} }, values: [], parameters: {}, verdicts: [] }],
      }),
    );
    const broken = await configErrorOf(runGate({ budgetFile, runDir: path.join(dir, 'broken'), maxRegressionPct: 10 }));
    expect(broken.problems).toEqual(['scenario s: `values` is not an object', 'scenario s: metric m has no `summary`']);
  });

  it('a missing or empty budget file, and parse errors with every line', async () => {
    const runDir = await putRun('run', run(1));
    const missing = await configErrorOf(
      runGate({ budgetFile: path.join(dir, 'none.txt'), runDir, maxRegressionPct: 10 }),
    );
    expect(missing.message).toBe(`budget file ${path.join(dir, 'none.txt')} does not exist`);
    const empty = await configErrorOf(
      runGate({ budgetFile: await put('empty.txt', '# nothing yet\n\n'), runDir, maxRegressionPct: 10 }),
    );
    expect(empty.message).toContain('holds no budgets');
    const budgetFile = await put(
      'bad.txt',
      'miss-vs-hit.hit.p99 5ms\nok.failed == 0\nmiss-vs-hit.hit.signal.p99 < 5 sec\n',
    );
    const parse = await configErrorOf(runGate({ budgetFile, runDir, maxRegressionPct: 10 }));
    expect(parse).toBeInstanceOf(BudgetParseError);
    expect((parse as BudgetParseError).diagnostics.map((d) => `${d.line}:${d.column}`)).toEqual(['1:21', '3:32']);
    expect(parse.problems[0]).toMatch(
      new RegExp(`^${budgetFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:21: expected a comparison operator`),
    );
  });

  it('a budget whose unit does not fit what it names', async () => {
    const budgetFile = await put(
      'b.txt',
      'miss-vs-hit.value.stored-value-bytes < 5ms\nmiss-vs-hit.claim.cache.speedup >= 3x\n',
    );
    const error = await configErrorOf(
      runGate({ budgetFile, runDir: await putRun('run', run(1)), maxRegressionPct: 10 }),
    );
    expect(error.message).toMatch(/^1 budget\(s\) in .* do not fit what they measure$/);
    expect(error.problems).toEqual([
      'line 1: `miss-vs-hit.value.stored-value-bytes < 5ms`: unit ms does not fit a size (stored in bytes); use bytes, KB, MB, KiB, MiB or a bare number',
    ]);
  });

  it('nothing to gate on, or a bad allowed regression', async () => {
    const runDir = await putRun('run', run(1));
    expect((await configErrorOf(runGate({ runDir, maxRegressionPct: 10 }))).message).toContain('nothing to gate on');
    expect((await configErrorOf(runGate({ runDir, baselineDir: runDir, maxRegressionPct: -1 }))).problems[0]).toContain(
      'max regression',
    );
  });
});

describe('parseMaxRegression', () => {
  it.each([
    ['10', 10],
    ['10%', 10],
    [' 2.5 % ', 2.5],
    ['0', 0],
  ])('reads %j as %d', (text, value) => {
    expect(parseMaxRegression(text)).toBe(value);
  });

  it.each(['', 'ten', '-5', '100', '1.1.1'])('rejects %j as a ConfigError', (text) => {
    expect(() => parseMaxRegression(text)).toThrow(ConfigError);
  });
});

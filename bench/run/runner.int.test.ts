import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isListening } from '../test-support/run-cli.ts';
import { targetPort, testRunParams, useTempDir } from '../test-support/scenario-test-run.ts';
import { runScenarios } from './runner.ts';
import { roundsOfPart } from './scenario-kit.ts';
import type { Scenario } from './scenario.ts';
import { judgeClaim } from '../analysis/verdict.ts';
import type { RegisteredClaim } from '../core/claim.ts';

const tmpPath = useTempDir('rpb-runner-');

/** A claim "at most 5 ms" of a test scenario. */
function atMost5Ms(id: string, scenario: string): RegisteredClaim {
  return {
    id,
    scenario,
    pattern: 'cache-aside',
    quote: 'fast',
    claimed: 5,
    thresholdSource: 'document',
    unit: 'ms',
    rule: { kind: 'at-most' },
    measuredAs: 'a figure per trial',
    better: 'lower',
  };
}

describe('runScenarios', () => {
  it('records a throwing scenario as failed, stops its Redis, keeps its data and still runs the next one', async () => {
    const ports: number[] = [];
    const throwing: Scenario = {
      id: 'throws',
      description: 'records one value, then throws mid-run',
      claims: [],
      async run(ctx) {
        ports.push(targetPort(ctx));
        await ctx.admin.set('k', 'v');
        ctx.recorders.metric('before-throw').recordNs(1_000);
        throw new Error('boom in the middle of a scenario');
      },
    };
    const fine: Scenario = {
      id: 'fine',
      description: 'records and returns',
      claims: [],
      async run(ctx) {
        ports.push(targetPort(ctx));
        // A fresh managed instance per scenario: the previous scenario's key is not here.
        expect(await ctx.admin.get('k')).toBeNull();
        ctx.recorders.metric('ok').recordNs(2_000);
        return { values: {}, trials: {}, verdicts: [], parameters: {}, notes: [] };
      },
    };
    const outDir = tmpPath('throwing');
    const { summary, failures } = await runScenarios({
      scenarios: [throwing, fine],
      params: testRunParams({ outDir }),
      command: 'test',
      signal: new AbortController().signal,
      progress: () => {},
      claims: [],
      knownScenarioIds: [],
    });
    expect(failures).toHaveLength(1);
    expect(summary.status).toBe('failed');
    expect(summary.scenarios.map((s) => s.status)).toEqual(['failed', 'ok']);
    expect(summary.scenarios[0].error?.message).toBe('boom in the middle of a scenario');
    expect(summary.scenarios[0].metrics['before-throw'].summary.count).toBe(1);
    for (const port of ports) expect(await isListening(port)).toBe(false);
    const written = JSON.parse(await readFile(path.join(outDir, 'summary.json'), 'utf8'));
    expect(written.scenarios).toHaveLength(2);
    expect(await readFile(path.join(outDir, 'throws', 'before-throw.hgrm'), 'utf8')).toContain('Total count');
  });

  it('stops between scenarios when aborted and marks the run interrupted', async () => {
    const controller = new AbortController();
    let secondRan = false;
    const first: Scenario = {
      id: 'first',
      description: 'aborts the run',
      claims: [],
      async run() {
        controller.abort('SIGINT');
        return { values: {}, trials: {}, verdicts: [], parameters: {}, notes: [] };
      },
    };
    const second: Scenario = {
      ...first,
      id: 'second',
      async run() {
        secondRan = true;
        return { values: {}, trials: {}, verdicts: [], parameters: {}, notes: [] };
      },
    };
    const { summary, failures } = await runScenarios({
      scenarios: [first, second],
      params: testRunParams({ outDir: tmpPath('abort') }),
      command: 'test',
      signal: controller.signal,
      progress: () => {},
      claims: [],
      knownScenarioIds: [],
    });
    expect(secondRan).toBe(false);
    expect(summary.status).toBe('interrupted');
    expect(summary.scenarios.map((s) => s.status)).toEqual(['interrupted']);
    expect(failures.at(-1)).toMatchObject({ exitCode: 130 });
  });

  it('with a budget, runs a scenario again while its claim is undecided and judges the pooled trials', async () => {
    const claim = atMost5Ms('test.borderline', 'borderline');
    let runs = 0;
    const borderline: Scenario = {
      id: 'borderline',
      description: 'three trials per run: never enough alone',
      claims: [claim.id],
      async run(ctx) {
        runs += 1;
        ctx.recorders.metric('m').recordNs(1_000);
        const verdict = judgeClaim(claim, [1, 2, 3], `run ${runs}`);
        return { values: {}, trials: {}, verdicts: [verdict], parameters: {}, notes: [] };
      },
    };
    const decided: Scenario = {
      ...borderline,
      id: 'decided',
      claims: [],
      async run() {
        return { values: {}, trials: {}, verdicts: [], parameters: {}, notes: [] };
      },
    };
    const progress: string[] = [];
    const outDir = tmpPath('budget');
    const { summary, failures } = await runScenarios({
      scenarios: [borderline, decided],
      params: testRunParams({ outDir }),
      command: 'test',
      signal: new AbortController().signal,
      progress: (m) => progress.push(m),
      claims: [claim],
      knownScenarioIds: ['borderline', 'decided'],
      budget: { totalMs: 120_000, maxBlocks: 4 },
    });
    expect(failures).toEqual([]);
    // Block 1: 3 trials, inconclusive (n < 6); block 2: 6 pooled trials decide it; no third block.
    expect(runs).toBe(2);
    const report = summary.scenarios.find((s) => s.id === 'borderline')!;
    expect(report.blocks?.map((b) => b.index)).toEqual([1, 2]);
    expect(report.verdicts[0]).toMatchObject({ outcome: 'holds', trials: 6 });
    expect(summary.claims[0]?.verdict.conditions).toContain('trials pooled from 2 runs');
    expect(summary.params.budgetMs).toBe(120_000);
    expect(await readFile(path.join(outDir, 'borderline', 'block-2', 'm.hgrm'), 'utf8')).toContain('Total count');
    expect(progress.some((m) => m.startsWith('budget: 1 of 1 claims decided'))).toBe(true);
  });

  it('with a budget, spreads a scenario with spreadParts over the first pass: part 1 where it stands, part 2 last', async () => {
    const claim = atMost5Ms('test.spread', 'spread');
    const seen: string[] = [];
    const plain = (id: string): Scenario => ({
      id,
      description: id,
      claims: [],
      async run() {
        seen.push(id);
        return { values: {}, trials: {}, verdicts: [], parameters: {}, notes: [] };
      },
    });
    const spread: Scenario = {
      id: 'spread',
      description: 'six planned rounds in two parts',
      claims: [claim.id],
      spreadParts: { quick: 2, full: 3 },
      async run(ctx) {
        const rounds = roundsOfPart(6, ctx.part);
        seen.push(`spread ${ctx.part?.index ?? '?'}/${ctx.part?.of ?? '?'}: ${rounds}`);
        ctx.recorders.metric('m').recordNs(1_000);
        const figures = Array.from({ length: rounds }, (_, i) => 1 + i);
        return { values: {}, trials: {}, verdicts: [judgeClaim(claim, figures, 'c')], parameters: {}, notes: [] };
      },
    };
    const { summary, failures } = await runScenarios({
      scenarios: [spread, plain('a'), plain('b')],
      params: testRunParams({ outDir: tmpPath('spread'), quick: true }),
      command: 'test',
      signal: new AbortController().signal,
      progress: () => {},
      claims: [claim],
      knownScenarioIds: ['spread', 'a', 'b'],
      budget: { totalMs: 120_000, maxBlocks: 4 },
    });
    expect(failures).toEqual([]);
    expect(seen).toEqual(['spread 1/2: 3', 'a', 'b', 'spread 2/2: 3']);
    const report = summary.scenarios.find((s) => s.id === 'spread')!;
    expect(report.blocks?.map((b) => [b.index, b.part])).toEqual([
      [1, { index: 1, of: 2 }],
      [2, { index: 2, of: 2 }],
    ]);
    // neither part alone has the 6 trials a verdict needs; pooled they decide it
    expect(report.verdicts[0]).toMatchObject({ outcome: 'holds', trials: 6 });
  });

  it('with a budget, does not run the later parts of a spread scenario whose first part failed', async () => {
    let runs = 0;
    const broken: Scenario = {
      id: 'broken-spread',
      description: 'fails in its first part',
      claims: [],
      spreadParts: { quick: 2, full: 3 },
      async run() {
        runs += 1;
        throw new Error('part failed');
      },
    };
    const progress: string[] = [];
    const { summary } = await runScenarios({
      scenarios: [broken],
      params: testRunParams({ outDir: tmpPath('broken-spread'), quick: true }),
      command: 'test',
      signal: new AbortController().signal,
      progress: (m) => progress.push(m),
      claims: [],
      knownScenarioIds: ['broken-spread'],
      budget: { totalMs: 120_000, maxBlocks: 4 },
    });
    expect(runs).toBe(1);
    expect(summary.scenarios.map((s) => s.status)).toEqual(['failed']);
    expect(progress).toContain('broken-spread (part 2 of 2): not run: its part 1 ended failed');
  });

  it('skips a scenario whose expected time no longer fits the budget and says why in the claims list', async () => {
    const claim: RegisteredClaim = {
      id: 'test.slow',
      scenario: 'slow',
      pattern: 'cache-aside',
      quote: 'slow',
      claimed: 5,
      thresholdSource: 'document',
      unit: 'ms',
      rule: { kind: 'at-most' },
      measuredAs: 'x',
      better: 'lower',
    };
    let ran = false;
    const slow: Scenario = {
      id: 'slow',
      description: 'expected to take an hour',
      claims: [claim.id],
      expectedMs: { quick: 3_600_000, full: 3_600_000 },
      async run() {
        ran = true;
        return { values: {}, trials: {}, verdicts: [], parameters: {}, notes: [] };
      },
    };
    const { summary } = await runScenarios({
      scenarios: [slow],
      params: testRunParams({ outDir: tmpPath('skip') }),
      command: 'test',
      signal: new AbortController().signal,
      progress: () => {},
      claims: [claim],
      knownScenarioIds: ['slow'],
      budget: { totalMs: 60_000, maxBlocks: 4 },
    });
    expect(ran).toBe(false);
    expect(summary.claims[0]?.verdict).toMatchObject({ outcome: 'not measured' });
    expect(summary.claims[0]?.verdict.explanation).toContain('--budget of 1 min 00 s');
  });
});

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isListening } from '../test-support/run-cli.ts';
import { targetPort, testRunParams, useTempDir } from '../test-support/scenario-test-run.ts';
import { runScenarios } from './runner.ts';
import type { Scenario } from './scenario.ts';

const tmpPath = useTempDir('rpb-runner-');

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
});

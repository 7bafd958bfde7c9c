import { beforeAll, describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import { isListening } from '../../bench/test-support/run-cli.ts';
import { runScenarioForTest, useTempDir } from '../../bench/test-support/scenario-test-run.ts';
import type { ScenarioReport } from '../../bench/core/run-summary.ts';
import { pipelining } from './pipelining.ts';

const tmpPath = useTempDir('rpb-pipelining-');
let report: ScenarioReport;

// Registered after useTempDir's beforeAll, so the folder exists when this runs (hooks run in order).
beforeAll(async () => {
  const { summary } = await runScenarioForTest({
    scenario: pipelining,
    claims: CLAIMS,
    params: { outDir: tmpPath('run'), overrides: { roundDurationMs: '200', rounds: '3' } },
  });
  report = summary.scenarios[0];
}, 60_000);

describe('pipelining scenario (quick)', () => {
  it('ends ok with a metric for every mode, batch size and added round trip', () => {
    expect(report.error).toBeNull();
    expect(report.status).toBe('ok');
    for (const mode of ['sequential', 'pipeline', 'mget', 'auto-pipeline']) {
      for (const batch of [1, 5, 50]) {
        for (const name of [`${mode}[batch=${batch}]`, `${mode}[batch=${batch},rtt=1ms]`]) {
          expect(report.metrics[name]?.summary.count, name).toBeGreaterThan(0);
          expect(report.metrics[name].trials).toHaveLength(3);
        }
      }
    }
    expect(Object.keys(report.metrics)).toHaveLength(4 * 3 * 2);
  });

  it('gives a speedup value per batch size and round trip, and what the proxy really added', () => {
    for (const batch of [1, 5, 50]) {
      for (const name of [`speedup[batch=${batch}]`, `speedup[batch=${batch},rtt=1ms]`]) {
        expect(report.values[name]?.unit, name).toBe('x');
        expect(report.values[name].value, name).toBeGreaterThan(0);
      }
    }
    expect(report.values['added-rtt[rtt=1ms]']?.unit).toBe('ms');
    // At least the timer the proxy waits on the replies.
    expect(report.values['added-rtt[rtt=1ms]'].value).toBeGreaterThanOrEqual(0.9);
  });

  it("gives the document's three claims a verdict each, on 3 trials at 1 ms added per round trip", () => {
    const ids = ['optimization.pipeline-5-gets', 'optimization.pipeline-sequential-5ms', 'optimization.pipeline-1ms'];
    expect(report.verdicts.map((v) => v.claimId)).toEqual(ids);
    for (const id of ids) {
      const verdict = report.verdicts.find((v) => v.claimId === id)!;
      // Which outcome is the measurement's to decide; that it was judged on every round is ours.
      expect(verdict.trials, id).toBe(3);
      expect(verdict.interval?.trials, id).toBe(3);
      expect(verdict.ruleText, id).toMatch(/^within 2x of /);
      expect(verdict.conditions, id).toMatch(/loopback/);
      expect(verdict.conditions, id).toMatch(/1 ms added per round trip through the fault proxy/);
      expect(report.trials[id], id).toHaveLength(3);
      for (const figure of report.trials[id]) expect(figure, id).toBeGreaterThan(0);
    }
  });

  it('pays 50 round trips sequentially and one in a pipeline when each round trip costs 1 ms', () => {
    const sequential = report.metrics['sequential[batch=50,rtt=1ms]'].summary.p50Ns;
    const pipeline = report.metrics['pipeline[batch=50,rtt=1ms]'].summary.p50Ns;
    expect(sequential).not.toBeNull();
    expect(pipeline).not.toBeNull();
    expect(sequential!).toBeGreaterThan(pipeline!);
  });

  it('leaves no redis-server behind', async () => {
    expect(report.target?.kind).toBe('managed');
    expect(await isListening(Number(new URL(report.target!.redactedUrl).port))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { parseBudgets } from './budget-parser.ts';
import { evaluateBudgets } from './evaluate-budgets.ts';
import type { BudgetResult } from './evaluate-budgets.ts';
import { metricFromTrials, runOf, scenario, verdict } from './synthetic-run.fixture.ts';

const run = runOf([
  scenario('miss-vs-hit', {
    // p50 2 ms, p99 6 ms (the fixture's p99 is 3 x p50).
    metrics: { 'hit.signal': metricFromTrials([2e6, 2e6, 2e6]), 'step.redis-get': metricFromTrials([200e3]) },
    values: {
      'stored-value-bytes': { value: 2748, unit: 'bytes' },
      'cache-stats.hits': { value: 5036, unit: 'count' },
      'ops-rate': { value: 1234, unit: 'ops/s' },
      unmeasured: { value: null, unit: 'ms' },
    },
    verdicts: [
      verdict('cache.speedup', 'does not hold', 5.9, 'x'),
      verdict('cache.hit-latency', 'holds', 0.27, 'ms'),
      verdict('cache.none', 'not measured', null, 'ms'),
    ],
  }),
  scenario('chaos-kill', { status: 'failed', values: { failed: { value: 0, unit: 'count' } } }),
  scenario('pipelining', { parameters: { batch: 5 }, values: { 'speedup[batch=5]': { value: 3.5, unit: 'x' } } }),
]);

function evaluate(...lines: string[]): BudgetResult[] {
  const evaluation = evaluateBudgets(run, parseBudgets(lines.join('\n'), 'budget.txt'));
  return [...evaluation.results];
}

function single(line: string): BudgetResult {
  return evaluate(line)[0];
}

describe('evaluateBudgets: pass and fail', () => {
  it('compares a latency statistic in the budget unit', () => {
    const pass = single('miss-vs-hit.hit.signal.p99 < 7ms');
    expect(pass).toMatchObject({ outcome: 'pass', actual: 6, actualUnit: 'ms', message: '6 ms < 7ms' });
    const fail = single('miss-vs-hit.hit.signal.p99 < 5000us');
    expect(fail).toMatchObject({ outcome: 'fail', actual: 6000, actualUnit: 'us', message: '6000 us is not < 5000us' });
    expect(single('miss-vs-hit.hit.signal.p999 <= 0.01s')).toMatchObject({ outcome: 'pass', actual: 0.01 });
    expect(single('miss-vs-hit.hit.signal.count == 300').outcome).toBe('pass');
  });

  it.each([
    ['miss-vs-hit.hit.signal.p50 < 2ms', 'fail'],
    ['miss-vs-hit.hit.signal.p50 <= 2ms', 'pass'],
    ['miss-vs-hit.hit.signal.p50 > 2ms', 'fail'],
    ['miss-vs-hit.hit.signal.p50 >= 2000000ns', 'pass'],
    ['miss-vs-hit.hit.signal.p50 == 0.002s', 'pass'],
    ['miss-vs-hit.hit.signal.p50 != 2ms', 'fail'],
    ['miss-vs-hit.hit.signal.p50 != 3ms', 'pass'],
  ])('%s -> %s (every operator, equality within a conversion tolerance)', (line, outcome) => {
    expect(single(line).outcome).toBe(outcome);
  });

  it('reads values in their unit, converting sizes; bare numbers in the stored unit', () => {
    expect(single('miss-vs-hit.value.stored-value-bytes < 5KB')).toMatchObject({
      outcome: 'pass',
      actual: 2.748,
      actualUnit: 'KB',
    });
    expect(single('miss-vs-hit.value.stored-value-bytes < 2KiB')).toMatchObject({ outcome: 'fail' });
    expect(single('miss-vs-hit.value.stored-value-bytes <= 2748')).toMatchObject({
      outcome: 'pass',
      actualUnit: 'bytes',
    });
    expect(single('miss-vs-hit.value.cache-stats.hits > 5000')).toMatchObject({ outcome: 'pass', actual: 5036 });
    expect(single('miss-vs-hit.value.ops-rate > 1000')).toMatchObject({ outcome: 'pass', actualUnit: 'ops/s' });
  });

  it('reads claims: the measured figure in the claim unit, and the verdict', () => {
    expect(single('miss-vs-hit.claim.cache.speedup >= 3x')).toMatchObject({
      outcome: 'pass',
      actual: 5.9,
      actualUnit: 'x',
    });
    expect(single('miss-vs-hit.claim.cache.hit-latency < 250us')).toMatchObject({
      outcome: 'fail',
      actual: 270,
      actualUnit: 'us',
    });
    expect(single('miss-vs-hit.claim.cache.speedup.verdict == holds')).toMatchObject({
      outcome: 'fail',
      actual: 'does not hold',
      message: 'does not hold (expected holds)',
    });
    expect(single('miss-vs-hit.claim.cache.speedup.verdict != holds').outcome).toBe('pass');
    expect(single('miss-vs-hit.claim.cache.hit-latency.verdict == holds').outcome).toBe('pass');
  });

  it('reads status and failed; a failed scenario counts at least one failure', () => {
    expect(single('miss-vs-hit.status == ok').outcome).toBe('pass');
    expect(single('miss-vs-hit.failed == 0').outcome).toBe('pass');
    expect(single('chaos-kill.status == ok')).toMatchObject({ outcome: 'fail', actual: 'failed' });
    const failed = single('chaos-kill.failed == 0');
    expect(failed).toMatchObject({ outcome: 'fail', actual: 1 });
    expect(failed.message).toContain('scenario failed: redis-server died');
  });

  it('finds a variant by its canonical key and a scenario by its parameters', () => {
    expect(single('pipelining.speedup[batch=5] >= 3')).toMatchObject({ outcome: 'pass', actual: 3.5 });
    expect(single('pipelining[batch=5].speedup[batch=5] >= 3').outcome).toBe('pass');
  });
});

describe('evaluateBudgets: missing', () => {
  it('names the scenarios that exist', () => {
    expect(single('nope.failed == 0')).toMatchObject({
      outcome: 'missing',
      actual: null,
      message: "no scenario 'nope' in this run; scenarios in the run: miss-vs-hit, chaos-kill, pipelining",
    });
  });

  it('names the metrics that exist', () => {
    expect(single('miss-vs-hit.hit.p99 < 5ms')).toMatchObject({
      outcome: 'missing',
      message: "no metric 'hit' in miss-vs-hit; metrics: hit.signal, step.redis-get",
    });
  });

  it('names the values, and points out a metric used without a statistic', () => {
    const result = single('miss-vs-hit.hit.signal < 5');
    expect(result.outcome).toBe('missing');
    expect(result.message).toContain("'hit.signal' is a latency metric: add a statistic, e.g. hit.signal.p99");
    expect(result.message).toContain('values: stored-value-bytes, cache-stats.hits, ops-rate, unmeasured');
    expect(single('miss-vs-hit.value.nope < 5').message).toBe(
      "no value 'nope' in miss-vs-hit; values: stored-value-bytes, cache-stats.hits, ops-rate, unmeasured",
    );
  });

  it('names the claims, and treats an unmeasured figure as missing', () => {
    expect(single('miss-vs-hit.claim.cache.nope >= 3x').message).toBe(
      "no verdict for claim 'cache.nope' in miss-vs-hit; claims: cache.speedup, cache.hit-latency, cache.none",
    );
    expect(single('miss-vs-hit.claim.cache.none < 1ms')).toMatchObject({
      outcome: 'missing',
      message: "claim 'cache.none' has no measured figure (verdict: not measured)",
    });
    expect(single('miss-vs-hit.value.unmeasured < 1ms').outcome).toBe('missing');
  });

  it('reports no such variant, naming what ran', () => {
    expect(single('pipelining.speedup[batch=10] >= 3').message).toMatch(
      /^no such variant: no value 'speedup\[batch=10\]' in pipelining/,
    );
    expect(single('pipelining[batch=10].failed == 0').message).toBe(
      'no such variant pipelining[batch=10] in this run: pipelining ran with [batch=5]',
    );
    expect(single('pipelining[codec=json].failed == 0').message).toBe(
      'no such variant pipelining[codec=json] in this run: pipelining ran with [codec=(unset)]',
    );
  });
});

describe('evaluateBudgets: units that do not fit', () => {
  it('lists a ms budget on a bytes value as a configuration problem with its line', () => {
    const evaluation = evaluateBudgets(
      run,
      parseBudgets(
        'miss-vs-hit.hit.signal.p99 < 7ms\nmiss-vs-hit.value.stored-value-bytes < 5ms\nmiss-vs-hit.claim.cache.speedup > 3%',
        'b',
      ),
    );
    expect(evaluation.results.map((r) => r.outcome)).toEqual(['pass', 'invalid', 'invalid']);
    expect(evaluation.problems).toEqual([
      'line 2: `miss-vs-hit.value.stored-value-bytes < 5ms`: unit ms does not fit a size (stored in bytes); use bytes, KB, MB, KiB, MiB or a bare number',
      'line 3: `miss-vs-hit.claim.cache.speedup > 3%`: unit % does not fit a ratio (stored in x); use x or a bare number',
    ]);
  });

  it('requires a unit for a latency claim and allows none on a figure of unknown unit', () => {
    expect(single('miss-vs-hit.claim.cache.hit-latency < 1')).toMatchObject({
      outcome: 'invalid',
      message: 'a latency (stored in ms) needs a unit in the budget: ns, us, ms or s',
    });
    expect(single('miss-vs-hit.value.ops-rate > 1x').outcome).toBe('invalid');
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError, ExitCode } from '../errors.ts';
import type { Budget } from './budget-ast.ts';
import { BudgetParseError, formatDiagnostic } from './budget-parse-error.ts';
import { parseBudgetFile, parseBudgetLine, parseBudgets } from './budget-parser.ts';

function one(text: string): Budget {
  const budget = parseBudgetLine(text, 1);
  if (budget === null) throw new Error(`no budget in ${text}`);
  return budget;
}

/** The single diagnostic of a one-line file, formatted as the CLI prints it. */
function errorOf(text: string): string {
  const { diagnostics } = parseBudgetFile(text, 'budget.txt');
  expect(diagnostics).toHaveLength(1);
  return formatDiagnostic(diagnostics[0]);
}

describe('parseBudgetLine: paths', () => {
  it('reads a metric statistic: scenario first, statistic last, dots in the metric name', () => {
    const b = one('miss-vs-hit.hit.signal.p99 < 5ms');
    expect(b.scenario).toEqual({ name: 'miss-vs-hit', selectors: [] });
    expect(b.target).toEqual({ kind: 'metric', metric: 'hit.signal', stat: 'p99' });
    expect(b.comparator).toBe('<');
    expect(b.threshold).toEqual({ kind: 'number', value: 5, unit: 'ms' });
    expect(b.text).toBe('miss-vs-hit.hit.signal.p99 < 5ms');
  });

  it.each([
    ['p50', 'p50'],
    ['p90', 'p90'],
    ['p99', 'p99'],
    ['p999', 'p999'],
    ['p99.9', 'p999'],
    ['max', 'max'],
    ['mean', 'mean'],
    ['min', 'min'],
    ['stddev', 'stddev'],
  ])('reads the statistic %s', (written, stat) => {
    expect(one(`s.step.redis-get.${written} <= 1ms`).target).toEqual({
      kind: 'metric',
      metric: 'step.redis-get',
      stat,
    });
  });

  it('reads count with a bare number', () => {
    expect(one('s.mix.cached.count >= 100')).toMatchObject({
      target: { kind: 'metric', metric: 'mix.cached', stat: 'count' },
      threshold: { value: 100, unit: null },
    });
  });

  it('reads value.<name>, whose name may contain dots', () => {
    expect(one('miss-vs-hit.value.stored-value-bytes < 5KB').target).toEqual({
      kind: 'value',
      name: 'stored-value-bytes',
      explicit: true,
    });
    expect(one('miss-vs-hit.value.cache-stats.hits > 10').target).toEqual({
      kind: 'value',
      name: 'cache-stats.hits',
      explicit: true,
    });
  });

  it('reads claim.<id> (measured figure) and claim.<id>.verdict (outcome)', () => {
    expect(one('miss-vs-hit.claim.cache.speedup >= 3x').target).toEqual({ kind: 'claim', claimId: 'cache.speedup' });
    const verdict = one('miss-vs-hit.claim.cache.speedup.verdict == holds');
    expect(verdict.target).toEqual({ kind: 'claim-verdict', claimId: 'cache.speedup' });
    expect(verdict.threshold).toEqual({ kind: 'text', value: 'holds' });
  });

  it('reads verdict words quoted or bare, with != too', () => {
    expect(one('s.claim.c.verdict != "does not hold"').threshold).toEqual({ kind: 'text', value: 'does not hold' });
    expect(one("s.claim.c.verdict == 'not measured'").threshold).toEqual({ kind: 'text', value: 'not measured' });
    expect(one('s.claim.c.verdict == does not hold   # trailing comment').threshold).toEqual({
      kind: 'text',
      value: 'does not hold',
    });
    expect(one('s.claim.c.verdict == inconclusive').comparator).toBe('==');
  });

  it('reads failed and status', () => {
    expect(one('chaos-kill.failed == 0')).toMatchObject({
      target: { kind: 'failed' },
      threshold: { value: 0, unit: null },
    });
    expect(one('chaos-kill.status == ok')).toMatchObject({
      target: { kind: 'status' },
      threshold: { kind: 'text', value: 'ok' },
    });
    expect(one('chaos-kill.status != interrupted').comparator).toBe('!=');
  });

  it('reads selectors after any segment into the AST and into canonical names', () => {
    const value = one('pipelining.speedup[batch=5] >= 3');
    expect(value.path).toEqual([{ name: 'speedup', selectors: [{ key: 'batch', value: '5' }] }]);
    expect(value.target).toEqual({ kind: 'value', name: 'speedup[batch=5]', explicit: false });
    const scenario = one('pipelining[batch=5, codec=json].get.p50 < 1ms');
    expect(scenario.scenario).toEqual({
      name: 'pipelining',
      selectors: [
        { key: 'batch', value: '5' },
        { key: 'codec', value: 'json' },
      ],
    });
    expect(scenario.target).toEqual({ kind: 'metric', metric: 'get', stat: 'p50' });
    expect(one('p.get[batch=10,mode=multi].p99 < 2ms').target).toEqual({
      kind: 'metric',
      metric: 'get[batch=10,mode=multi]',
      stat: 'p99',
    });
    expect(one('p.ratio[r=0.8] > 1').target).toMatchObject({ name: 'ratio[r=0.8]' });
  });
});

describe('parseBudgetLine: operators and units', () => {
  it.each(['<', '<=', '>', '>=', '==', '!='] as const)('reads the operator %s, with or without spaces', (op) => {
    expect(one(`s.m.p50 ${op} 1ms`).comparator).toBe(op);
    expect(one(`s.m.p50${op}1ms`).comparator).toBe(op);
  });

  it.each([
    ['5ns', 5, 'ns'],
    ['5us', 5, 'us'],
    ['5µs', 5, 'us'],
    ['5μs', 5, 'us'],
    ['5ms', 5, 'ms'],
    ['1.5s', 1.5, 's'],
    ['0.25 ms', 0.25, 'ms'],
    ['2e3us', 2000, 'us'],
  ])('reads the latency %s', (written, value, unit) => {
    expect(one(`s.m.p99 < ${written}`).threshold).toEqual({ kind: 'number', value, unit });
  });

  it.each([
    ['3x', 3, 'x'],
    ['10%', 10, '%'],
    ['4096 bytes', 4096, 'bytes'],
    ['4096B', 4096, 'bytes'],
    ['5KB', 5, 'KB'],
    ['5kB', 5, 'KB'],
    ['2MB', 2, 'MB'],
    ['4KiB', 4, 'KiB'],
    ['1MiB', 1, 'MiB'],
    ['-1.5', -1.5, null],
    ['.5', 0.5, null],
    ['42', 42, null],
  ])('reads the figure %s', (written, value, unit) => {
    expect(one(`s.value.v >= ${written}`).threshold).toEqual({ kind: 'number', value, unit });
  });
});

describe('parseBudgetFile', () => {
  it('ignores comments, blank lines, CRLF and a BOM, and numbers lines from 1', () => {
    const text =
      '\uFEFF# budgets for CI\r\n\r\n   \r\nmiss-vs-hit.hit.signal.p99 < 5ms # hit path\r\n\t# indented comment\r\nmiss-vs-hit.failed == 0\r\n';
    const budgets = parseBudgets(text, 'budget.txt');
    expect(budgets.map((b) => [b.line, b.text])).toEqual([
      [4, 'miss-vs-hit.hit.signal.p99 < 5ms'],
      [6, 'miss-vs-hit.failed == 0'],
    ]);
  });

  it('reports every line in error at once, as a ConfigError with exit code 2', () => {
    const text = ['s.m.p99 < 5ms', 's.m.p99 5ms', 'ok.failed == 0', 's.m.p95 < 1ms'].join('\n');
    let caught: unknown;
    try {
      parseBudgets(text, 'budget.txt');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BudgetParseError);
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as BudgetParseError;
    expect(error.exitCode).toBe(ExitCode.config);
    expect(error.message).toBe('2 errors in budget file budget.txt');
    expect(error.diagnostics.map((d) => [d.line, d.column])).toEqual([
      [2, 9],
      [4, 5],
    ]);
    expect(error.problems[0]).toBe(
      'budget.txt:2:9: expected a comparison operator (<, <=, >, >=, ==, !=)\n  s.m.p99 5ms\n          ^',
    );
    expect(error.hint).toContain('miss-vs-hit.hit.signal.p99 < 5ms');
  });
});

describe('parse errors point at the column with a caret', () => {
  it('a missing operator', () => {
    expect(errorOf('miss-vs-hit.hit.p99 5ms')).toBe(
      'budget.txt:1:21: expected a comparison operator (<, <=, >, >=, ==, !=)\n  miss-vs-hit.hit.p99 5ms\n                      ^',
    );
  });

  it("a single '=' gets a suggestion", () => {
    expect(errorOf('s.m.p99 = 5ms')).toBe(
      "budget.txt:1:9: expected a comparison operator (<, <=, >, >=, ==, !=); '=' alone is not one, write '=='\n  s.m.p99 = 5ms\n          ^",
    );
  });

  it('an unknown unit, at the unit', () => {
    expect(errorOf('s.m.p99 < 5 sec')).toBe(
      "budget.txt:1:13: unknown unit 'sec'; units: ns, us (µs), ms, s, x, %, bytes (B), KB, MB, KiB, MiB\n  s.m.p99 < 5 sec\n              ^",
    );
  });

  it('a missing threshold, at the end of the line', () => {
    expect(errorOf('s.m.p99 <')).toMatch(
      /^budget\.txt:1:10: expected a threshold after the operator.*\n {2}s\.m\.p99 <\n {11}\^$/,
    );
  });

  it('a scenario with no path', () => {
    expect(errorOf('miss-vs-hit < 5')).toBe(
      "budget.txt:1:12: expected '.' and what to check after the scenario id: <metric>.<stat>, value.<name>, claim.<id>, failed or status\n  miss-vs-hit < 5\n             ^",
    );
  });

  it('an unclosed selector', () => {
    expect(errorOf('pipelining.speedup[batch=5 >= 3')).toBe(
      "budget.txt:1:28: expected ',' or ']' to close the selector\n  pipelining.speedup[batch=5 >= 3\n                             ^",
    );
  });

  it('an empty selector and a selector without a value', () => {
    expect(errorOf('p.speedup[] > 1')).toMatch(/^budget\.txt:1:11: expected a selector key/);
    expect(errorOf('p.speedup[batch=] > 1')).toMatch(
      /^budget\.txt:1:17: expected a value for the selector key 'batch'/,
    );
    expect(errorOf('p.speedup[batch] > 1')).toMatch(/^budget\.txt:1:16: expected '=' after the selector key 'batch'/);
  });

  it('a selector on the statistic', () => {
    expect(errorOf('p.get.p99[batch=5] < 1ms')).toMatch(
      /^budget\.txt:1:10: a selector does not belong on the statistic 'p99'/,
    );
  });

  it('an unknown percentile, at the statistic', () => {
    expect(errorOf('s.hit.signal.p95 < 5ms')).toMatch(
      /^budget\.txt:1:14: unknown statistic 'p95'; available: p50, p90, p99, p999/,
    );
    expect(errorOf('s.hit.signal.p99.99 < 5ms')).toMatch(/^budget\.txt:1:14: unknown statistic 'p99\.99'/);
  });

  it('two dots in a row and a trailing dot', () => {
    expect(errorOf('s..p99 < 5ms')).toBe(
      'budget.txt:1:3: empty path segment: two dots in a row\n  s..p99 < 5ms\n    ^',
    );
    expect(errorOf('s.m. < 5ms')).toMatch(/^budget\.txt:1:5: expected a name after '\.'/);
  });

  it('a statistic without a metric', () => {
    expect(errorOf('s.p99 < 5ms')).toMatch(/^budget\.txt:1:3: expected <metric>\.p99: the metric name is missing/);
  });

  it('text after the threshold', () => {
    expect(errorOf('s.m.p99 < 5ms 6ms')).toMatch(/^budget\.txt:1:15: unexpected text after the threshold/);
  });

  it('a latency without a unit, or with a unit of another kind', () => {
    expect(errorOf('s.m.p99 < 5')).toMatch(/^budget\.txt:1:11: a latency needs a unit: ns, us, ms or s/);
    expect(errorOf('s.m.p99 < 5KB')).toMatch(/^budget\.txt:1:11: unit KB does not fit a latency/);
    expect(errorOf('s.m.count < 5ms')).toMatch(/^budget\.txt:1:13: a count takes a bare number, not ms/);
    expect(errorOf('s.failed == 0x')).toMatch(/^budget\.txt:1:13: a count takes a bare number/);
  });

  it('a word where a number belongs, and a number where a verdict belongs', () => {
    expect(errorOf('s.m.p99 < fast')).toMatch(/^budget\.txt:1:11: expected a number with an optional unit.*got 'fast'/);
    expect(errorOf('s.claim.c.verdict == 1')).toMatch(
      /^budget\.txt:1:22: expected a claim verdict \(holds, "does not hold", inconclusive, "not measured"\), got a number/,
    );
  });

  it('an unknown verdict or status word, and an ordering operator on words', () => {
    expect(errorOf('s.claim.c.verdict == hold')).toMatch(/^budget\.txt:1:22: expected a claim verdict .*got 'hold'/);
    expect(errorOf('s.status == done')).toMatch(
      /^budget\.txt:1:13: expected a scenario status \(ok, failed, interrupted\), got 'done'/,
    );
    expect(errorOf('s.claim.c.verdict < holds')).toMatch(
      /^budget\.txt:1:19: a claim verdict compares with == or != only/,
    );
  });

  it('an unterminated string', () => {
    expect(errorOf('s.status == "ok')).toMatch(/^budget\.txt:1:13: unterminated string: missing the closing "/);
  });

  it('a line that does not start with a scenario id', () => {
    expect(errorOf('  < 5ms')).toBe(
      'budget.txt:1:3: expected a scenario id at the start of the budget\n    < 5ms\n    ^',
    );
  });

  it('keeps tabs in the caret line so the caret stays under the column', () => {
    expect(errorOf('\ts.m.p99 5ms')).toBe(
      'budget.txt:1:10: expected a comparison operator (<, <=, >, >=, ==, !=)\n  \ts.m.p99 5ms\n  \t        ^',
    );
  });
});

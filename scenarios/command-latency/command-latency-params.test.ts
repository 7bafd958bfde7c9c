import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../bench/errors.ts';
import { tunableProblems } from '../../bench/core/tunables.ts';
import {
  COMMAND_LATENCY_TUNABLES,
  DEFAULT_COMMAND_LATENCY_PARAMS,
  QUICK_COMMAND_LATENCY_PARAMS,
  sweepRates,
} from './command-latency-params.ts';
import { resolveCommandLatencyParams } from './resolve-command-latency-params.ts';

function problemsOf(overrides: Record<string, string | number>): string[] {
  try {
    resolveCommandLatencyParams(true, overrides);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).hint).toMatch(/--set/);
    return [...(error as ConfigError).problems];
  }
  return [];
}

describe('command-latency parameters', () => {
  it('defaults: the document-derived claim rate, its 5 ms budget, its pool of 10; quick is a subset', () => {
    expect(resolveCommandLatencyParams(false, {})).toEqual(DEFAULT_COMMAND_LATENCY_PARAMS);
    expect(resolveCommandLatencyParams(true, {})).toEqual(QUICK_COMMAND_LATENCY_PARAMS);
    expect(DEFAULT_COMMAND_LATENCY_PARAMS).toMatchObject({
      claimRate: 2_000,
      budgetMs: 5,
      connections: 10,
      mgetSize: 5,
    });
  });

  it('reads a rate list, sorted and without duplicates', () => {
    expect(resolveCommandLatencyParams(true, { rates: '4000:1000:1000:250.5' }).rates).toEqual([250.5, 1000, 4000]);
  });

  it('rejects empty, negative and non-numeric rates, a budget <= 0 and a zero duration, naming each and the fix', () => {
    expect(problemsOf({ rates: '' }).join('\n')).toMatch(/rates="": expected numbers \(ops\/s\) separated by ':'/);
    expect(problemsOf({ rates: '1000:-5' }).join('\n')).toMatch(/rates=1000:-5: every rate must be from 1/);
    expect(problemsOf({ rates: '1000:fast' }).join('\n')).toMatch(/rates="1000:fast": expected numbers/);
    expect(problemsOf({ budgetMs: 0 }).join('\n')).toMatch(/budgetMs=0: expected a number from 0.001/);
    expect(problemsOf({ budgetMs: -1 }).join('\n')).toMatch(/budgetMs=-1/);
    expect(problemsOf({ stepDurationMs: 0 }).join('\n')).toMatch(
      /stepDurationMs=0: .*duration of zero or less cannot work/,
    );
    const all = problemsOf({ rates: 'x', budgetMs: 0, claimRoundDurationMs: 0, nope: 1 });
    expect(all).toHaveLength(4);
    expect(all.join('\n')).toMatch(/has no parameter nope/);
    expect(problemsOf({ mgetSize: 10, keyCount: 5 }).join('\n')).toMatch(/larger than keyCount/);
    expect(problemsOf({ driver: 'hiredis' }).join('\n')).toMatch(/driver=hiredis: expected one of ioredis, resp/);
    expect(problemsOf({ driver: 'resp', autoPipelining: 'on' }).join('\n')).toMatch(
      /autoPipelining=on is an ioredis feature.*raise pipelineDepth/,
    );
    expect(resolveCommandLatencyParams(true, { driver: 'resp' }).driver).toBe('resp');
  });

  it('the CLI check (before anything runs) rejects the same inputs', () => {
    const check = (raw: Record<string, string>): string[] =>
      tunableProblems('command-latency', COMMAND_LATENCY_TUNABLES, raw);
    expect(check({ rates: '1000:2000', budgetMs: '5', stepDurationMs: '500' })).toEqual([]);
    expect(check({ rates: '1000:-1' })[0]).toMatch(
      /command-latency.rates=1000:-1: expected 1 to 30 numbers from 1 to .* separated by ':'/,
    );
    expect(check({ rates: 'abc' })).toHaveLength(1);
    expect(check({ budgetMs: '0' })[0]).toMatch(/budgetMs=0: expected a number from 0.001/);
    expect(check({ stepDurationMs: '0' })[0]).toMatch(/stepDurationMs=0: expected an integer from 100/);
    expect(check({ claimRounds: '2' })[0]).toMatch(/claimRounds=2/);
  });
});

describe('sweepRates', () => {
  it('runs the listed rates, then doubles while allowed, never above maxRate', () => {
    const rates = (p: Parameters<typeof sweepRates>[0]) =>
      [...sweepRates(p)].map((r) => `${r.rate}${r.adaptive ? '*' : ''}`);
    expect(rates({ rates: [100, 200], maxRate: 1e6, adaptive: 'on', maxAdaptiveSteps: 2 })).toEqual([
      '100',
      '200',
      '400*',
      '800*',
    ]);
    expect(rates({ rates: [100, 200], maxRate: 1e6, adaptive: 'off', maxAdaptiveSteps: 2 })).toEqual(['100', '200']);
    expect(rates({ rates: [100, 200, 5000], maxRate: 700, adaptive: 'on', maxAdaptiveSteps: 5 })).toEqual([
      '100',
      '200',
      '400*',
    ]);
  });
});

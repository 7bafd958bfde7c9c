import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { CAPACITY_DEFAULTS, resolveCapacityInput } from './capacity-input.ts';

function problemsOf(file: Record<string, unknown>, options: Record<string, unknown>): string[] {
  try {
    resolveCapacityInput(file, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  return [];
}

describe('capacity input', () => {
  it('takes defaults, then the file (camelCase or kebab-case), then options as typed', () => {
    const input = resolveCapacityInput(
      { symbols: 3000, 'peak-rps': 5000, targetHitRate: 0.7 },
      { peakRps: '20000', ttlSeconds: '600' },
    );
    expect(input).toEqual({ ...CAPACITY_DEFAULTS, symbols: 3000, peakRps: 20000, targetHitRate: 0.7, ttlSeconds: 600 });
  });

  it('reports every problem at once, naming the option and what it expects', () => {
    const problems = problemsOf(
      { colour: 'blue' },
      { targetHitRate: '80', replicas: '1.5', symbols: 'many', policy: 'lru', symbolTheta: '1' },
    );
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch(/unknown setting "colour"/);
    expect(problems.join('\n')).toMatch(/--target-hit-rate 80: expected a share in \(0, 1\).*not a percentage/);
    expect(problems.join('\n')).toMatch(/--replicas 1.5: expected an integer/);
    expect(problems.join('\n')).toMatch(/--symbols "many": expected a number/);
    expect(problems.join('\n')).toMatch(/--policy "lru": expected one of volatile-lru/);
  });

  it('rejects a zipf constant of exactly 1 and a key space too large to trace', () => {
    expect(problemsOf({}, { symbolTheta: '1' }).join()).toMatch(
      /--symbol-theta: constant must be in \(0, 1\) or \(1, 10\]/,
    );
    expect(problemsOf({}, { symbols: '100000', datesHot: '2520' }).join()).toMatch(/keys; at most 20000000/);
  });
});

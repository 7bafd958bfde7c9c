import { describe, expect, it } from 'vitest';
import { configError } from '../test-support/config-error.ts';
import { resolveClosedLoopOptions } from './closed-loop-options.ts';
import {
  maxWorkerThreads,
  parseDurationMs,
  parseKeyDistributionOption,
  parseRate,
  parseRateList,
  parseWorkers,
} from './load-input.ts';
import { resolveOpenLoopOptions } from './open-loop-options.ts';

describe('rates', () => {
  it('reads positive rates, with k and m suffixes', () => {
    expect(parseRate('1000')).toBe(1_000);
    expect(parseRate('2.5e3')).toBe(2_500);
    expect(parseRate('20k')).toBe(20_000);
    expect(parseRate('0.5')).toBe(0.5);
    expect(parseRate('1M')).toBe(1_000_000);
    expect(parseRateList('1000, 5k,20k')).toEqual([1_000, 5_000, 20_000]);
  });

  it('refuses zero, negative, NaN, Infinity and junk, naming the option and an example', () => {
    for (const text of ['0', '-5', 'NaN', 'Infinity', 'abc', '', '1e400', '20000000', '10kk', '5 ops']) {
      const error = configError(() => parseRate(text, '--set rate'));
      expect(error.message).toContain(`--set rate ${JSON.stringify(text)}`);
      expect(error.message).toMatch(/above 0/);
      expect(error.hint).toMatch(/e\.g\. --set rate 1000/);
    }
    const list = configError(() => parseRateList('1000,0,abc', 'rates'));
    expect(list.problems).toHaveLength(2);
  });

  it('the load engines refuse a bad rate or duration given as a number, naming the field', () => {
    for (const rate of [0, -1, Number.NaN, Infinity]) {
      expect(configError(() => resolveOpenLoopOptions({ rateOpsPerSecond: rate })).message).toMatch(
        /rateOpsPerSecond must be a positive number of operations per second/,
      );
    }
    expect(
      configError(() => resolveOpenLoopOptions({ stages: [{ rateOpsPerSecond: 10, durationMs: Number.NaN }] })).message,
    ).toMatch(/stages\[0\]\.durationMs must be a positive number/);
    expect(configError(() => resolveOpenLoopOptions({ rateOpsPerSecond: 10, durationMs: -1 })).message).toMatch(
      /durationMs must be a positive number/,
    );
    expect(configError(() => resolveClosedLoopOptions({ durationMs: Infinity })).message).toMatch(
      /durationMs must be a positive number/,
    );
  });
});

describe('durations', () => {
  it('reads a number with its unit', () => {
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('10s')).toBe(10_000);
    expect(parseDurationMs('1.5 s')).toBe(1_500);
    expect(parseDurationMs('2m')).toBe(120_000);
    expect(parseDurationMs('1h')).toBe(3_600_000);
  });

  it('refuses a missing unit, zero, negatives, NaN and more than a day', () => {
    expect(configError(() => parseDurationMs('10', '--duration')).message).toMatch(
      /--duration "10".*the unit is missing/,
    );
    for (const text of ['0s', '-1s', 'NaNs', 'Infinitys', '25h', 'soon', '']) {
      const error = configError(() => parseDurationMs(text, '--duration'));
      expect(error.message).toMatch(/expected a positive duration with its unit/);
      expect(error.hint).toMatch(/--duration 10s/);
    }
  });
});

describe('key distributions and workers', () => {
  it("prefixes the parser's problems with the option and keeps its hint", () => {
    expect(parseKeyDistributionOption('zipfian:0.8')).toEqual({ kind: 'zipfian', constant: 0.8 });
    const cases: [string, RegExp][] = [
      ['zipf', /unknown distribution 'zipf'/],
      ['zipfian:1', /constant must be in \(0, 1\) or \(1, 10\]/],
      ['zipfian:abc', /constant 'abc' is not a number/],
      ['hotspot:0.2', /hotspot takes 2 parameters, got 1/],
      ['hotspot:1.5:0.8', /hotDataFraction must be a number in \[0, 1\]/],
      ['uniform:3', /uniform takes no parameters/],
    ];
    for (const [text, pattern] of cases) {
      const error = configError(() => parseKeyDistributionOption(text, '--set distribution'));
      expect(error.message).toMatch(/^--set distribution: invalid key distribution/);
      expect(error.message).toMatch(pattern);
      expect(error.hint).toMatch(/accepted forms: uniform, zipfian\[:THETA\]/);
    }
  });

  it('workers: an integer from 1 to 4 per CPU', () => {
    expect(parseWorkers('1')).toBe(1);
    expect(parseWorkers(String(maxWorkerThreads()))).toBe(maxWorkerThreads());
    for (const text of ['0', '-1', '1.5', 'two', '', String(maxWorkerThreads() + 1)]) {
      const error = configError(() => parseWorkers(text));
      expect(error.message).toMatch(
        new RegExp(`--workers "${text}": expected an integer from 1 to ${maxWorkerThreads()}`),
      );
    }
  });
});

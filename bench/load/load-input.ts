import os from 'node:os';
import { MS_PER_S } from '../core/units.ts';
import { ConfigError } from '../errors.ts';
import { parseKeyDistribution } from './key-distribution-parser.ts';
import type { KeyDistribution } from './key-distribution-spec.ts';

/*
 * Load parameters as users type them (command line, --set, scenario files). Each bad value is a
 * ConfigError that names the option, what was wrong, and an example that works.
 */

/** Most worker threads one machine may run (4 per CPU): beyond that they only add context switches. */
export function maxWorkerThreads(): number {
  return os.availableParallelism() * 4;
}

const DECIMAL = /^\+?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
/** The engine's scheduling limit is far beyond this; a larger figure is a typo. */
export const MAX_RATE_OPS_PER_SECOND = 10_000_000;
/** One day: every load loop is bounded in time. */
export const MAX_DURATION_MS = 86_400_000;

/** `--workers W`: an integer from 1 to 4 per CPU. */
export function parseWorkers(text: string, option = '--workers'): number {
  const max = maxWorkerThreads();
  const trimmed = text.trim();
  if (!/^\d{1,6}$/.test(trimmed) || Number(trimmed) < 1 || Number(trimmed) > max) {
    throw new ConfigError(
      `${option} ${JSON.stringify(text)}: expected an integer from 1 to ${max} (4 per CPU on this machine)`,
      {
        hint: `e.g. ${option} ${Math.min(2, max)}; one worker thread per CPU is a good start`,
      },
    );
  }
  return Number(trimmed);
}

/** An arrival rate in operations per second: positive and finite (`1000`, `2.5e4`, `20k`). */
export function parseRate(text: string, option = 'rate'): number {
  const trimmed = text.trim().toLowerCase();
  const match = /^(.*?)(k|m)?$/.exec(trimmed);
  const number = match?.[1] ?? '';
  const scale = match?.[2] === 'k' ? 1e3 : match?.[2] === 'm' ? 1e6 : 1;
  const value = DECIMAL.test(number) ? Number(number) * scale : Number.NaN;
  if (!(Number.isFinite(value) && value > 0 && value <= MAX_RATE_OPS_PER_SECOND)) {
    throw new ConfigError(
      `${option} ${JSON.stringify(text)}: expected a rate in operations per second, above 0 and at most ${MAX_RATE_OPS_PER_SECOND.toLocaleString('en-US')}`,
      {
        hint: `e.g. ${option} 1000 or ${option} 20k`,
      },
    );
  }
  return value;
}

/** A comma-separated list of rates (`1000,5000,20k`); every bad item is reported at once. */
export function parseRateList(text: string, option = 'rates'): number[] {
  const items = text.split(',').map((item) => item.trim());
  const problems: string[] = [];
  const rates: number[] = [];
  for (const item of items) {
    try {
      rates.push(parseRate(item, option));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length > 0 || rates.length === 0) {
    throw new ConfigError(
      `${option} ${JSON.stringify(text)}: ${problems.length > 0 ? problems.join('; ') : 'no rate given'}`,
      { problems, hint: `e.g. ${option} 1000,5000,20k` },
    );
  }
  return rates;
}

const DURATION_UNITS_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: MS_PER_S,
  m: 60 * MS_PER_S,
  h: 3_600 * MS_PER_S,
};

/** A duration with its unit (`500ms`, `10s`, `2m`, `1h`): positive, finite, at most a day. */
export function parseDurationMs(text: string, option = 'duration'): number {
  const match = /^\s*([\d.e+]+)\s*(ms|s|m|h)\s*$/i.exec(text);
  const number = match?.[1] ?? '';
  const value =
    match !== null && DECIMAL.test(number) ? Number(number) * DURATION_UNITS_MS[match[2]!.toLowerCase()]! : Number.NaN;
  if (!(Number.isFinite(value) && value > 0 && value <= MAX_DURATION_MS)) {
    const unitless = /^\s*[\d.]+\s*$/.test(text);
    throw new ConfigError(
      `${option} ${JSON.stringify(text)}: expected a positive duration with its unit (ms, s, m or h), at most 24 h${unitless ? ': the unit is missing' : ''}`,
      {
        hint: `e.g. ${option} 10s or ${option} 500ms`,
      },
    );
  }
  return value;
}

/** A key distribution (`zipfian:0.99`, `hotspot:0.2:0.8`, ...), its errors prefixed with the option. */
export function parseKeyDistributionOption(text: string, option = 'distribution'): KeyDistribution {
  try {
    return parseKeyDistribution(text);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(`${option}: ${error.message}`, { problems: error.problems, hint: error.hint ?? '' });
  }
}

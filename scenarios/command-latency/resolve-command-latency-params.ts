/** command-latency's parameters resolved once: defaults with the user's overrides, every problem reported at once. */
import { ConfigError } from '../../bench/errors.ts';
import type { LoadDriver } from '../../bench/load/worker-protocol.ts';
import { NUMBER_LIST_SEPARATOR, parseNumberList } from '../../bench/core/tunables.ts';
import type { TunableValue } from '../../bench/core/tunables.ts';
import {
  COMMAND_LATENCY_TUNABLES,
  DEFAULT_COMMAND_LATENCY_PARAMS,
  MAX_RATE,
  QUICK_COMMAND_LATENCY_PARAMS,
} from './command-latency-params.ts';
import type { CommandLatencyParams, CompareDrivers, OnOff, RedisBenchmarkMode } from './command-latency-params.ts';

const FIX = 'set it with --set KEY=VALUE (see `rpb list` for the ranges), or leave it out for the default';

type Overrides = Readonly<Record<string, TunableValue>>;

/** Reads parameters from the overrides, else the defaults, and adds every problem it sees to `problems`. */
function paramReader(base: CommandLatencyParams, overrides: Overrides, problems: string[]) {
  const pick = <T extends TunableValue>(key: keyof CommandLatencyParams): T =>
    key in overrides ? (overrides[key] as T) : (base[key] as T);
  const positive = (key: keyof CommandLatencyParams, integer: boolean): number => {
    const value = pick<number>(key);
    const spec = COMMAND_LATENCY_TUNABLES[key];
    const min = spec !== undefined && spec.kind !== 'choice' ? spec.min : 1;
    const max = spec !== undefined && spec.kind !== 'choice' ? spec.max : Number.MAX_SAFE_INTEGER;
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      value <= 0 ||
      value < min ||
      value > max ||
      (integer && !Number.isInteger(value))
    ) {
      problems.push(
        `${key}=${String(value)}: expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max} (a ${key.endsWith('Ms') ? 'duration' : 'value'} of zero or less cannot work)`,
      );
    }
    return value;
  };
  /** An integer for which an explicit 0 is allowed too (it turns the thing off). */
  const positiveOrZero = (key: keyof CommandLatencyParams): number =>
    key in overrides && overrides[key] === 0 ? 0 : positive(key, true);
  const choice = <T extends string>(key: keyof CommandLatencyParams): T => {
    const value = pick<string>(key);
    const spec = COMMAND_LATENCY_TUNABLES[key];
    if (spec?.kind === 'choice' && !spec.values.includes(value))
      problems.push(`${key}=${value}: expected one of ${spec.values.join(', ')}`);
    return value as T;
  };
  return { positive, positiveOrZero, choice };
}

/** The sweep's rates: the defaults, or the override parsed, checked, deduplicated and sorted. */
function resolveRates(base: CommandLatencyParams, overrides: Overrides, problems: string[]): readonly number[] {
  if (!('rates' in overrides)) return base.rates;
  const text = String(overrides.rates);
  const parsed = parseNumberList(text);
  if (text.trim() === '' || parsed === null)
    problems.push(
      `rates=${JSON.stringify(text)}: expected numbers (ops/s) separated by '${NUMBER_LIST_SEPARATOR}', e.g. rates=1000${NUMBER_LIST_SEPARATOR}5000${NUMBER_LIST_SEPARATOR}20000`,
    );
  else if (parsed.some((r) => !(r >= 1 && r <= MAX_RATE)))
    problems.push(
      `rates=${text}: every rate must be from 1 to ${MAX_RATE} ops/s (a rate of zero or less sends nothing)`,
    );
  else return [...new Set(parsed)].sort((a, b) => a - b);
  return base.rates;
}

/** The first problem between parameters (looked at only when each one alone is valid), or none. */
function combinationProblems(params: CommandLatencyParams): string[] {
  if (params.driver === 'resp' && params.autoPipelining === 'on')
    return [
      'autoPipelining=on is an ioredis feature and driver=resp was chosen; with driver=resp raise pipelineDepth instead (commands of one tick then share a write), or use driver=ioredis',
    ];
  if (params.mgetSize > params.keyCount)
    return [`mgetSize=${params.mgetSize} is larger than keyCount=${params.keyCount}; raise keyCount or lower mgetSize`];
  return [];
}

/**
 * Defaults (quick or full) with the user's overrides, checked: every problem at once, as a
 * ConfigError naming the parameter and the fix. The CLI checks the same ranges before anything runs.
 */
export function resolveCommandLatencyParams(quick: boolean, overrides: Overrides): CommandLatencyParams {
  const base = quick ? QUICK_COMMAND_LATENCY_PARAMS : DEFAULT_COMMAND_LATENCY_PARAMS;
  const problems: string[] = [];
  const known = Object.keys(COMMAND_LATENCY_TUNABLES);
  for (const key of Object.keys(overrides))
    if (!known.includes(key)) problems.push(`command-latency has no parameter ${key}; it has: ${known.join(', ')}`);
  const rates = resolveRates(base, overrides, problems);
  const { positive, positiveOrZero, choice } = paramReader(base, overrides, problems);
  const params: CommandLatencyParams = {
    rates,
    adaptive: choice<OnOff>('adaptive'),
    maxAdaptiveSteps: positiveOrZero('maxAdaptiveSteps'),
    maxRate: positive('maxRate', false),
    stepDurationMs: positive('stepDurationMs', true),
    warmupDurationMs: positiveOrZero('warmupDurationMs'),
    budgetMs: positive('budgetMs', false),
    claimRate: positive('claimRate', false),
    claimRounds: positive('claimRounds', true),
    claimRoundDurationMs: positive('claimRoundDurationMs', true),
    connections: positive('connections', true),
    pipelineDepth: positive('pipelineDepth', true),
    autoPipelining: choice<OnOff>('autoPipelining'),
    driver: choice<LoadDriver>('driver'),
    keyCount: positive('keyCount', true),
    keyDistribution: choice<string>('keyDistribution'),
    mgetSize: positive('mgetSize', true),
    redisBenchmark: choice<RedisBenchmarkMode>('redisBenchmark'),
    compareDurationMs: positive('compareDurationMs', true),
    compareRounds: positive('compareRounds', true),
    compareDrivers: choice<CompareDrivers>('compareDrivers'),
    ttlSeconds: base.ttlSeconds,
  };
  if (problems.length === 0) problems.push(...combinationProblems(params));
  if (problems.length > 0) {
    throw new ConfigError(
      `invalid command-latency parameter${problems.length > 1 ? 's' : ''}: ${problems.join('; ')}`,
      { problems, hint: FIX },
    );
  }
  return params;
}

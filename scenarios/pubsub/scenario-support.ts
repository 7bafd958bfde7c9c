import os from 'node:os';
import type { Histogram } from 'hdr-histogram-js';
import type { RegisteredClaim } from '../../bench/analysis/claim-registry.ts';
import { CLAIMS } from '../../bench/analysis/claim-registry.ts';
import { ConfigError } from '../../bench/errors.ts';
import type { ManagedRedis } from '../../bench/targets/managed-redis.ts';
import type { ScenarioContext, ScenarioValue } from '../../bench/core/scenario.ts';
import { sleepMs } from '../../bench/load/precise-wait.ts';

export function claimById(id: string): RegisteredClaim {
  const claim = CLAIMS.find((c) => c.id === id);
  if (claim === undefined) throw new Error(`claim ${id} is missing from the claim registry`);
  return claim;
}

/** Chaos needs a Redis the harness started: one given by URL is never killed or reconfigured. */
export function requireManaged(context: ScenarioContext, scenarioId: string, why: string): ManagedRedis {
  if (context.managed === null) {
    throw new ConfigError(`${scenarioId} cannot run against --redis-url / REDIS_URL: it ${why}`, {
      hint: `run it without --redis-url (the harness then starts its own redis-server), or leave ${scenarioId} out of the run`,
    });
  }
  return context.managed;
}

export function percentileMs(histogram: Histogram, percentile: number): number {
  return histogram.totalCount === 0 ? Number.NaN : histogram.getValueAtPercentile(percentile) / 1e6;
}

/** Polls until the condition holds, the time is up or the run aborts; true when it holds. */
export async function waitFor(
  condition: () => boolean,
  timeoutMs: number,
  signal: AbortSignal,
  pollMs = 10,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (signal.aborted || Date.now() >= deadline) return condition();
    await sleepMs(pollMs, signal);
  }
  return true;
}

export function figure(value: number | null, unit: string, description: string): ScenarioValue {
  return { value: value === null || Number.isFinite(value) ? value : null, unit, description };
}

export function percent(part: number, whole: number): number {
  return whole === 0 ? Number.NaN : (100 * part) / whole;
}

export function environmentConditions(context: ScenarioContext): string {
  return `${context.network}, ${context.targetKind} Redis ${context.redisVersion}, Node ${process.version}, ${os.cpus().length} CPUs`;
}

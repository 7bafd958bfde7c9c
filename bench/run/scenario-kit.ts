/** The pieces every scenario needs, written once: claim lookup, figures, verdict conditions, waiting. */
import os from 'node:os';
import type { Histogram } from 'hdr-histogram-js';
import type { RegisteredClaim } from '../core/claim.ts';
import type { ScenarioValue } from '../core/run-summary.ts';
import { NS_PER_MS } from '../core/units.ts';
import { ConfigError } from '../errors.ts';
import { sleepMs } from '../load/precise-wait.ts';
import type { ManagedRedis } from '../targets/managed-redis.ts';
import type { ScenarioContext, ScenarioTarget, TrialPart } from './scenario.ts';

/** The claim `id` from a scenario's claims list; a missing one is a bug in the scenario's declaration. */
export function claimIn(claims: readonly RegisteredClaim[], id: string): RegisteredClaim {
  const claim = claims.find((c) => c.id === id);
  if (claim === undefined) throw new Error(`claim ${id} is missing from the claim registry`);
  return claim;
}

/** A named figure for ScenarioOutcome.values; a non-finite value (no data) becomes null, which JSON keeps. */
export function figure(value: number | null, unit: string, description: string): ScenarioValue {
  return { value: value === null || Number.isFinite(value) ? value : null, unit, description };
}

/** part / whole in %, NaN (no data) when whole is 0. */
export function percent(part: number, whole: number): number {
  return whole === 0 ? Number.NaN : (100 * part) / whole;
}

/** A percentile of a histogram of ns in ms, NaN for an empty histogram. */
export function percentileMs(histogram: Histogram, percentile: number): number {
  return histogram.totalCount === 0 ? Number.NaN : histogram.getValueAtPercentile(percentile) / NS_PER_MS;
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

/**
 * The redis-server the harness started for this scenario, which a scenario may kill, pause or
 * reconfigure; null for a --redis-url target and for a managed cluster or sentinel deployment.
 */
export function managedServer(target: ScenarioTarget): ManagedRedis | null {
  return target.kind === 'managed' ? target.server : null;
}

/** Chaos needs a Redis the harness started: one given by URL is never killed or reconfigured. */
export function requireManaged(context: ScenarioContext, scenarioId: string, why: string): ManagedRedis {
  const server = managedServer(context.target);
  if (server === null) {
    throw new ConfigError(`${scenarioId} cannot run against --redis-url / REDIS_URL: it ${why}`, {
      hint: `run it without --redis-url (the harness then starts its own redis-server), or leave ${scenarioId} out of the run`,
    });
  }
  return server;
}

/** The conditions every verdict states: network, target kind, Redis version, Node and CPU count. */
export function environmentConditions(context: ScenarioContext): string {
  const target = context.target.kind === 'url' ? (context.target.label ?? 'url') : context.target.kind;
  return `${context.network}, ${target} Redis ${context.redisVersion}, Node ${process.version}, ${os.cpus().length} CPUs`;
}

/** A scenario's parameters: its --quick or default set, then the user's `--set` values (checked already). */
export function scenarioParams<P extends object>(context: ScenarioContext, defaults: P, quick: P): P {
  return { ...(context.params.quick ? quick : defaults), ...(context.overrides as Partial<P>) };
}

/**
 * The rounds part `index` of `of` runs out of `rounds` planned (Scenario.spreadParts): the parts add
 * up to `rounds` and differ by at most one (9 in 3: 3, 3, 3; 7 in 2: 3, 4). No part: all of them.
 */
export function roundsOfPart(rounds: number, part: TrialPart | undefined): number {
  if (part === undefined) return rounds;
  return Math.floor((rounds * part.index) / part.of) - Math.floor((rounds * (part.index - 1)) / part.of);
}

import { MS_PER_S } from '../../bench/core/units.ts';
import { ConfigError } from '../../bench/errors.ts';
import { RespConnection } from '../../bench/load/resp-connection.ts';
import { managedServer, scenarioParams } from '../../bench/run/scenario-kit.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import { generateTradingDayTrace, workingSetKeys } from '../../bench/workload/trading-day-workload.ts';
import { CACHE_FULL } from '../shared-readings.ts';
import { DEFAULT_HIT_RATE_PARAMS, HIT_RATE_TUNABLES, QUICK_HIT_RATE_PARAMS, workloadOf } from './hit-rate-plan.ts';
import type { HitRateParams } from './hit-rate-plan.ts';
import { prepareDay } from './hit-rate-replays.ts';
import type { Replayer } from './hit-rate-replays.ts';
import { hitRateSeries } from './hit-rate-series.ts';
import { prepareSetup } from './hit-rate-setup.ts';
import { runSweep, sweepDayOf } from './hit-rate-sweep.ts';
import type { HitRateMeasurement } from './hit-rate-sweep.ts';
import { runTrials } from './hit-rate-trials.ts';
import { hitRateValues } from './hit-rate-values.ts';
import { CLAIM_FULL_DECREASE, CLAIM_FULL_FILLS, CLAIM_HIT_RATE, hitRateVerdicts } from './hit-rate-verdicts.ts';

const SCENARIO_ID = 'hit-rate-curve';

/** Setup (bytes per key, clock), the trials, then the sweep, on one lean replay connection; flushed afterwards. */
async function measure(context: ScenarioContext, p: HitRateParams): Promise<HitRateMeasurement> {
  const connection = await RespConnection.open(context.target.url, {
    connectTimeoutMs: 10_000,
    commandTimeoutMs: 10_000,
    connectionName: 'rpb-hit-rate-replay',
    batchWrites: true,
  });
  try {
    const firstTrace = generateTradingDayTrace(workloadOf(p, context.params.seed), 0);
    const setup = await prepareSetup(context, connection, p, firstTrace);
    const day0 = prepareDay(setup, firstTrace);
    const replayer: Replayer = {
      admin: context.admin,
      connection,
      setup,
      signal: context.signal,
      progress: context.progress,
    };
    const { trials, clock } = await runTrials(replayer, day0);
    const sweepDay = sweepDayOf(setup, day0);
    const workingSet = workingSetKeys(day0.trace, p.ttlSeconds * MS_PER_S, setup.warmupMs);
    const sweep = await runSweep(replayer, clock, sweepDay, workingSet);
    return { setup, day0, sweepDay, trials, sweep };
  } finally {
    connection.close();
    await context.admin.flushall().catch(() => undefined);
  }
}

function summarise(context: ScenarioContext, measurement: HitRateMeasurement): ScenarioOutcome {
  const { setup, trials, sweep } = measurement;
  const { values, notes } = hitRateValues(measurement);
  const { verdicts, trials: figures } = hitRateVerdicts(context, measurement);
  return {
    values,
    trials: figures,
    verdicts,
    series: hitRateSeries(measurement),
    parameters: {
      ...setup.p,
      startAcceleration: setup.clock.acceleration,
      warmupSimulatedSeconds: setup.warmupMs / MS_PER_S,
      cacheFull: CACHE_FULL.definition,
      days: trials.map((t) => ({
        date: t.trace.date,
        lookups: t.trace.keys.length,
        workingSetKeys: t.workingSetKeys,
        order: t.order,
        acceleration: t.clock.acceleration,
        rerun: t.rerun,
        fullMaxmemoryBytes: t.full.setting.maxmemoryBytes,
      })),
      sweepPoints: sweep.map((s) => ({ fraction: s.fraction, maxmemoryBytes: s.run.setting.maxmemoryBytes })),
    },
    notes,
  };
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  if (managedServer(context.target) === null) {
    throw new ConfigError(
      'the hit-rate scenario reconfigures (CONFIG SET maxmemory, policy) and flushes its Redis between replays; it runs only on a Redis the harness starts',
      { hint: 'run it without --redis-url (the harness starts a managed redis-server)' },
    );
  }
  const p: HitRateParams = scenarioParams(context, DEFAULT_HIT_RATE_PARAMS, QUICK_HIT_RATE_PARAMS);
  if (p.sessionSeconds <= p.ttlSeconds)
    throw new ConfigError(
      `sessionSeconds (${p.sessionSeconds}) must exceed ttlSeconds (${p.ttlSeconds}): the first TTL of a day is its warm-up, so nothing would be counted`,
      { hint: `raise --set sessionSeconds above ${p.ttlSeconds}, or lower --set ttlSeconds` },
    );
  return summarise(context, await measure(context, p));
}

export const hitRate: Scenario = {
  id: SCENARIO_ID,
  description:
    'Hit rate of simulated trading days of the signal service (dates rolling over, TTL scaled to an accelerated clock) on Redis: the document configuration and a full cache per day, plus a maxmemory sweep against the exact LRU prediction.',
  claims: [CLAIM_HIT_RATE, CLAIM_FULL_DECREASE, CLAIM_FULL_FILLS],
  tunables: HIT_RATE_TUNABLES,
  run,
};

import { MS_PER_S } from '../../bench/core/units.ts';
import { ConfigError } from '../../bench/errors.ts';
import { managedServer, scenarioParams } from '../../bench/run/scenario-kit.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import { featurePayloads } from '../../bench/workload/feature-payloads.ts';
import { DEFAULT_SIGNAL_WORKLOAD, generateSignalTrace } from '../../bench/workload/signal-workload.ts';
import type { SignalTrace } from '../../bench/workload/signal-workload.ts';
import { DEFAULT_HIT_RATE_PARAMS, HIT_RATE_TUNABLES, QUICK_HIT_RATE_PARAMS, buildSweepPlan } from './hit-rate-plan.ts';
import type { HitRateParams } from './hit-rate-plan.ts';
import { hitRateSeries } from './hit-rate-series.ts';
import { distinctKeys, measureSweep } from './hit-rate-sweep.ts';
import type { HitRateMeasurement, HitRateWorkload } from './hit-rate-sweep.ts';
import { hitRateValues } from './hit-rate-values.ts';
import { CLAIM_FULL_DECREASE, CLAIM_FULL_FILLS, CLAIM_HIT_RATE, hitRateVerdicts } from './hit-rate-verdicts.ts';

const SCENARIO_ID = 'hit-rate-curve';
const PAYLOAD_VARIANTS = 16;

/** The traces (one per skew, generated once), the working set and the values every replay stores. */
function prepareWorkload(context: ScenarioContext, p: HitRateParams): HitRateWorkload {
  const { seed } = context.params;
  const traces = new Map<number, SignalTrace>();
  const traceFor = (symbolTheta: number): SignalTrace => {
    let trace = traces.get(symbolTheta);
    if (trace === undefined) {
      trace = generateSignalTrace({
        ...DEFAULT_SIGNAL_WORKLOAD,
        symbols: p.symbols,
        dates: p.dates,
        symbolTheta,
        dateTheta: p.dateTheta,
        requestsPerSecond: p.requestsPerSecond,
        accesses: p.accesses,
        seed,
      });
      traces.set(symbolTheta, trace);
    }
    return trace;
  };
  const baseTrace = traceFor(p.symbolTheta);
  const { payloads } = featurePayloads(p.codec, PAYLOAD_VARIANTS, seed);
  return {
    p,
    baseTrace,
    workingSet: distinctKeys(baseTrace),
    warmup: Math.floor(p.warmupFraction * p.accesses),
    traceFor,
    payload: (keyId: number): Buffer => payloads[keyId % payloads.length],
  };
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  if (managedServer(context.target) === null) {
    throw new ConfigError(
      'the hit-rate scenario reconfigures (CONFIG SET maxmemory, policy) and flushes its Redis between points; it runs only on a Redis the harness starts',
      {
        hint: 'run it without --redis-url (the harness starts a managed redis-server)',
      },
    );
  }
  const p: HitRateParams = scenarioParams(context, DEFAULT_HIT_RATE_PARAMS, QUICK_HIT_RATE_PARAMS);
  const workload = prepareWorkload(context, p);
  const plan = buildSweepPlan(p, workload.baseTrace.durationMs / MS_PER_S);
  return summarise(context, await measureSweep(context, workload, plan));
}

function summarise(context: ScenarioContext, measurement: HitRateMeasurement): ScenarioOutcome {
  const { workload, results } = measurement;
  const { p, baseTrace } = workload;
  const { values, notes } = hitRateValues(measurement);
  const series = hitRateSeries(measurement);
  const { verdicts, trials } = hitRateVerdicts(context, measurement);
  return {
    values,
    trials,
    verdicts,
    series,
    parameters: {
      ...p,
      keySpace: baseTrace.keySpace,
      warmupAccesses: workload.warmup,
      traceDurationS: baseTrace.durationMs / MS_PER_S,
      points: results.map((r) => ({
        label: r.point.label,
        group: r.point.group,
        policy: r.point.policy,
        samples: r.point.samples,
        maxmemoryBytes: r.maxmemoryBytes,
        capacityKeys: r.capacityKeys,
        ttlSeconds: r.point.ttlSeconds,
        symbolTheta: r.point.symbolTheta,
      })),
    },
    notes,
  };
}

export const hitRate: Scenario = {
  id: SCENARIO_ID,
  description:
    'Hit rate of the signal-service workload replayed on Redis, swept over maxmemory, eviction policy, TTL and skew, against the exact LRU prediction from the same trace.',
  claims: [CLAIM_HIT_RATE, CLAIM_FULL_DECREASE, CLAIM_FULL_FILLS],
  tunables: HIT_RATE_TUNABLES,
  run,
};

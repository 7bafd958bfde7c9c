import { claimIn, figure } from '../../bench/run/scenario-kit.ts';
import { COMMAND_LATENCY_CLAIMS } from './claims.ts';
import { formatCurve, kneeRate } from '../../bench/analysis/latency-curve.ts';
import type { CurvePoint } from '../../bench/analysis/latency-curve.ts';
import { medianOf } from '../../bench/analysis/median-interval.ts';
import { judgeClaim } from '../../bench/analysis/verdict.ts';
import { buildBatchFeatureValues } from '../../bench/load/batch-feature-values.ts';
import { createCommandOperation, preloadCommandKeys, removeCommandKeys } from '../../bench/load/command-operation.ts';
import { OPEN_LOOP_DEFAULTS } from '../../bench/load/open-loop-options.ts';
import { formatShard, loadSeed, shardedRate } from '../../bench/load/shard.ts';
import type { LoadClient, LoadDriver } from '../../bench/load/worker-protocol.ts';
import { closeLoadClients } from '../../bench/load/load-clients.ts';
import type { ScenarioSeries, ScenarioValue } from '../../bench/core/run-summary.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import { compareWithRedisBenchmark, comparisonSkipReason } from './redis-benchmark-comparison.ts';
import { SPEED_TARGET_DRIVER } from './comparison-request.ts';
import { COMMAND_LATENCY_TUNABLES } from './command-latency-params.ts';
import { resolveCommandLatencyParams } from './resolve-command-latency-params.ts';
import type { CommandLatencyParams } from './command-latency-params.ts';
import { claimRounds } from './claim-rounds.ts';
import type { ClaimOutcome } from './claim-rounds.ts';
import { CommandLoads, openClients } from './command-loads.ts';
import { claimConditions, claimLoadText, splitNotes } from './command-latency-notes.ts';
import { commandPlans, rateMetricName, rateText } from './command-plans.ts';
import type { CommandPlan } from './command-plans.ts';
import { sweep } from './rate-sweep.ts';
import { addGeneratorLoadValues, limitedPhasesText, limitedSuffix } from './generator-load-figures.ts';

const SCENARIO_ID = 'command-latency';
const CLAIM_ID = 'monitoring.command-p99';

/** What the phases add to the outcome, in the order they run. */
interface Collected {
  readonly values: Record<string, ScenarioValue>;
  readonly notes: string[];
  readonly series: Record<string, ScenarioSeries>;
}

function curveSeries(points: readonly CurvePoint[]): ScenarioSeries {
  const measured = points.filter((p) => p.p99Ms !== null);
  return {
    x: measured.map((p) => Math.round(p.achievedRate)),
    y: measured.map((p) => p.p99Ms as number),
    xLabel: 'achieved ops/s',
    yLabel: 'p99 ms (corrected, every outcome)',
  };
}

/** A metric's failure count: in `<metric>.all` at their time to failure, never in `<metric>` itself. */
function failedFigure(failed: number, what: string, metric: string): ScenarioValue {
  return figure(
    failed,
    'count',
    `${what}: operations that failed or timed out (error replies, timeouts, connection failures); ${metric}.all counts them at their time to failure, ${metric} holds the successes only`,
  );
}

/** One command's sweep, then its knee, its highest held rate, a p99 and achieved rate per step, and its curve. */
async function sweepCommand(
  context: ScenarioContext,
  params: CommandLatencyParams,
  plans: readonly CommandPlan[],
  index: number,
  loads: CommandLoads,
  out: Collected,
): Promise<void> {
  const plan = plans[index];
  const { values, notes, series } = out;
  const {
    points,
    failed,
    loads: generatorLoads,
    notes: sweepNotes,
  } = await sweep(context, params, plans, index, loads);
  notes.push(...sweepNotes, formatCurve(plan.label, points, params.budgetMs));
  const knee = kneeRate(points, params.budgetMs);
  values[`knee-ops-per-second.${plan.label}`] = figure(
    knee,
    'ops/s',
    `highest target rate of ${plan.label} whose corrected p99 stayed within ${params.budgetMs} ms (rate held, no failures); null: none did` +
      limitedSuffix(generatorLoads[points.findIndex((p) => p.targetRate === knee)]),
  );
  const held = points.filter((p) => p.rateHeld).map((p) => p.targetRate);
  values[`max-held-rate-ops-per-second.${plan.label}`] = figure(
    held.length > 0 ? Math.max(...held) : null,
    'ops/s',
    `highest target rate of ${plan.label} the open loop held within ${OPEN_LOOP_DEFAULTS.behindToleranceFraction * 100}%`,
  );
  points.forEach((point, i) => {
    const metric = rateMetricName(plan.label, point.targetRate);
    const target = `a target of ${rateText(point.targetRate)} ops/s`;
    const limited = limitedSuffix(generatorLoads[i]);
    values[`${metric}.p99-ms`] = figure(
      point.p99Ms,
      'ms',
      `${plan.label} corrected p99 of every outcome (${metric}.all) at ${target}${limited}`,
    );
    values[`${metric}.failed`] = failedFigure(failed[i], `${plan.label} at ${target}`, metric);
    const part =
      context.params.shard === null
        ? ''
        : ` (by this shard, whose part was ${rateText(shardedRate(point.targetRate, context.params))} ops/s)`;
    values[`${metric}.achieved-ops-per-second`] = figure(
      point.achievedRate,
      'ops/s',
      `${plan.label} rate achieved for ${target}${part}${limited}`,
    );
    addGeneratorLoadValues(values, metric, `${plan.label} at ${target}`, generatorLoads[i]);
  });
  if (points.length > 0) series[`${plan.label} p99`] = curveSeries(points);
  const kneePoint = points.find((p) => p.targetRate === knee && p.p99Ms !== null);
  // The knee as a one-point series on the same axes: the chart marks it.
  if (kneePoint !== undefined) series[`${plan.label} knee`] = curveSeries([kneePoint]);
}

/**
 * The comparison's connections of a driver the steps did not use (opened only once the comparison
 * will run); none when they fail.
 */
async function openOtherClients(
  context: ScenarioContext,
  params: CommandLatencyParams,
  other: LoadDriver,
  out: Collected,
): Promise<LoadClient[]> {
  try {
    return await openClients(context.target.url, params, other);
  } catch (error) {
    if (context.signal.aborted) throw error;
    // What was measured so far stays; the comparison runs without this driver.
    out.notes.push(
      `the ${other} driver's ${params.connections} connections for the redis-benchmark comparison could not be opened (${error instanceof Error ? error.message : String(error)}): compared without driver ${other}`,
    );
    return [];
  }
}

/**
 * The comparison's drivers, the speed targets' first: resp alone (compareDrivers=resp) or with
 * ioredis beside it (both); the steps' clients where their driver is one of them.
 */
function comparedDrivers(params: CommandLatencyParams): LoadDriver[] {
  return params.compareDrivers === 'both'
    ? [SPEED_TARGET_DRIVER, SPEED_TARGET_DRIVER === 'resp' ? 'ioredis' : 'resp']
    : [SPEED_TARGET_DRIVER];
}

/** redis-benchmark on the same server, with the compared drivers where it can; never under --shard. */
async function compareCommands(
  context: ScenarioContext,
  params: CommandLatencyParams,
  plans: readonly CommandPlan[],
  loads: CommandLoads,
  clients: readonly LoadClient[],
  out: Collected,
): Promise<void> {
  if (context.signal.aborted) return;
  if (loads.shard !== null) {
    out.notes.push(
      `redis-benchmark comparison skipped under --shard ${formatShard(loads.shard)}: a closed loop has no rate to split, and the shards' max-throughput runs and redis-benchmark runs would overlap on the server at random; compare on one machine (no --shard, --workers allowed)`,
    );
    return;
  }
  // Checked before any connection is opened (it also skips TLS targets, which resp cannot reach).
  const skip = comparisonSkipReason({
    mode: params.redisBenchmark,
    targetKind: context.target.kind,
    redisUrl: context.target.url,
  });
  if (skip !== null) {
    out.notes.push(skip);
    return;
  }
  const opened: LoadClient[][] = [];
  try {
    // The speed targets' driver runs first (redis-benchmark's -n is sized from the first driver's rate).
    const drivers = [];
    for (const driver of comparedDrivers(params)) {
      if (driver === params.driver) drivers.push({ driver, clients });
      else {
        const other = await openOtherClients(context, params, driver, out);
        opened.push(other);
        if (other.length > 0) drivers.push({ driver, clients: other });
      }
    }
    if (drivers.length === 0) return;
    const comparison = await compareWithRedisBenchmark({
      redisUrl: context.target.url,
      targetKind: context.target.kind,
      mode: params.redisBenchmark,
      // GET and MGET first: redis-benchmark's SET overwrites the keys (same length, printable bytes).
      commands: [plans[0], plans[2], plans[1]],
      drivers,
      pipelineDepth: params.pipelineDepth,
      durationMs: params.compareDurationMs,
      warmupDurationMs: params.warmupDurationMs,
      rounds: params.compareRounds,
      recorders: context.recorders,
      signal: context.signal,
      progress: context.progress,
      runMaxThroughput: loads.maxThroughputRunner(),
      maxThroughputThreads: loads.workers,
      redisCpu: loads.redisCpu,
    });
    Object.assign(out.values, comparison.values);
    out.notes.push(...comparison.notes);
  } finally {
    for (const other of opened) closeLoadClients(other);
  }
}

/**
 * Preloads the keys and opens the clients, then the claim rounds, each command's sweep and the
 * redis-benchmark comparison; the clients are closed and the keys removed however it ends.
 */
async function measure(
  context: ScenarioContext,
  params: CommandLatencyParams,
  plans: readonly CommandPlan[],
  valueBytes: number,
  out: Collected,
): Promise<ClaimOutcome> {
  let clients: LoadClient[] = [];
  try {
    context.progress(`preloading ${params.keyCount} keys of ${valueBytes} bytes`);
    await preloadCommandKeys(plans[0].spec, context.admin, context.signal);
    clients = await openClients(context.target.url, params, params.driver);
    const operations = plans.map((plan) => createCommandOperation(plan.spec, clients));
    const loads = new CommandLoads(context, params, plans, operations);
    out.notes.push(...splitNotes(loads, params));
    const claim = await claimRounds(context, params, plans, loads);
    out.notes.push(...claim.notes);
    for (let i = 0; i < plans.length && !context.signal.aborted; i++)
      await sweepCommand(context, params, plans, i, loads, out);
    await compareCommands(context, params, plans, loads, clients, out);
    return claim;
  } finally {
    closeLoadClients(clients);
    await removeCommandKeys(plans[0].spec, context.admin).catch(() => undefined);
  }
}

/** Each command's p99 at the claim rate (median of the rounds), its failures, and the stored value's size. */
function claimFigures(
  params: CommandLatencyParams,
  plans: readonly CommandPlan[],
  claim: ClaimOutcome,
  valueBytes: number,
  values: Record<string, ScenarioValue>,
): void {
  for (const plan of plans) {
    const p99s = (claim.perCommandP99Ms[plan.label] ?? []).filter(Number.isFinite);
    const metric = `claim.${rateMetricName(plan.label, params.claimRate)}`;
    const limited = limitedPhasesText(
      claim.phaseLoads.filter((p) => p.key.startsWith(`${metric}.`)),
      `${plan.label} claim phases`,
    );
    values[`claim.p99-ms.${plan.label}`] = figure(
      p99s.length > 0 ? medianOf(p99s) : null,
      'ms',
      `${plan.label} corrected p99 of every outcome at the claim rate ${rateText(params.claimRate)} ops/s, median over rounds` +
        (limited === null ? '' : `; ${limited}`),
    );
    values[`${metric}.failed`] = failedFigure(
      claim.failedPerCommand[plan.label] ?? 0,
      `${plan.label} in the claim rounds`,
      metric,
    );
  }
  for (const { phase, key, load } of claim.phaseLoads) addGeneratorLoadValues(values, key, phase, load);
  values['value-bytes'] = figure(
    valueBytes,
    'bytes',
    'size of the stored value: one Alpha158 feature vector in the service codec (json-array with its header)',
  );
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const params = resolveCommandLatencyParams(context.params.quick, context.overrides);
  const claim = claimIn(COMMAND_LATENCY_CLAIMS, CLAIM_ID);
  const value = buildBatchFeatureValues(1, context.params.seed).values[0];
  // Key choices: the run's seed, or under --shard one derived from it, so shards draw different keys.
  const plans = commandPlans(params, value.toString('base64'), loadSeed(context.params));
  const out: Collected = { values: {}, notes: [], series: {} };
  const claimOutcome = await measure(context, params, plans, value.length, out);
  claimFigures(params, plans, claimOutcome, value.length, out.values);
  const inFlight = params.connections * params.pipelineDepth;
  out.notes.unshift(
    `claim load: ${claimLoadText(params)}`,
    `latencies named <command>:<rate>-ops-s are of successes, corrected for coordinated omission (from the intended send time, as wrk2); the .uncorrected metric beside each counts from the actual send; the .all metric holds every outcome (failures and timeouts too, at their time to failure, corrected): the claim, the knee and the curves are judged on it`,
    `${params.connections} connections, at most ${params.pipelineDepth} pending per connection (in-flight bound ${inFlight}), driver ${params.driver}, auto-pipelining ${params.autoPipelining}; ${params.keyCount} keys, ${params.keyDistribution}`,
  );
  if (context.signal.aborted) out.notes.push('interrupted: the figures cover only what ran');
  return {
    values: out.values,
    trials: { [CLAIM_ID]: claimOutcome.trial },
    verdicts: [judgeClaim(claim, claimOutcome.trial, claimConditions(context, params, plans, claimOutcome))],
    parameters: {
      ...params,
      valueBytes: value.length,
      maxInFlight: inFlight,
      loadWorkers: context.params.workers,
      shard: context.params.shard === null ? null : formatShard(context.params.shard),
    },
    notes: out.notes,
    series: out.series,
  };
}

export const commandLatency: Scenario = {
  id: SCENARIO_ID,
  description:
    'GET, SET and MGET of one feature vector at fixed open-loop rates up to saturation: percentiles per rate, the knee, the P99 < 5 ms claim at the document-derived load, and redis-benchmark on the same server.',
  claims: [CLAIM_ID],
  tunables: COMMAND_LATENCY_TUNABLES,
  // --shard k/N: rate/N per machine; --workers W: each step in W threads (CommandLoads).
  splitsLoad: true,
  // Measured with Redis's start on the shared 2-core machine (docs/scenarios/command-latency.md#time).
  run,
};

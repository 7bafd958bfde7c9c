import os from 'node:os';
import type { Redis } from 'ioredis';
import { createRedisClient } from '../src/redis/client-factory.ts';
import { CLAIMS } from '../bench/analysis/claim-registry.ts';
import { formatCurve, kneeRate, saturationReason } from '../bench/analysis/latency-curve.ts';
import type { CurvePoint } from '../bench/analysis/latency-curve.ts';
import { medianOf } from '../bench/analysis/median-interval.ts';
import { judgeClaim } from '../bench/analysis/verdict.ts';
import { buildBatchFeatureValues } from '../bench/load/batch-feature-values.ts';
import { COMMAND_OPERATION_DEFAULTS, createCommandOperation, preloadCommandKeys, removeCommandKeys } from '../bench/load/command-operation.ts';
import type { CommandName, CommandOperationSpec } from '../bench/load/command-operation.ts';
import type { LoadOperation } from '../bench/load/load-operation.ts';
import type { LoadResult } from '../bench/load/load-result.ts';
import { OPEN_LOOP_DEFAULTS } from '../bench/load/open-loop-options.ts';
import { runOpenLoop } from '../bench/load/open-loop.ts';
import { compareWithRedisBenchmark } from '../bench/load/redis-benchmark-comparison.ts';
import { RecorderSet } from '../bench/measure/recorder-set.ts';
import type { ScenarioSeries } from '../bench/run/run-summary.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome, ScenarioValue } from '../bench/run/scenario.ts';
import { waitUntilReady } from '../bench/run/signal-system.ts';
import { CLAIM_RATE_REASON, COMMAND_LATENCY_TUNABLES, DEFAULT_COMMAND_LATENCY_PARAMS, resolveCommandLatencyParams, sweepRates } from './command-latency-params.ts';
import type { CommandLatencyParams } from './command-latency-params.ts';

const SCENARIO_ID = 'command-latency';
const CLAIM_ID = 'monitoring.command-p99';
const READY_TIMEOUT_MS = 10_000;
/**
 * A measurement client must not give up on a slow reply: past saturation a slow command is the
 * figure being measured, not a reason to drop it (the service's 100 ms timeout would censor the tail).
 */
const MEASUREMENT_CLIENT = { commandTimeoutMs: 10_000, connectTimeoutMs: 10_000, connectionName: 'rpb-command-latency' } as const;
/** Above the scheduled count, so the cap never ends a step early but still bounds it. */
const OPERATION_CAP_MARGIN = 1.1;

interface CommandPlan {
  readonly label: string;
  readonly spec: CommandOperationSpec;
}

const NS_PER_MS = 1e6;

function rateText(rate: number): string {
  return Number.isInteger(rate) ? String(rate) : rate.toFixed(3).replace(/\.?0+$/, '');
}

/** `GET:2000-ops-s`; the load engine's metric names allow letters, digits, '.', '_', ':' and '-' only. */
export function rateMetricName(label: string, rate: number): string {
  return `${label}:${rateText(rate)}-ops-s`;
}

function commandPlans(params: CommandLatencyParams, valueBase64: string, seed: number): CommandPlan[] {
  const spec = (command: CommandName): CommandOperationSpec => ({
    ...COMMAND_OPERATION_DEFAULTS,
    command,
    keyCount: params.keyCount,
    valueBase64,
    ttlSeconds: params.ttlSeconds,
    mgetSize: params.mgetSize,
    keyDistribution: params.keyDistribution,
    seed,
  });
  return [
    { label: 'GET', spec: spec('GET') },
    { label: 'SET', spec: spec('SET') },
    { label: `MGET${params.mgetSize}`, spec: spec('MGET') },
  ];
}

async function openClients(redisUrl: string, params: CommandLatencyParams): Promise<Redis[]> {
  const clients: Redis[] = [];
  try {
    for (let i = 0; i < params.connections; i++) {
      const client = createRedisClient(redisUrl, MEASUREMENT_CLIENT);
      clients.push(client);
      // ioredis reads this option on every command (see rtt-routes.ts): set before the first one.
      client.options.enableAutoPipelining = params.autoPipelining === 'on';
    }
    await Promise.all(clients.map((client) => waitUntilReady(client, READY_TIMEOUT_MS)));
    return clients;
  } catch (error) {
    for (const client of clients) client.disconnect();
    throw error;
  }
}

interface StepRun {
  readonly result: LoadResult;
  readonly point: CurvePoint;
}

/** One open-loop run at a fixed rate: an unrecorded warm-up (its own recorder set), then the measured run into `metric`. */
async function runStep(context: ScenarioContext, params: CommandLatencyParams, operation: LoadOperation, rate: number, durationMs: number, warmupMs: number, metric: string): Promise<StepRun> {
  const maxInFlight = params.connections * params.pipelineDepth;
  if (warmupMs > 0) {
    await runOpenLoop({ rateOpsPerSecond: rate, durationMs: warmupMs, warmupDurationMs: 0, maxInFlight, metricName: 'warmup' }, operation, new RecorderSet(), context.signal);
  }
  const maxOperations = Math.ceil((rate * durationMs * OPERATION_CAP_MARGIN) / 1_000) + 10;
  const result = await runOpenLoop({ rateOpsPerSecond: rate, durationMs, warmupDurationMs: 0, maxInFlight, maxOperations, metricName: metric }, operation, context.recorders, context.signal);
  const total = context.recorders.metric(metric).total();
  const some = total.totalCount > 0;
  const at = (percentile: number): number | null => (some ? total.getValueAtPercentile(percentile) / NS_PER_MS : null);
  const rateHeld = result.achievedRate >= (result.targetRate ?? rate) * (1 - OPEN_LOOP_DEFAULTS.behindToleranceFraction) && result.unsent === 0;
  return {
    result,
    point: { targetRate: rate, achievedRate: result.achievedRate, p50Ms: at(50), p99Ms: at(99), maxMs: at(100), rateHeld, failures: result.errors + result.timeouts + result.abandoned },
  };
}

interface SweepOutcome {
  readonly points: CurvePoint[];
  readonly notes: string[];
}

/** Rates in ascending order until a step is not held or exceeds the budget (that step is kept: it shows the curve past the knee). */
async function sweep(context: ScenarioContext, params: CommandLatencyParams, plan: CommandPlan, operation: LoadOperation): Promise<SweepOutcome> {
  const points: CurvePoint[] = [];
  const notes: string[] = [];
  let stopped = false;
  for (const { rate, adaptive } of sweepRates(params)) {
    if (context.signal.aborted) break;
    const metric = rateMetricName(plan.label, rate);
    context.progress(`${plan.label} at ${rateText(rate)} ops/s${adaptive ? ' (adaptive)' : ''} for ${params.stepDurationMs} ms`);
    const { result, point } = await runStep(context, params, operation, rate, params.stepDurationMs, params.warmupDurationMs, metric);
    points.push(point);
    for (const warning of result.warnings) notes.push(`${metric}: ${warning}`);
    const reason = saturationReason(point, params.budgetMs);
    if (reason !== null) {
      notes.push(`${plan.label}: sweep stopped at ${rateText(rate)} ops/s: ${reason}`);
      stopped = true;
      break;
    }
  }
  if (!stopped && !context.signal.aborted && points.length > 0) {
    notes.push(`${plan.label}: not saturated up to ${rateText(points[points.length - 1].targetRate)} ops/s (raise maxAdaptiveSteps or maxRate, or list higher rates, to find the limit)`);
  }
  return { points, notes };
}

interface ClaimOutcome {
  readonly trial: number[];
  readonly perCommandP99Ms: Record<string, number[]>;
  readonly notes: string[];
}

/**
 * Rounds at the claim rate; in each, every command runs for claimRoundDurationMs in turn, and the
 * round's figure is the worst of their corrected p99s: the claim is about every cache command.
 */
async function claimRounds(context: ScenarioContext, params: CommandLatencyParams, plans: readonly CommandPlan[], operations: readonly LoadOperation[]): Promise<ClaimOutcome> {
  const metrics = plans.map((plan) => `claim.${rateMetricName(plan.label, params.claimRate)}`);
  const notes: string[] = [];
  const perCommandP99Ms: Record<string, number[]> = Object.fromEntries(plans.map((plan) => [plan.label, []]));
  const trial: number[] = [];
  for (let round = 0; round < params.claimRounds && !context.signal.aborted; round++) {
    context.progress(`claim round ${round + 1}/${params.claimRounds}: ${plans.map((p) => p.label).join(', ')} at ${rateText(params.claimRate)} ops/s, ${params.claimRoundDurationMs} ms each`);
    for (let i = 0; i < plans.length && !context.signal.aborted; i++) {
      const { result } = await runStep(context, params, operations[i], params.claimRate, params.claimRoundDurationMs, round === 0 ? params.warmupDurationMs : 0, metrics[i]);
      for (const warning of result.warnings) notes.push(`${metrics[i]} round ${round + 1}: ${warning}`);
    }
    if (context.signal.aborted) break;
    context.recorders.markTrial();
    let worst = Number.NEGATIVE_INFINITY;
    plans.forEach((plan, i) => {
      const histogram = context.recorders.metric(metrics[i]).trialHistograms()[round];
      const p99Ms = histogram === undefined || histogram.totalCount === 0 ? Number.NaN : histogram.getValueAtPercentile(99) / NS_PER_MS;
      perCommandP99Ms[plan.label].push(p99Ms);
      worst = Number.isNaN(p99Ms) || Number.isNaN(worst) ? Number.NaN : Math.max(worst, p99Ms);
    });
    trial.push(worst);
  }
  return { trial, perCommandP99Ms, notes };
}

function claimLoadText(params: CommandLatencyParams): string {
  const rate = `${rateText(params.claimRate)} ops/s per command`;
  return params.claimRate === DEFAULT_COMMAND_LATENCY_PARAMS.claimRate ? `${rate} (${CLAIM_RATE_REASON})` : `${rate}, set with --set claimRate (the document-derived load is ${DEFAULT_COMMAND_LATENCY_PARAMS.claimRate}: ${CLAIM_RATE_REASON})`;
}

function claimConditions(context: ScenarioContext, params: CommandLatencyParams, plans: readonly CommandPlan[]): string {
  return [
    `${context.network}, ${context.targetKind} Redis ${context.redisVersion}, Node ${process.version}, ${os.cpus().length} CPUs (load generator and Redis share them)`,
    `open loop at ${claimLoadText(params)}`,
    `${params.connections} connections x pipeline depth ${params.pipelineDepth} (in-flight bound ${params.connections * params.pipelineDepth}), auto-pipelining ${params.autoPipelining}`,
    `figure per round: the worst corrected p99 (from the intended send time, wrk2-style) of ${plans.map((p) => p.label).join(', ')}, each run ${params.claimRoundDurationMs} ms`,
    `one encoded feature vector per key (${params.keyCount} keys, ${params.keyDistribution})`,
  ].join('; ');
}

function curveSeries(points: readonly CurvePoint[]): ScenarioSeries {
  const measured = points.filter((p) => p.p99Ms !== null);
  return { x: measured.map((p) => Math.round(p.achievedRate)), y: measured.map((p) => p.p99Ms as number), xLabel: 'achieved ops/s', yLabel: 'p99 ms (corrected)' };
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const params = resolveCommandLatencyParams(context.params.quick, context.overrides);
  const claim = CLAIMS.find((c) => c.id === CLAIM_ID);
  if (claim === undefined) throw new Error(`claim ${CLAIM_ID} is missing from the claim registry`);
  const value = buildBatchFeatureValues(1, context.params.seed).values[0];
  const plans = commandPlans(params, value.toString('base64'), context.params.seed);
  const values: Record<string, ScenarioValue> = {};
  const notes: string[] = [];
  const series: Record<string, ScenarioSeries> = {};
  const figure = (name: string, v: number | null, unit: string, description: string): void => {
    values[name] = { value: v !== null && Number.isFinite(v) ? v : null, unit, description };
  };
  let clients: Redis[] = [];
  let claimOutcome: ClaimOutcome = { trial: [], perCommandP99Ms: {}, notes: [] };
  try {
    context.progress(`preloading ${params.keyCount} keys of ${value.length} bytes`);
    await preloadCommandKeys(plans[0].spec, context.admin, context.signal);
    clients = await openClients(context.redisUrl, params);
    const operations = plans.map((plan) => createCommandOperation(plan.spec, clients));

    claimOutcome = await claimRounds(context, params, plans, operations);
    notes.push(...claimOutcome.notes);

    for (let i = 0; i < plans.length && !context.signal.aborted; i++) {
      const plan = plans[i];
      const { points, notes: sweepNotes } = await sweep(context, params, plan, operations[i]);
      notes.push(...sweepNotes, formatCurve(plan.label, points, params.budgetMs));
      const knee = kneeRate(points, params.budgetMs);
      figure(`knee-ops-per-second.${plan.label}`, knee, 'ops/s', `highest target rate of ${plan.label} whose corrected p99 stayed within ${params.budgetMs} ms (rate held, no failures); null: none did`);
      const held = points.filter((p) => p.rateHeld).map((p) => p.targetRate);
      figure(`max-held-rate-ops-per-second.${plan.label}`, held.length > 0 ? Math.max(...held) : null, 'ops/s', `highest target rate of ${plan.label} the open loop held within ${OPEN_LOOP_DEFAULTS.behindToleranceFraction * 100}%`);
      for (const point of points) {
        const metric = rateMetricName(plan.label, point.targetRate);
        figure(`${metric}.p99-ms`, point.p99Ms, 'ms', `${plan.label} corrected p99 at a target of ${rateText(point.targetRate)} ops/s`);
        figure(`${metric}.achieved-ops-per-second`, point.achievedRate, 'ops/s', `${plan.label} rate achieved for a target of ${rateText(point.targetRate)} ops/s`);
      }
      if (points.length > 0) series[`${plan.label} p99`] = curveSeries(points);
      const kneePoint = points.find((p) => p.targetRate === knee && p.p99Ms !== null);
      // The knee as a one-point series on the same axes: the chart marks it.
      if (kneePoint !== undefined) series[`${plan.label} knee`] = curveSeries([kneePoint]);
    }

    if (!context.signal.aborted) {
      const comparison = await compareWithRedisBenchmark({
        redisUrl: context.redisUrl,
        targetKind: context.targetKind,
        mode: params.redisBenchmark,
        // GET and MGET first: redis-benchmark's SET overwrites the keys (same length, printable bytes).
        commands: [plans[0], plans[2], plans[1]],
        clients,
        pipelineDepth: params.pipelineDepth,
        durationMs: params.compareDurationMs,
        warmupDurationMs: params.warmupDurationMs,
        recorders: context.recorders,
        signal: context.signal,
        progress: context.progress,
      });
      Object.assign(values, comparison.values);
      notes.push(...comparison.notes);
    }
  } finally {
    for (const client of clients) client.disconnect();
    await removeCommandKeys(plans[0].spec, context.admin).catch(() => undefined);
  }

  for (const plan of plans) {
    const p99s = (claimOutcome.perCommandP99Ms[plan.label] ?? []).filter(Number.isFinite);
    figure(`claim.p99-ms.${plan.label}`, p99s.length > 0 ? medianOf(p99s) : null, 'ms', `${plan.label} corrected p99 at the claim rate ${rateText(params.claimRate)} ops/s, median over rounds`);
  }
  figure('value-bytes', value.length, 'bytes', 'size of the stored value: one Alpha158 feature vector in the service codec (json-array with its header)');
  notes.unshift(
    `claim load: ${claimLoadText(params)}`,
    `latencies named <command>:<rate>-ops-s are corrected for coordinated omission (from the intended send time, as wrk2); the .uncorrected metric beside each counts from the actual send`,
    `${params.connections} connections, at most ${params.pipelineDepth} pending per connection (in-flight bound ${params.connections * params.pipelineDepth}), auto-pipelining ${params.autoPipelining}; ${params.keyCount} keys, ${params.keyDistribution}`,
  );
  if (context.signal.aborted) notes.push('interrupted: the figures cover only what ran');
  return {
    values,
    trials: { [CLAIM_ID]: claimOutcome.trial },
    verdicts: [judgeClaim(claim, claimOutcome.trial, claimConditions(context, params, plans))],
    parameters: { ...params, valueBytes: value.length, maxInFlight: params.connections * params.pipelineDepth },
    notes,
    series,
  };
}

export const commandLatency: Scenario = {
  id: SCENARIO_ID,
  description: 'GET, SET and MGET of one feature vector at fixed open-loop rates up to saturation: percentiles per rate, the knee, the P99 < 5 ms claim at the document-derived load, and redis-benchmark on the same server.',
  claims: [CLAIM_ID],
  tunables: COMMAND_LATENCY_TUNABLES,
  run,
};

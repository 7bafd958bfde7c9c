import os from 'node:os';
import { CLAIMS } from '../../bench/analysis/claim-registry.ts';
import { formatCurve, kneeRate, saturationReason } from '../../bench/analysis/latency-curve.ts';
import type { CurvePoint } from '../../bench/analysis/latency-curve.ts';
import { medianOf } from '../../bench/analysis/median-interval.ts';
import { judgeClaim } from '../../bench/analysis/verdict.ts';
import { buildBatchFeatureValues } from '../../bench/load/batch-feature-values.ts';
import {
  COMMAND_OPERATION_DEFAULTS,
  createCommandOperation,
  preloadCommandKeys,
  removeCommandKeys,
} from '../../bench/load/command-operation.ts';
import type { CommandName, CommandOperationSpec } from '../../bench/load/command-operation.ts';
import type { LoadOperation } from '../../bench/load/load-operation.ts';
import type { LoadResult } from '../../bench/load/load-result.ts';
import { OPEN_LOOP_DEFAULTS } from '../../bench/load/open-loop-options.ts';
import type { OpenLoopOptions } from '../../bench/load/open-loop-options.ts';
import { runOpenLoop } from '../../bench/load/open-loop.ts';
import {
  compareWithRedisBenchmark,
  comparisonSkipReason,
  SPEED_TARGET_DRIVER,
} from './redis-benchmark-comparison.ts';
import type { MaxThroughputRun } from './redis-benchmark-comparison.ts';
import { formatShard, loadSeed, shardedCount, shardedRate, workerCount } from '../../bench/load/shard.ts';
import type { ShardSpec } from '../../bench/load/shard.ts';
import { runShardedLoad } from '../../bench/load/sharded-load.ts';
import type { LoadClient, LoadDriver, WorkerClientOptions, WorkerLoad } from '../../bench/load/worker-protocol.ts';
import { closeLoadClients, openLoadClients } from '../../bench/load/load-clients.ts';
import { moveIntervals } from '../../bench/measure/move-intervals.ts';
import { RecorderSet } from '../../bench/measure/recorder-set.ts';
import type { ScenarioSeries } from '../../bench/core/run-summary.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome, ScenarioValue } from '../../bench/core/scenario.ts';
import {
  CLAIM_RATE_REASON,
  COMMAND_LATENCY_TUNABLES,
  DEFAULT_COMMAND_LATENCY_PARAMS,
  resolveCommandLatencyParams,
  sweepRates,
} from './command-latency-params.ts';
import type { CommandLatencyParams } from './command-latency-params.ts';

const SCENARIO_ID = 'command-latency';
const CLAIM_ID = 'monitoring.command-p99';
/**
 * A measurement client must not give up on a slow reply: past saturation a slow command is the
 * figure being measured, not a reason to drop it (the service's 100 ms timeout would censor the tail).
 */
const MEASUREMENT_CLIENT = {
  commandTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
  connectionName: 'rpb-command-latency',
} as const;
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

/** How the load's clients connect: `connections` of them with `driver` (in one thread, or in each worker thread). */
function loadClientOptions(params: CommandLatencyParams, driver: LoadDriver, connections: number): WorkerClientOptions {
  return {
    connectionsPerWorker: connections,
    commandTimeoutMs: MEASUREMENT_CLIENT.commandTimeoutMs,
    connectTimeoutMs: MEASUREMENT_CLIENT.connectTimeoutMs,
    autoPipelining: params.autoPipelining === 'on',
    connectionName: MEASUREMENT_CLIENT.connectionName,
    driver,
    batchWrites: params.pipelineDepth > 1,
  };
}

/** The scenario's own `connections` connections with `driver`, in this thread (the load engine's opener, as a worker's). */
function openClients(redisUrl: string, params: CommandLatencyParams, driver: LoadDriver): Promise<LoadClient[]> {
  return openLoadClients(redisUrl, loadClientOptions(params, driver, params.connections), {
    workerIndex: 0,
    workerCount: 1,
  });
}

const COMMAND_OPERATION_MODULE = new URL('../../bench/load/command-operation.ts', import.meta.url);

/**
 * Where the load runs: `--shard k/N` gives this machine rate/N of every open-loop step (and 1/N of
 * its operation cap); `--workers W` runs each step in W threads with their own connections
 * (runShardedLoad: histograms merged exactly). With one worker every step runs here, on the
 * scenario's own clients, as runOpenLoop always did.
 */
class CommandLoads {
  readonly shard: ShardSpec | null;
  readonly workers: number;

  constructor(
    private readonly context: ScenarioContext,
    private readonly params: CommandLatencyParams,
    private readonly plans: readonly CommandPlan[],
    private readonly operations: readonly LoadOperation[],
  ) {
    this.shard = context.params.shard ?? null;
    this.workers = workerCount(context.params);
  }

  get pooled(): boolean {
    return this.workers > 1;
  }

  /** Each thread's connections: together at least `connections`, so each worker's in-flight share (ceil(C x D / W)) keeps <= D per connection. */
  get connectionsPerWorker(): number {
    return Math.ceil(this.params.connections / this.workers);
  }

  private client(driver: LoadDriver): WorkerClientOptions {
    return loadClientOptions(this.params, driver, this.connectionsPerWorker);
  }

  /** W threads of `load` (the whole machine's, before the shard split) into a scratch set, then moved into the scenario's recorders. */
  private async runPooled(
    spec: CommandOperationSpec,
    load: WorkerLoad,
    driver: LoadDriver = this.params.driver,
  ): Promise<LoadResult> {
    const scratch = new RecorderSet();
    const result = await runShardedLoad(
      {
        redisUrl: this.context.redisUrl,
        factory: { module: COMMAND_OPERATION_MODULE, exportName: 'commandOperationFactory', args: spec },
        load,
        client: this.client(driver),
      },
      this.context.params,
      scratch,
      this.context.signal,
    );
    moveIntervals(scratch, this.context.recorders);
    return result;
  }

  /**
   * One open-loop step of plan `index` at the whole load's `options.rateOpsPerSecond`: an
   * unrecorded warm-up of warmupMs, then the measured run into `options.metricName`.
   */
  async openLoop(
    index: number,
    options: OpenLoopOptions & { readonly rateOpsPerSecond: number },
    warmupMs: number,
  ): Promise<LoadResult> {
    if (this.pooled) {
      // Every pooled step starts fresh threads (cold JIT, new connections): each gets the warm-up, not only the first round's.
      const warmupDurationMs = Math.max(warmupMs, this.params.warmupDurationMs);
      return this.runPooled(this.plans[index].spec, { kind: 'open-loop', options: { ...options, warmupDurationMs } });
    }
    const rate = shardedRate(options.rateOpsPerSecond, this.context.params);
    const operation = this.operations[index];
    if (warmupMs > 0) {
      await runOpenLoop(
        {
          rateOpsPerSecond: rate,
          durationMs: warmupMs,
          warmupDurationMs: 0,
          maxInFlight: options.maxInFlight,
          metricName: 'warmup',
        },
        operation,
        new RecorderSet(),
        this.context.signal,
      );
    }
    const maxOperations =
      options.maxOperations === undefined ? undefined : shardedCount(options.maxOperations, this.context.params);
    return runOpenLoop(
      { ...options, rateOpsPerSecond: rate, warmupDurationMs: 0, maxOperations },
      operation,
      this.context.recorders,
      this.context.signal,
    );
  }

  /**
   * The comparison's max-throughput closed loop in W threads; null when it stays in this thread
   * (one worker, or fewer concurrent commands than threads).
   */
  maxThroughputRunner(): ((run: MaxThroughputRun) => Promise<LoadResult>) | undefined {
    if (!this.pooled || this.params.connections * this.params.pipelineDepth < this.workers) return undefined;
    return (run) =>
      this.runPooled(
        run.spec,
        {
          kind: 'closed-loop',
          options: {
            workers: run.concurrency,
            durationMs: run.durationMs,
            warmupDurationMs: run.warmupDurationMs,
            metricName: run.metricName,
          },
        },
        run.driver,
      );
  }
}

interface StepRun {
  readonly result: LoadResult;
  readonly point: CurvePoint;
}

/**
 * One open-loop run of plan `index` at a fixed rate (the whole load's: a shard runs its part):
 * an unrecorded warm-up, then the measured run into `metric`.
 */
async function runStep(
  context: ScenarioContext,
  params: CommandLatencyParams,
  loads: CommandLoads,
  index: number,
  rate: number,
  durationMs: number,
  warmupMs: number,
  metric: string,
): Promise<StepRun> {
  const maxInFlight = params.connections * params.pipelineDepth;
  const maxOperations = Math.ceil((rate * durationMs * OPERATION_CAP_MARGIN) / 1_000) + 10;
  const result = await loads.openLoop(
    index,
    { rateOpsPerSecond: rate, durationMs, maxInFlight, maxOperations, metricName: metric },
    warmupMs,
  );
  const total = context.recorders.metric(metric).total();
  const some = total.totalCount > 0;
  const at = (percentile: number): number | null => (some ? total.getValueAtPercentile(percentile) / NS_PER_MS : null);
  const rateHeld =
    result.achievedRate >= (result.targetRate ?? rate) * (1 - OPEN_LOOP_DEFAULTS.behindToleranceFraction) &&
    result.unsent === 0;
  return {
    result,
    point: {
      targetRate: rate,
      achievedRate: result.achievedRate,
      p50Ms: at(50),
      p99Ms: at(99),
      maxMs: at(100),
      rateHeld,
      failures: result.errors + result.timeouts + result.abandoned,
      unsent: result.unsent,
    },
  };
}

interface SweepOutcome {
  readonly points: CurvePoint[];
  readonly notes: string[];
}

/**
 * Rates in ascending order until a step is not held or exceeds the budget (that step is kept: it
 * shows the curve past the knee). With --shard every step runs: a shard cannot see the others'
 * saturation, and the merge needs the same steps from every shard.
 */
async function sweep(
  context: ScenarioContext,
  params: CommandLatencyParams,
  plans: readonly CommandPlan[],
  index: number,
  loads: CommandLoads,
): Promise<SweepOutcome> {
  const plan = plans[index];
  const points: CurvePoint[] = [];
  const notes: string[] = [];
  let saturated = false;
  for (const { rate, adaptive } of sweepRates(params)) {
    if (context.signal.aborted) break;
    const metric = rateMetricName(plan.label, rate);
    context.progress(
      `${plan.label} at ${rateText(rate)} ops/s${adaptive ? ' (adaptive)' : ''} for ${params.stepDurationMs} ms`,
    );
    const { result, point } = await runStep(
      context,
      params,
      loads,
      index,
      rate,
      params.stepDurationMs,
      params.warmupDurationMs,
      metric,
    );
    points.push(point);
    for (const warning of result.warnings) notes.push(`${metric}: ${warning}`);
    if (loads.shard !== null) {
      // This shard's own part: achieved against its own target (rate / N).
      const reason = saturationReason({ ...point, targetRate: result.targetRate ?? point.targetRate }, params.budgetMs);
      if (reason !== null)
        notes.push(
          `${plan.label} at ${rateText(rate)} ops/s (this shard ${formatShard(loads.shard)}: ${rateText(shardedRate(rate, context.params))} ops/s): ${reason}; the sweep goes on (every shard runs every step, so the merge has all of them)`,
        );
      saturated ||= reason !== null;
      continue;
    }
    const reason = saturationReason(point, params.budgetMs);
    if (reason !== null) {
      notes.push(`${plan.label}: sweep stopped at ${rateText(rate)} ops/s: ${reason}`);
      saturated = true;
      break;
    }
  }
  if (!saturated && !context.signal.aborted && points.length > 0) {
    notes.push(
      `${plan.label}: not saturated up to ${rateText(points[points.length - 1].targetRate)} ops/s (raise maxAdaptiveSteps or maxRate, or list higher rates, to find the limit)`,
    );
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
async function claimRounds(
  context: ScenarioContext,
  params: CommandLatencyParams,
  plans: readonly CommandPlan[],
  loads: CommandLoads,
): Promise<ClaimOutcome> {
  const metrics = plans.map((plan) => `claim.${rateMetricName(plan.label, params.claimRate)}`);
  const notes: string[] = [];
  const perCommandP99Ms: Record<string, number[]> = Object.fromEntries(plans.map((plan) => [plan.label, []]));
  const trial: number[] = [];
  for (let round = 0; round < params.claimRounds && !context.signal.aborted; round++) {
    context.progress(
      `claim round ${round + 1}/${params.claimRounds}: ${plans.map((p) => p.label).join(', ')} at ${rateText(params.claimRate)} ops/s, ${params.claimRoundDurationMs} ms each`,
    );
    for (let i = 0; i < plans.length && !context.signal.aborted; i++) {
      const { result } = await runStep(
        context,
        params,
        loads,
        i,
        params.claimRate,
        params.claimRoundDurationMs,
        round === 0 ? params.warmupDurationMs : 0,
        metrics[i],
      );
      for (const warning of result.warnings) notes.push(`${metrics[i]} round ${round + 1}: ${warning}`);
    }
    if (context.signal.aborted) break;
    context.recorders.markTrial();
    let worst = Number.NEGATIVE_INFINITY;
    plans.forEach((plan, i) => {
      const histogram = context.recorders.metric(metrics[i]).trialHistograms()[round];
      const p99Ms =
        histogram === undefined || histogram.totalCount === 0
          ? Number.NaN
          : histogram.getValueAtPercentile(99) / NS_PER_MS;
      perCommandP99Ms[plan.label].push(p99Ms);
      worst = Number.isNaN(p99Ms) || Number.isNaN(worst) ? Number.NaN : Math.max(worst, p99Ms);
    });
    trial.push(worst);
  }
  return { trial, perCommandP99Ms, notes };
}

function claimLoadText(params: CommandLatencyParams): string {
  const rate = `${rateText(params.claimRate)} ops/s per command`;
  return params.claimRate === DEFAULT_COMMAND_LATENCY_PARAMS.claimRate
    ? `${rate} (${CLAIM_RATE_REASON})`
    : `${rate}, set with --set claimRate (the document-derived load is ${DEFAULT_COMMAND_LATENCY_PARAMS.claimRate}: ${CLAIM_RATE_REASON})`;
}

function claimConditions(
  context: ScenarioContext,
  params: CommandLatencyParams,
  plans: readonly CommandPlan[],
): string {
  const shard = context.params.shard ?? null;
  const workers = workerCount(context.params);
  return [
    ...(shard === null
      ? []
      : [
          `shard ${formatShard(shard)} only: this machine sent ${rateText(shardedRate(params.claimRate, context.params))} ops/s per command of the claim load; judge the combined load on the merged run`,
        ]),
    ...(workers > 1 ? [`load in ${workers} worker threads, histograms merged exactly`] : []),
    `${context.network}, ${context.targetKind} Redis ${context.redisVersion}, Node ${process.version}, ${os.cpus().length} CPUs (load generator and Redis share them)`,
    `open loop at ${claimLoadText(params)}`,
    `${params.connections} connections x pipeline depth ${params.pipelineDepth} (in-flight bound ${params.connections * params.pipelineDepth}), driver ${params.driver}, auto-pipelining ${params.autoPipelining}`,
    `figure per round: the worst corrected p99 (from the intended send time, wrk2-style) of ${plans.map((p) => p.label).join(', ')}, each run ${params.claimRoundDurationMs} ms`,
    `one encoded feature vector per key (${params.keyCount} keys, ${params.keyDistribution})`,
  ].join('; ');
}

/** What --shard and --workers changed, and how to read the figures then. */
function splitNotes(loads: CommandLoads, params: CommandLatencyParams): string[] {
  const notes: string[] = [];
  const inFlight = params.connections * params.pipelineDepth;
  if (loads.shard !== null) {
    const n = loads.shard.count;
    notes.push(
      `shard ${formatShard(loads.shard)}: this machine ran 1/${n} of every open-loop rate (metric names and rates in figures are the whole load's; the achieved rates are this shard's own part), with its own ${params.connections} connections and in-flight bound ${inFlight}. ` +
        `The knee and the P99 < ${params.budgetMs} ms claim are about the combined load: read them on the merged run (\`rpb merge\` of all ${n} shard folders: the p99 of <command>:<rate>-ops-s and claim.<command>:<rate>-ops-s). This shard's knee, curve and verdict judge only its own part`,
    );
  }
  if (loads.pooled) {
    const perWorker = loads.connectionsPerWorker;
    const total = perWorker * loads.workers;
    notes.push(
      `--workers ${loads.workers}: every step ran in ${loads.workers} worker threads started for it (each step, claim rounds included, after its own ${params.warmupDurationMs} ms warm-up), each with ${perWorker} connection${perWorker > 1 ? 's' : ''}, 1/${loads.workers} of the rate and of the in-flight bound (rounded up), histograms merged count for count` +
        (total !== params.connections
          ? ` (${total} connections in all: ceil(${params.connections}/${loads.workers}) per thread)`
          : '') +
        `; the max-throughput closed loop of the redis-benchmark comparison ${loads.maxThroughputRunner() === undefined ? `ran in this thread (${inFlight} concurrent commands, fewer than ${loads.workers} threads)` : `ran in the ${loads.workers} threads too, and redis-benchmark with --threads ${loads.workers}`}; the one-connection GET run stays in this thread`,
    );
  }
  return notes;
}

function curveSeries(points: readonly CurvePoint[]): ScenarioSeries {
  const measured = points.filter((p) => p.p99Ms !== null);
  return {
    x: measured.map((p) => Math.round(p.achievedRate)),
    y: measured.map((p) => p.p99Ms as number),
    xLabel: 'achieved ops/s',
    yLabel: 'p99 ms (corrected)',
  };
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const params = resolveCommandLatencyParams(context.params.quick, context.overrides);
  const claim = CLAIMS.find((c) => c.id === CLAIM_ID);
  if (claim === undefined) throw new Error(`claim ${CLAIM_ID} is missing from the claim registry`);
  const value = buildBatchFeatureValues(1, context.params.seed).values[0];
  // Key choices: the run's seed, or under --shard one derived from it, so shards draw different keys.
  const plans = commandPlans(params, value.toString('base64'), loadSeed(context.params));
  const values: Record<string, ScenarioValue> = {};
  const notes: string[] = [];
  const series: Record<string, ScenarioSeries> = {};
  const figure = (name: string, v: number | null, unit: string, description: string): void => {
    values[name] = { value: v !== null && Number.isFinite(v) ? v : null, unit, description };
  };
  let clients: LoadClient[] = [];
  // The comparison's connections of the driver the steps did not use.
  let otherClients: LoadClient[] = [];
  let claimOutcome: ClaimOutcome = { trial: [], perCommandP99Ms: {}, notes: [] };
  try {
    context.progress(`preloading ${params.keyCount} keys of ${value.length} bytes`);
    await preloadCommandKeys(plans[0].spec, context.admin, context.signal);
    clients = await openClients(context.redisUrl, params, params.driver);
    const operations = plans.map((plan) => createCommandOperation(plan.spec, clients));
    const loads = new CommandLoads(context, params, plans, operations);
    notes.push(...splitNotes(loads, params));

    claimOutcome = await claimRounds(context, params, plans, loads);
    notes.push(...claimOutcome.notes);

    for (let i = 0; i < plans.length && !context.signal.aborted; i++) {
      const plan = plans[i];
      const { points, notes: sweepNotes } = await sweep(context, params, plans, i, loads);
      notes.push(...sweepNotes, formatCurve(plan.label, points, params.budgetMs));
      const knee = kneeRate(points, params.budgetMs);
      figure(
        `knee-ops-per-second.${plan.label}`,
        knee,
        'ops/s',
        `highest target rate of ${plan.label} whose corrected p99 stayed within ${params.budgetMs} ms (rate held, no failures); null: none did`,
      );
      const held = points.filter((p) => p.rateHeld).map((p) => p.targetRate);
      figure(
        `max-held-rate-ops-per-second.${plan.label}`,
        held.length > 0 ? Math.max(...held) : null,
        'ops/s',
        `highest target rate of ${plan.label} the open loop held within ${OPEN_LOOP_DEFAULTS.behindToleranceFraction * 100}%`,
      );
      for (const point of points) {
        const metric = rateMetricName(plan.label, point.targetRate);
        figure(
          `${metric}.p99-ms`,
          point.p99Ms,
          'ms',
          `${plan.label} corrected p99 at a target of ${rateText(point.targetRate)} ops/s`,
        );
        const part =
          context.params.shard == null
            ? ''
            : ` (by this shard, whose part was ${rateText(shardedRate(point.targetRate, context.params))} ops/s)`;
        figure(
          `${metric}.achieved-ops-per-second`,
          point.achievedRate,
          'ops/s',
          `${plan.label} rate achieved for a target of ${rateText(point.targetRate)} ops/s${part}`,
        );
      }
      if (points.length > 0) series[`${plan.label} p99`] = curveSeries(points);
      const kneePoint = points.find((p) => p.targetRate === knee && p.p99Ms !== null);
      // The knee as a one-point series on the same axes: the chart marks it.
      if (kneePoint !== undefined) series[`${plan.label} knee`] = curveSeries([kneePoint]);
    }

    if (!context.signal.aborted && loads.shard !== null) {
      notes.push(
        `redis-benchmark comparison skipped under --shard ${formatShard(loads.shard)}: a closed loop has no rate to split, and the shards' max-throughput runs and redis-benchmark runs would overlap on the server at random; compare on one machine (no --shard, --workers allowed)`,
      );
    } else if (!context.signal.aborted) {
      const other: LoadDriver = params.driver === 'resp' ? 'ioredis' : 'resp';
      // Only when the comparison will run (it also skips TLS targets, which resp cannot reach).
      if (
        comparisonSkipReason({
          mode: params.redisBenchmark,
          targetKind: context.targetKind,
          redisUrl: context.redisUrl,
        }) === null
      ) {
        try {
          otherClients = await openClients(context.redisUrl, params, other);
        } catch (error) {
          if (context.signal.aborted) throw error;
          // What was measured so far stays; the comparison runs with the steps' driver alone.
          notes.push(
            `the ${other} driver's ${params.connections} connections for the redis-benchmark comparison could not be opened (${error instanceof Error ? error.message : String(error)}): compared with driver ${params.driver} only`,
          );
        }
      }
      // The speed targets' driver runs first (redis-benchmark's -n is sized from the first driver's rate).
      const drivers = [
        { driver: params.driver, clients },
        { driver: other, clients: otherClients },
      ].filter((d) => d.clients.length > 0);
      if (drivers[0].driver !== SPEED_TARGET_DRIVER) drivers.reverse();
      const comparison = await compareWithRedisBenchmark({
        redisUrl: context.redisUrl,
        targetKind: context.targetKind,
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
      });
      Object.assign(values, comparison.values);
      notes.push(...comparison.notes);
    }
  } finally {
    closeLoadClients([...clients, ...otherClients]);
    await removeCommandKeys(plans[0].spec, context.admin).catch(() => undefined);
  }

  for (const plan of plans) {
    const p99s = (claimOutcome.perCommandP99Ms[plan.label] ?? []).filter(Number.isFinite);
    figure(
      `claim.p99-ms.${plan.label}`,
      p99s.length > 0 ? medianOf(p99s) : null,
      'ms',
      `${plan.label} corrected p99 at the claim rate ${rateText(params.claimRate)} ops/s, median over rounds`,
    );
  }
  figure(
    'value-bytes',
    value.length,
    'bytes',
    'size of the stored value: one Alpha158 feature vector in the service codec (json-array with its header)',
  );
  notes.unshift(
    `claim load: ${claimLoadText(params)}`,
    `latencies named <command>:<rate>-ops-s are corrected for coordinated omission (from the intended send time, as wrk2); the .uncorrected metric beside each counts from the actual send`,
    `${params.connections} connections, at most ${params.pipelineDepth} pending per connection (in-flight bound ${params.connections * params.pipelineDepth}), driver ${params.driver}, auto-pipelining ${params.autoPipelining}; ${params.keyCount} keys, ${params.keyDistribution}`,
  );
  if (context.signal.aborted) notes.push('interrupted: the figures cover only what ran');
  return {
    values,
    trials: { [CLAIM_ID]: claimOutcome.trial },
    verdicts: [judgeClaim(claim, claimOutcome.trial, claimConditions(context, params, plans))],
    parameters: {
      ...params,
      valueBytes: value.length,
      maxInFlight: params.connections * params.pipelineDepth,
      loadWorkers: workerCount(context.params),
      shard: context.params.shard == null ? null : formatShard(context.params.shard),
    },
    notes,
    series,
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
  run,
};

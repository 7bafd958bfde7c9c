import os from 'node:os';
import { CLAIMS } from '../../bench/analysis/claim-registry.ts';
import { notMeasuredVerdict } from '../../bench/analysis/claim-coverage.ts';
import { medianOf } from '../../bench/analysis/median-interval.ts';
import {
  batchMetricName,
  roundSpeedups,
  rttLabel,
  speedupValueName,
  trialsByName,
} from './pipelining-figures.ts';
import type { PipeliningGrid } from './pipelining-figures.ts';
import { formatFigure, judgeClaim } from '../../bench/analysis/verdict.ts';
import { BATCH_FETCH_MODES } from './batch-fetch.ts';
import {
  buildBatchFeatureValues,
  removeBatchFeatureValues,
  storeBatchFeatureValues,
} from '../../bench/load/batch-feature-values.ts';
import { PipeliningProbe } from './pipelining-probe.ts';
import { openRttRoutes } from './rtt-routes.ts';
import type { RttRoutes } from './rtt-routes.ts';
import { TimeBalancedSchedule } from './time-balanced-schedule.ts';
import { elapsedNs, nowNs } from '../../bench/measure/clock.ts';
import { MeasuredRounds } from '../../bench/run/measured-rounds.ts';
import type { RoundPlan } from '../../bench/run/round-runner.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome, ScenarioValue } from '../../bench/core/scenario.ts';
import type { TunableSpec } from '../../bench/core/tunables.ts';

const SCENARIO_ID = 'pipelining';
const CLAIM_ID = 'optimization.pipeline-5-gets';
/** The document's example: 5 symbols, "5 × 1ms = 5ms" one by one, "1ms total" pipelined. */
const CLAIM_BATCH = 5;
const DOCUMENT_SEQUENTIAL_MS = 5;
const DOCUMENT_PIPELINED_MS = 1;
const NS_PER_MS = 1e6;

/**
 * An iteration of the round runner is one visit of one cell (batch size x added round trip), which
 * times the four fetch modes once each. The per-round counts below are per cell.
 */
export interface PipeliningParams extends RoundPlan {
  readonly batchSizes: readonly number[];
  /** Added round trips in ms; 0 is the direct connection, the others go through the fault proxy. */
  readonly addedRttsMs: readonly number[];
  /** TTL of the keys written, so that a Redis given by URL does not keep them if the run dies. */
  readonly ttlSeconds: number;
}

export const DEFAULT_PIPELINING_PARAMS: PipeliningParams = {
  rounds: 7,
  // 500 GETs one by one at +2 ms (and at +0.5 ms) take over a second per visit: the two visits each
  // such cell is owed take ~7 s of a round, and the cheap cells share the rest.
  roundDurationMs: 10_000,
  minIterationsPerRound: 2,
  maxIterationsPerRound: 20_000,
  warmupDurationMs: 1_000,
  warmupIterations: 1,
  batchSizes: [1, 5, 10, 50, 100, 500],
  addedRttsMs: [0, 0.5, 2],
  ttlSeconds: 3_600,
};

/** --quick: 3 rounds (the fewest that give a verdict), three batch sizes, no added RTT and 2 ms. */
export const QUICK_PIPELINING_PARAMS: PipeliningParams = {
  ...DEFAULT_PIPELINING_PARAMS,
  rounds: 3,
  roundDurationMs: 1_000,
  warmupDurationMs: 200,
  batchSizes: [1, 5, 50],
  addedRttsMs: [0, 2],
};

/** What `--set` may change. */
export const PIPELINING_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  rounds: { kind: 'integer', min: 3, max: 1_000, description: 'rounds (trials behind every verdict)' },
  roundDurationMs: {
    kind: 'integer',
    min: 50,
    max: 600_000,
    description: 'length of one round, shared equally in time by every batch size x round trip',
  },
  minIterationsPerRound: {
    kind: 'integer',
    min: 1,
    max: 100_000,
    description: 'visits of every batch size x round trip per round at least (each visit times the four modes once)',
  },
  warmupDurationMs: { kind: 'integer', min: 0, max: 600_000, description: 'warm-up before the first round' },
};

function rttText(addedRttMs: number): string {
  return addedRttMs === 0
    ? 'no added round trip (direct connection)'
    : `+${rttLabel(addedRttMs)} per round trip (fault proxy, half each way)`;
}

function p50OfTrial(context: ScenarioContext, round: number): (metric: string) => number | undefined {
  const names = new Set(context.recorders.names());
  return (metric) => {
    if (!names.has(metric)) return undefined;
    const histogram = context.recorders.metric(metric).trialHistograms()[round];
    return histogram === undefined || histogram.totalCount === 0 ? undefined : histogram.getValueAtPercentile(50);
  };
}

function wholeRunP50Ms(context: ScenarioContext, metric: string): number {
  if (!context.recorders.names().includes(metric)) return Number.NaN;
  const total = context.recorders.metric(metric).total();
  return total.totalCount === 0 ? Number.NaN : total.getValueAtPercentile(50) / NS_PER_MS;
}

function speedupValues(
  grid: PipeliningGrid,
  trials: Readonly<Record<string, readonly number[]>>,
): Record<string, ScenarioValue> {
  const values: Record<string, ScenarioValue> = {};
  for (const addedRttMs of grid.addedRttsMs) {
    for (const batch of grid.batchSizes) {
      const name = speedupValueName(batch, addedRttMs);
      const finite = (trials[name] ?? []).filter(Number.isFinite);
      values[name] = {
        value: finite.length > 0 ? medianOf(finite) : null,
        unit: 'x',
        description: `sequential p50 / pipeline p50 of ${batch} GETs, ${rttText(addedRttMs)}; median of the per-round ratios`,
      };
    }
  }
  return values;
}

/** The per-cell p50s of the whole run, and the absolute figures the document quotes beside ours. */
function figureNotes(context: ScenarioContext, grid: PipeliningGrid): string[] {
  const ms = (value: number): string => (Number.isFinite(value) ? formatFigure(value, 'ms') : 'n/a');
  const notes: string[] = [];
  for (const addedRttMs of grid.addedRttsMs) {
    for (const batch of grid.batchSizes) {
      const modes = BATCH_FETCH_MODES.map(
        (mode) => `${mode} ${ms(wholeRunP50Ms(context, batchMetricName(mode, batch, addedRttMs)))}`,
      );
      notes.push(`batch ${batch}, ${rttText(addedRttMs)}: p50 ${modes.join(', ')}`);
    }
    if (addedRttMs > 0 && grid.addedRttsMs.includes(0) && grid.batchSizes.includes(1)) {
      const added =
        wholeRunP50Ms(context, batchMetricName('sequential', 1, addedRttMs)) -
        wholeRunP50Ms(context, batchMetricName('sequential', 1, 0));
      notes.push(
        `added round trip +${rttLabel(addedRttMs)} nominal: one GET through the proxy takes ${ms(added)} longer than direct (p50; the proxy's own hop and its timer resolution included)`,
      );
    }
  }
  if (grid.batchSizes.includes(CLAIM_BATCH)) {
    for (const addedRttMs of grid.addedRttsMs) {
      const sequential = wholeRunP50Ms(context, batchMetricName('sequential', CLAIM_BATCH, addedRttMs));
      const pipeline = wholeRunP50Ms(context, batchMetricName('pipeline', CLAIM_BATCH, addedRttMs));
      notes.push(
        `document: 5 GETs one by one "5ms", pipelined "1ms total"; measured with ${rttText(addedRttMs)}: ${ms(sequential)} and ${ms(pipeline)} (p50; document figures ${DOCUMENT_SEQUENTIAL_MS} ms and ${DOCUMENT_PIPELINED_MS} ms)`,
      );
    }
  }
  return notes;
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const { params: runParams, recorders, progress } = context;
  const params: PipeliningParams = {
    ...(runParams.quick ? QUICK_PIPELINING_PARAMS : DEFAULT_PIPELINING_PARAMS),
    ...context.overrides,
  };
  const claim = CLAIMS.find((c) => c.id === CLAIM_ID);
  if (claim === undefined) throw new Error(`claim ${CLAIM_ID} is missing from the claim registry`);
  const grid: PipeliningGrid = { batchSizes: params.batchSizes, addedRttsMs: params.addedRttsMs };
  const values = buildBatchFeatureValues(Math.max(...params.batchSizes), runParams.seed);
  const valueBytes = medianOf(values.values.map((v) => v.length));
  await storeBatchFeatureValues(context.admin, values, params.ttlSeconds);
  let routes: RttRoutes | null = null;
  try {
    routes = await openRttRoutes(context.redisUrl, params.addedRttsMs);
    const probe = new PipeliningProbe(routes.routes, params.batchSizes, values);
    const cells = probe.cells.length;
    const schedule = new TimeBalancedSchedule(cells);
    // The round runner counts visits of any cell; the schedule owes every cell its minimum first.
    const plan: RoundPlan = {
      ...params,
      minIterationsPerRound: params.minIterationsPerRound * cells,
      maxIterationsPerRound: params.maxIterationsPerRound * cells,
      warmupIterations: params.warmupIterations * cells,
    };
    const measured = new MeasuredRounds(context, SCENARIO_ID, plan, 'cell visits');
    let phaseRound: number | null = null;
    let phaseStart = nowNs();
    let phaseNs = 0;
    const visitsPerRound: string[] = [];
    const sink = {
      latency(metric: string, ns: number) {
        if (measured.measuring) recorders.metric(metric).recordNs(ns);
      },
    };
    progress(
      `${values.keys.length} keys of ${valueBytes} bytes; ${cells} cells (batch sizes ${params.batchSizes.join(', ')} x added RTT ${params.addedRttsMs.map(rttLabel).join(', ')}); warm-up ${params.warmupDurationMs} ms, then ${params.rounds} rounds of ${params.roundDurationMs} ms`,
    );
    const result = await measured.run({
      iterate: async (round) => {
        if (round !== phaseRound) {
          phaseRound = round;
          phaseStart = nowNs();
          phaseNs = (round < 0 ? params.warmupDurationMs : params.roundDurationMs) * NS_PER_MS;
          schedule.startPhase(round < 0 ? params.warmupIterations : params.minIterationsPerRound);
        }
        const cell = schedule.next(phaseNs - elapsedNs(phaseStart));
        const start = nowNs();
        await probe.visit(cell, sink, context.signal);
        schedule.record(cell, elapsedNs(start));
      },
      onRoundDone: () => {
        visitsPerRound.push(schedule.visits().join('/'));
      },
    });

    const rounds = result.iterationsPerRound.map((_, round) => roundSpeedups(p50OfTrial(context, round), grid));
    const speedupTrials = trialsByName(rounds);
    const claimFigure = speedupValueName(CLAIM_BATCH, 0);
    const conditions = [
      `${context.network}, no round trip added by this scenario (its direct variant)`,
      `${context.targetKind} Redis ${context.redisVersion}`,
      `Node ${process.version}, ${os.cpus().length} CPUs, ioredis client with the service's options`,
      `${CLAIM_BATCH} GETs of one Alpha158 vector each (158 floats, json-array codec, ${valueBytes} bytes per value); sequential awaits vs one pipeline; ratio of per-round p50s`,
    ].join('; ');
    const verdict =
      speedupTrials[claimFigure] === undefined
        ? notMeasuredVerdict(claim, `batch ${CLAIM_BATCH} with no added round trip was not part of this run`)
        : judgeClaim(claim, speedupTrials[claimFigure], conditions);
    const notes = [
      `metric names: <mode>[batch=<n>] with no added round trip, <mode>[batch=<n>,rtt=<r>ms] through the fault proxy; modes: ${BATCH_FETCH_MODES.join(', ')}; only the fetch is timed (no decode), every value is checked afterwards`,
      `each round shares its time equally among the cells, after at least ${params.minIterationsPerRound} visit(s) of each; visits per cell and round (cell order: ${probe.cells.map((c) => `${c.batch}@${rttLabel(c.addedRttMs)}`).join(', ')}): ${visitsPerRound.join('; ')}`,
      `${result.warmupIterations} warm-up visits excluded`,
      ...figureNotes(context, grid),
    ];
    if (result.interrupted)
      notes.push(
        'interrupted: fewer rounds than planned; the unfinished round is in the histograms but is not a trial',
      );
    return {
      values: speedupValues(grid, speedupTrials),
      trials: { [CLAIM_ID]: speedupTrials[claimFigure] ?? [], ...speedupTrials },
      verdicts: [verdict],
      parameters: { ...params, keys: values.keys.length, valueBytes },
      notes,
    };
  } finally {
    await routes?.close();
    // Best effort: Redis may be gone (the keys then expire on their TTL); the run's own error matters more.
    await removeBatchFeatureValues(context.admin, values).catch(() => undefined);
  }
}

export const pipelining: Scenario = {
  id: SCENARIO_ID,
  description:
    'Fetching 1 to 500 feature values: sequential GETs vs one pipeline vs MGET vs auto-pipelining, direct and with 0.5 / 2 ms added round trips.',
  claims: [CLAIM_ID],
  tunables: PIPELINING_TUNABLES,
  run,
};

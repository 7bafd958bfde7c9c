import { claimIn, environmentConditions, figure, percentileMs } from '../../bench/run/scenario-kit.ts';
import { PIPELINING_CLAIMS } from './claims.ts';
import { notMeasuredVerdict } from '../../bench/analysis/claim-coverage.ts';
import { medianOf } from '../../bench/analysis/median-interval.ts';
import { batchMetricName, roundSpeedups, rttLabel, speedupValueName, trialsByName } from './pipelining-figures.ts';
import type { PipeliningGrid } from './pipelining-figures.ts';
import { formatFigure, judgeClaim } from '../../bench/analysis/verdict.ts';
import { BATCH_FETCH_MODES } from './batch-fetch.ts';
import {
  buildBatchFeatureValues,
  removeBatchFeatureValues,
  storeBatchFeatureValues,
} from '../../bench/load/batch-feature-values.ts';
import type { BatchFeatureValues } from '../../bench/load/batch-feature-values.ts';
import { PipeliningProbe } from './pipelining-probe.ts';
import { openRttRoutes } from './rtt-routes.ts';
import type { RttRoutes } from './rtt-routes.ts';
import { TimeBalancedSchedule } from './time-balanced-schedule.ts';
import { elapsedNs, nowNs } from '../../bench/measure/clock.ts';
import { MeasuredRounds } from '../../bench/run/measured-rounds.ts';
import type { RoundPlan, RoundsResult } from '../../bench/run/round-runner.ts';
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import type { RegisteredClaim } from '../../bench/core/claim.ts';
import { DEFAULT_PIPELINING_PARAMS, PIPELINING_TUNABLES, QUICK_PIPELINING_PARAMS } from './pipelining-params.ts';
import type { PipeliningParams } from './pipelining-params.ts';
import { NS_PER_MS } from '../../bench/core/units.ts';

const SCENARIO_ID = 'pipelining';
const CLAIM_ID = 'optimization.pipeline-5-gets';
/** The document's example: 5 symbols, "5 × 1ms = 5ms" one by one, "1ms total" pipelined. */
const CLAIM_BATCH = 5;
const DOCUMENT_SEQUENTIAL_MS = 5;
const DOCUMENT_PIPELINED_MS = 1;

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
  return percentileMs(context.recorders.metric(metric).total(), 50);
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
      values[name] = figure(
        finite.length > 0 ? medianOf(finite) : null,
        'x',
        `sequential p50 / pipeline p50 of ${batch} GETs, ${rttText(addedRttMs)}; median of the per-round ratios`,
      );
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

function resolveParams(context: ScenarioContext): PipeliningParams {
  return {
    ...(context.params.quick ? QUICK_PIPELINING_PARAMS : DEFAULT_PIPELINING_PARAMS),
    ...context.overrides,
  };
}

/** What the measured rounds leave behind for the verdict and the notes. */
interface CellRounds {
  readonly result: RoundsResult;
  /** Visits per cell in each round, `a/b/c` in cell order. */
  readonly visitsPerRound: string[];
}

/**
 * The warm-up and the rounds: each round shares its time among the cells (batch size x added round
 * trip) through the time-balanced schedule; only the fetch of a visit is recorded.
 */
async function measureCells(
  context: ScenarioContext,
  params: PipeliningParams,
  probe: PipeliningProbe,
  values: BatchFeatureValues,
  valueBytes: number,
): Promise<CellRounds> {
  const { recorders } = context;
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
  context.progress(
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
  return { result, visitsPerRound };
}

function claimConditions(context: ScenarioContext, valueBytes: number): string {
  return [
    environmentConditions(context),
    'no round trip added by this scenario (its direct variant)',
    "ioredis client with the service's options",
    `${CLAIM_BATCH} GETs of one Alpha158 vector each (158 floats, json-array codec, ${valueBytes} bytes per value); sequential awaits vs one pipeline; ratio of per-round p50s`,
  ].join('; ');
}

function outcomeNotes(
  context: ScenarioContext,
  params: PipeliningParams,
  probe: PipeliningProbe,
  rounds: CellRounds,
): string[] {
  const grid: PipeliningGrid = { batchSizes: params.batchSizes, addedRttsMs: params.addedRttsMs };
  const notes = [
    `metric names: <mode>[batch=<n>] with no added round trip, <mode>[batch=<n>,rtt=<r>ms] through the fault proxy; modes: ${BATCH_FETCH_MODES.join(', ')}; only the fetch is timed (no decode), every value is checked afterwards`,
    `each round shares its time equally among the cells, after at least ${params.minIterationsPerRound} visit(s) of each; visits per cell and round (cell order: ${probe.cells.map((c) => `${c.batch}@${rttLabel(c.addedRttMs)}`).join(', ')}): ${rounds.visitsPerRound.join('; ')}`,
    `${rounds.result.warmupIterations} warm-up visits excluded`,
    ...figureNotes(context, grid),
  ];
  if (rounds.result.interrupted)
    notes.push('interrupted: fewer rounds than planned; the unfinished round is in the histograms but is not a trial');
  return notes;
}

/** Speedups per round and cell, the claim's verdict on batch 5 direct, the figures and the notes. */
function judgeCells(
  context: ScenarioContext,
  claim: RegisteredClaim,
  params: PipeliningParams,
  probe: PipeliningProbe,
  rounds: CellRounds,
  stored: { readonly keys: number; readonly valueBytes: number },
): ScenarioOutcome {
  const grid: PipeliningGrid = { batchSizes: params.batchSizes, addedRttsMs: params.addedRttsMs };
  const perRound = rounds.result.iterationsPerRound.map((_, round) => roundSpeedups(p50OfTrial(context, round), grid));
  const speedupTrials = trialsByName(perRound);
  const claimFigure = speedupValueName(CLAIM_BATCH, 0);
  const verdict =
    speedupTrials[claimFigure] === undefined
      ? notMeasuredVerdict(claim, `batch ${CLAIM_BATCH} with no added round trip was not part of this run`)
      : judgeClaim(claim, speedupTrials[claimFigure], claimConditions(context, stored.valueBytes));
  return {
    values: speedupValues(grid, speedupTrials),
    trials: { [CLAIM_ID]: speedupTrials[claimFigure] ?? [], ...speedupTrials },
    verdicts: [verdict],
    parameters: { ...params, ...stored },
    notes: outcomeNotes(context, params, probe, rounds),
  };
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const params = resolveParams(context);
  const claim = claimIn(PIPELINING_CLAIMS, CLAIM_ID);
  const values = buildBatchFeatureValues(Math.max(...params.batchSizes), context.params.seed);
  const valueBytes = medianOf(values.values.map((v) => v.length));
  await storeBatchFeatureValues(context.admin, values, params.ttlSeconds);
  let routes: RttRoutes | null = null;
  try {
    routes = await openRttRoutes(context.target.url, params.addedRttsMs);
    const probe = new PipeliningProbe(routes.routes, params.batchSizes, values);
    const rounds = await measureCells(context, params, probe, values, valueBytes);
    return judgeCells(context, claim, params, probe, rounds, { keys: values.keys.length, valueBytes });
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

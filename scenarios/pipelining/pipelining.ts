import { environmentConditions, figure, percentileMs } from '../../bench/run/scenario-kit.ts';
import { medianOf } from '../../bench/analysis/median-interval.ts';
import {
  addedRttValueName,
  batchMetricName,
  exampleFigures,
  roundSpeedups,
  rttLabel,
  speedupValueName,
  trialsByName,
} from './pipelining-figures.ts';
import type { PipeliningGrid } from './pipelining-figures.ts';
import { formatFigure } from '../../bench/analysis/verdict.ts';
import { EXAMPLE_BATCH, EXAMPLE_CLAIM_IDS, EXAMPLE_RTT_MS, judgeExample } from './document-example-verdicts.ts';
import { BATCH_FETCH_MODES } from './batch-fetch.ts';
import {
  buildBatchFeatureValues,
  removeBatchFeatureValues,
  storeBatchFeatureValues,
} from '../../bench/load/batch-feature-values.ts';
import type { BatchFeatureValues } from '../../bench/load/batch-feature-values.ts';
import { PipeliningProbe } from './pipelining-probe.ts';
import type { PipeliningCell } from './pipelining-probe.ts';
import { openRttRoutes } from './rtt-routes.ts';
import type { RttRoutes } from './rtt-routes.ts';
import { TimeBalancedSchedule } from './time-balanced-schedule.ts';
import { elapsedNs, nowNs } from '../../bench/measure/clock.ts';
import { MeasuredRounds } from '../../bench/run/measured-rounds.ts';
import type { RoundPlan, RoundsResult } from '../../bench/run/round-runner.ts';
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import { PIPELINING_TUNABLES, resolvePipeliningParams } from './pipelining-params.ts';
import type { PipeliningParams } from './pipelining-params.ts';
import { NS_PER_MS } from '../../bench/core/units.ts';

const SCENARIO_ID = 'pipelining';
const DOCUMENT_SEQUENTIAL_MS = 5;
const DOCUMENT_PIPELINED_MS = 1;

function rttText(addedRttMs: number): string {
  return addedRttMs === 0
    ? 'no added round trip (direct connection)'
    : `+${rttLabel(addedRttMs)} per round trip (fault proxy, on the replies)`;
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

/**
 * What the proxy really adds to a round trip: one GET through it minus one GET direct (p50s of the
 * run), the proxy's own hop and its timers included; NaN without batch 1 at both.
 */
function measuredAddedRttMs(context: ScenarioContext, addedRttMs: number): number {
  return (
    wholeRunP50Ms(context, batchMetricName('sequential', 1, addedRttMs)) -
    wholeRunP50Ms(context, batchMetricName('sequential', 1, 0))
  );
}

const msText = (value: number): string => (Number.isFinite(value) ? formatFigure(value, 'ms') : 'n/a');

/**
 * Every cell's speedup (the median of its per-round ratios; loopback ones are reported, not judged)
 * and, per added round trip, what the proxy really added.
 */
function scenarioValues(
  context: ScenarioContext,
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
    if (addedRttMs > 0)
      values[addedRttValueName(addedRttMs)] = figure(
        measuredAddedRttMs(context, addedRttMs),
        'ms',
        `what +${rttLabel(addedRttMs)} per round trip really adds: p50 of one GET through the fault proxy minus p50 of one GET direct`,
      );
  }
  return values;
}

/** The per-cell p50s of the whole run, and the absolute figures the document quotes beside ours. */
function figureNotes(context: ScenarioContext, grid: PipeliningGrid): string[] {
  const notes: string[] = [];
  for (const addedRttMs of grid.addedRttsMs) {
    for (const batch of grid.batchSizes) {
      const modes = BATCH_FETCH_MODES.map(
        (mode) => `${mode} ${msText(wholeRunP50Ms(context, batchMetricName(mode, batch, addedRttMs)))}`,
      );
      notes.push(`batch ${batch}, ${rttText(addedRttMs)}: p50 ${modes.join(', ')}`);
    }
    if (addedRttMs > 0 && grid.addedRttsMs.includes(0) && grid.batchSizes.includes(1)) {
      notes.push(
        `added round trip +${rttLabel(addedRttMs)} nominal: one GET through the proxy takes ${msText(measuredAddedRttMs(context, addedRttMs))} longer than direct (p50; the proxy's own hop and its timer resolution included)`,
      );
    }
  }
  if (grid.batchSizes.includes(EXAMPLE_BATCH)) {
    for (const addedRttMs of grid.addedRttsMs) {
      const sequential = wholeRunP50Ms(context, batchMetricName('sequential', EXAMPLE_BATCH, addedRttMs));
      const pipeline = wholeRunP50Ms(context, batchMetricName('pipeline', EXAMPLE_BATCH, addedRttMs));
      const judged = addedRttMs === EXAMPLE_RTT_MS ? 'judged' : 'reported, not judged';
      notes.push(
        `document: 5 GETs one by one "5ms", pipelined "1ms total"; measured with ${rttText(addedRttMs)}: ${msText(sequential)} and ${msText(pipeline)} (p50; document figures ${DOCUMENT_SEQUENTIAL_MS} ms and ${DOCUMENT_PIPELINED_MS} ms; ${judged})`,
      );
    }
  }
  return notes;
}

/** What the measured rounds leave behind for the verdict and the notes. */
interface CellRounds {
  readonly result: RoundsResult;
  /** Visits per cell in each round, `a/b/c` in cell order. */
  readonly visitsPerRound: string[];
}

/** Whether a cell is the one the claims are judged on: the document's 5 GETs at +1 ms per round trip. */
const isExampleCell = (cell: PipeliningCell): boolean =>
  cell.batch === EXAMPLE_BATCH && cell.addedRttMs === EXAMPLE_RTT_MS;

/**
 * The warm-up and the rounds: each round shares its time among the cells (batch size x added round
 * trip) through the time-balanced schedule, after each cell's minimum of visits (the example's cell:
 * exampleVisitsPerRound, its p50s being the trials); only the fetch of a visit is recorded.
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
  const roundMinimums = probe.cells.map((c) =>
    isExampleCell(c)
      ? Math.max(params.exampleVisitsPerRound, params.minIterationsPerRound)
      : params.minIterationsPerRound,
  );
  // The round runner counts visits of any cell; the schedule owes every cell its minimum first.
  const plan: RoundPlan = {
    ...params,
    minIterationsPerRound: roundMinimums.reduce((sum, v) => sum + v, 0),
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
        schedule.startPhase(round < 0 ? params.warmupIterations : roundMinimums);
      }
      // One visit, and once the phase's time is up every visit still owed: the round runner stops on
      // its count of visits of any cell, which cheap cells may have reached before the owed ones.
      do {
        const cell = schedule.next(phaseNs - elapsedNs(phaseStart));
        const start = nowNs();
        await probe.visit(cell, sink, context.signal);
        schedule.record(cell, elapsedNs(start));
      } while (elapsedNs(phaseStart) >= phaseNs && schedule.owing() && !context.signal.aborted);
    },
    onRoundDone: () => {
      visitsPerRound.push(schedule.visits().join('/'));
    },
  });
  return { result, visitsPerRound };
}

function claimConditions(
  context: ScenarioContext,
  params: PipeliningParams,
  rounds: CellRounds,
  valueBytes: number,
): string {
  const measured = measuredAddedRttMs(context, EXAMPLE_RTT_MS);
  return [
    environmentConditions(context),
    `${EXAMPLE_RTT_MS} ms added per round trip through the fault proxy (all of it on the replies; measured: one GET ${msText(measured)} slower than direct, p50)`,
    "ioredis client with the service's options",
    `${EXAMPLE_BATCH} GETs of one Alpha158 vector each (158 floats, json-array codec, ${valueBytes} bytes per value); sequential awaits vs one pipeline; per-round p50s`,
    `trials: ${rounds.result.iterationsPerRound.length} rounds, each visiting every batch size x round trip in a time-balanced schedule, ${EXAMPLE_BATCH} GETs at +${rttLabel(EXAMPLE_RTT_MS)} at least ${params.exampleVisitsPerRound} times, the four modes back to back in rotating order within a visit; the stored values are only read and the connections stay open from before the warm-up (a GET does not change what the next one costs)`,
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
    `each round shares its time equally among the cells, after at least ${params.minIterationsPerRound} visit(s) of each and ${params.exampleVisitsPerRound} of the judged ${EXAMPLE_BATCH}@${rttLabel(EXAMPLE_RTT_MS)}; visits per cell and round (cell order: ${probe.cells.map((c) => `${c.batch}@${rttLabel(c.addedRttMs)}`).join(', ')}): ${rounds.visitsPerRound.join('; ')}`,
    `${rounds.result.warmupIterations} warm-up visits excluded`,
    ...figureNotes(context, grid),
  ];
  if (rounds.result.interrupted)
    notes.push('interrupted: fewer rounds than planned; the unfinished round is in the histograms but is not a trial');
  return notes;
}

/**
 * Speedups per round and cell; the example's three verdicts on 5 GETs at +1 ms per round trip, each
 * with its per-round figures as trials; the figures and the notes.
 */
function judgeCells(
  context: ScenarioContext,
  params: PipeliningParams,
  probe: PipeliningProbe,
  rounds: CellRounds,
  stored: { readonly keys: number; readonly valueBytes: number },
): ScenarioOutcome {
  const grid: PipeliningGrid = { batchSizes: params.batchSizes, addedRttsMs: params.addedRttsMs };
  const roundIndexes = rounds.result.iterationsPerRound.map((_, round) => round);
  const speedupTrials = trialsByName(roundIndexes.map((round) => roundSpeedups(p50OfTrial(context, round), grid)));
  const exampleMeasured = grid.batchSizes.includes(EXAMPLE_BATCH) && grid.addedRttsMs.includes(EXAMPLE_RTT_MS);
  const example = judgeExample(
    exampleMeasured
      ? roundIndexes.map((round) => exampleFigures(p50OfTrial(context, round), EXAMPLE_BATCH, EXAMPLE_RTT_MS))
      : null,
    claimConditions(context, params, rounds, stored.valueBytes),
    `batch ${EXAMPLE_BATCH} at +${rttLabel(EXAMPLE_RTT_MS)} per round trip was not part of this run`,
  );
  return {
    values: scenarioValues(context, grid, speedupTrials),
    trials: { ...example.trials, ...speedupTrials },
    verdicts: example.verdicts,
    parameters: { ...params, ...stored },
    notes: outcomeNotes(context, params, probe, rounds),
  };
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const params = resolvePipeliningParams(context.params.quick, context.overrides);
  const values = buildBatchFeatureValues(Math.max(...params.batchSizes), context.params.seed);
  const valueBytes = medianOf(values.values.map((v) => v.length));
  await storeBatchFeatureValues(context.admin, values, params.ttlSeconds);
  let routes: RttRoutes | null = null;
  try {
    routes = await openRttRoutes(context.target.url, params.addedRttsMs);
    const probe = new PipeliningProbe(routes.routes, params.batchSizes, values);
    const rounds = await measureCells(context, params, probe, values, valueBytes);
    return judgeCells(context, params, probe, rounds, { keys: values.keys.length, valueBytes });
  } finally {
    await routes?.close();
    // Best effort: Redis may be gone (the keys then expire on their TTL); the run's own error matters more.
    await removeBatchFeatureValues(context.admin, values).catch(() => undefined);
  }
}

export const pipelining: Scenario = {
  id: SCENARIO_ID,
  description:
    'Fetching 1 to 500 feature values: sequential GETs vs one pipeline vs MGET vs auto-pipelining, direct and with 1 ms added per round trip (more with --set addedRttsMs).',
  claims: EXAMPLE_CLAIM_IDS,
  tunables: PIPELINING_TUNABLES,
  run,
};

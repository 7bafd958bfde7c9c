/** The figures and notes of invalidation: per method medians over rounds, their ratios, and what they mean. */
import { medianOf } from '../../bench/analysis/median-interval.ts';
import { formatFigure } from '../../bench/analysis/verdict.ts';
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import { NS_PER_MS } from '../../bench/core/units.ts';
import { environmentConditions } from '../../bench/run/scenario-kit.ts';
import type { ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import { percentileOf } from './invalidation-figures.ts';
import { TARGET_SYMBOL } from './invalidation-keyspace.ts';
import { INVALIDATION_METHODS } from './invalidation-methods.ts';
import type { InvalidationMethod } from './invalidation-methods.ts';
import type { InvalidationParams } from './invalidation-params.ts';
import { BLOCKING_COMMAND, metricOf } from './invalidation-rounds.ts';
import type { InvalidationMeasurement, MethodTrial } from './invalidation-rounds.ts';

type Values = Record<string, ScenarioValue>;

/** A method's medians over rounds, in ms. */
interface MethodFigures {
  readonly duration: number | null;
  readonly p99: number | null;
  readonly max: number | null;
  readonly server: number | null;
}

const median = (xs: readonly number[]): number | null =>
  xs.filter(Number.isFinite).length > 0 ? medianOf(xs.filter(Number.isFinite)) : null;
const ms = (ns: number): number => ns / NS_PER_MS;

/** One method's values and per-round trial figures; returns its medians for the ratios and notes. */
function methodValues(
  params: InvalidationParams,
  method: InvalidationMethod,
  list: readonly MethodTrial[],
  values: Values,
  trialFigures: Record<string, number[]>,
): MethodFigures {
  const duration = list.map((t) => ms(t.outcome.durationNs));
  const p99 = list.map((t) => ms(percentileOf(t.duringNs, 99)));
  const max = list.map((t) => (t.duringNs.length > 0 ? ms(Math.max(...t.duringNs)) : Number.NaN));
  const server = list.map((t) => (t.serverUsecPerCall === null ? Number.NaN : t.serverUsecPerCall / 1_000));
  const windowMax = list.map((t) => t.load.maxSendLagMs ?? Number.NaN);
  trialFigures[`duration-ms.${method}`] = duration;
  trialFigures[`during-get-p99-ms.${method}`] = p99;
  trialFigures[`during-get-max-ms.${method}`] = max;
  const figures = { duration: median(duration), p99: median(p99), max: median(max), server: median(server) };
  const command = BLOCKING_COMMAND[method];
  values[`duration-ms.${method}`] = {
    value: figures.duration,
    unit: 'ms',
    description: `wall time to remove the ${params.datesPerSymbol} keys of ${TARGET_SYMBOL} among ${params.keys}, median over rounds`,
  };
  values[`during-get-p99-ms.${method}`] = {
    value: figures.p99,
    unit: 'ms',
    description: 'p99 of the load GETs in flight during the invalidation (from their actual send), median over rounds',
  };
  values[`during-get-max-ms.${method}`] = {
    value: figures.max,
    unit: 'ms',
    description: 'slowest load GET in flight during the invalidation, median over rounds',
  };
  values[`during-gets.${method}`] = {
    value: median(list.map((t) => t.duringNs.length)),
    unit: 'count',
    description: 'load GETs in flight during the invalidation, median over rounds',
  };
  values[`server-ms-per-call.${command}`] = {
    value: figures.server,
    unit: 'ms',
    description: `server time per ${command.toUpperCase()} call (INFO commandstats), median over rounds: the longest single block of the server by this method${method === 'scan-unlink' ? ' (mean of its SCAN steps)' : ''}`,
  };
  values[`server-calls.${command}`] = {
    value: median(list.map((t) => t.serverCalls)),
    unit: 'count',
    description: `${command.toUpperCase()} calls per invalidation`,
  };
  values[`load-max-send-lag-ms.${method}`] = {
    value: median(windowMax),
    unit: 'ms',
    description:
      'largest delay of a load send behind its schedule (0-ish: the corrected and uncorrected figures agree)',
  };
  return figures;
}

/** KEYS+DEL against SCAN+UNLINK, and the run-wide figures. */
function comparisonValues(
  params: InvalidationParams,
  m: InvalidationMeasurement,
  keys: MethodFigures,
  scan: MethodFigures,
  values: Values,
): void {
  const ratio = (a: number | null, b: number | null): number | null =>
    a !== null && b !== null && b > 0 ? a / b : null;
  values['max-get-ratio'] = {
    value: ratio(keys.max, scan.max),
    unit: 'x',
    description: 'slowest concurrent GET under KEYS+DEL / under SCAN+UNLINK (medians over rounds)',
  };
  values['p99-get-ratio'] = {
    value: ratio(keys.p99, scan.p99),
    unit: 'x',
    description: 'p99 of concurrent GETs under KEYS+DEL / under SCAN+UNLINK',
  };
  values['duration-ratio'] = {
    value: ratio(scan.duration, keys.duration),
    unit: 'x',
    description:
      'SCAN+UNLINK wall time / KEYS+DEL wall time (SCAN takes longer in total: it gives way to other clients between steps)',
  };
  values['server-block-ratio'] = {
    value: ratio(keys.server, scan.server),
    unit: 'x',
    description: 'server time of one KEYS / of one SCAN step',
  };
  values['idle-get-p99-ms'] = {
    value: m.idleNs.length > 0 ? ms(percentileOf(m.idleNs, 99)) : null,
    unit: 'ms',
    description: 'p99 of the load GETs done before any invalidation began (the undisturbed baseline)',
  };
  values['fill-ms'] = {
    value: m.fillMs,
    unit: 'ms',
    description: `time to write the ${params.keys} keys (pipelines of ${params.fillBatch} SET EX)`,
  };
  values.anomalies = {
    value: m.anomalies.length,
    unit: 'count',
    description: 'wrong removal counts, keys left, misses, load warnings (expected 0)',
  };
}

function invalidationNotes(
  context: ScenarioContext,
  params: InvalidationParams,
  m: InvalidationMeasurement,
  methods: { keys: MethodFigures; scan: MethodFigures },
  values: Values,
): string[] {
  const { keys, scan } = methods;
  const f = (v: number | null, unit: string): string => (v === null ? 'n/a' : formatFigure(v, unit));
  const notes = [
    `the document's code: \`for key in redis_client._client.keys("features:AAPL:*"): redis_client.delete(key)\` (keys-del: KEYS, then one DEL per key); the service's: FeatureCache.invalidateSymbol (scan-unlink: SCAN MATCH COUNT ${params.scanCount}, UNLINK ${params.unlinkBatchSize} keys at a time)`,
    `${params.keys} keys (${params.valueBytes}-byte values), ${params.datesPerSymbol} of them ${TARGET_SYMBOL}'s; open-loop GETs of random other keys at ${params.loadRate}/s on their own connection, from ${params.leadMs} ms before each invalidation to ${params.tailMs} ms after; ${environmentConditions(context)}`,
    `keys-del: ${f(keys.duration, 'ms')} in all, one KEYS blocking the server ${f(keys.server, 'ms')}; concurrent GETs p99 ${f(keys.p99, 'ms')}, max ${f(keys.max, 'ms')}`,
    `scan-unlink: ${f(scan.duration, 'ms')} in all, SCAN steps of ${f(scan.server, 'ms')} each; concurrent GETs p99 ${f(scan.p99, 'ms')}, max ${f(scan.max, 'ms')}`,
    `undisturbed GETs p99 ${f(values['idle-get-p99-ms'].value, 'ms')}; slowest concurrent GET ${f(values['max-get-ratio'].value, 'x')} higher under KEYS than under SCAN; SCAN+UNLINK takes ${f(values['duration-ratio'].value, 'x')} the wall time of KEYS+DEL but never stops the server for long`,
    `metrics: ${metricOf.window('keys-del')} / ${metricOf.window('scan-unlink')} = every load GET of the window that succeeded, coordinated omission corrected (.uncorrected beside; .all adds the failed and timed-out ones at their time to failure); ${metricOf.during('keys-del')} / ${metricOf.during('scan-unlink')} = the GETs in flight during the invalidation (from the actual send; the in-flight bound ${params.maxInFlight} is far above rate x block time, so sends are not held back); ${metricOf.duration('keys-del')} / ${metricOf.duration('scan-unlink')} = the invalidation's wall time`,
    'no verdict: the document gives no figure for invalidation; it uses KEYS in its example, and these figures show what that costs every other client',
    ...m.anomalies.map((a) => `anomaly: ${a}`),
  ];
  if (context.signal.aborted) notes.push('interrupted: fewer rounds than planned');
  return notes;
}

export function invalidationOutcome(
  context: ScenarioContext,
  params: InvalidationParams,
  m: InvalidationMeasurement,
): ScenarioOutcome {
  const values: Values = {};
  const trialFigures: Record<string, number[]> = {};
  const perMethod = {} as Record<InvalidationMethod, MethodFigures>;
  for (const method of INVALIDATION_METHODS)
    perMethod[method] = methodValues(params, method, m.trials[method], values, trialFigures);
  const methods = { keys: perMethod['keys-del'], scan: perMethod['scan-unlink'] };
  comparisonValues(params, m, methods.keys, methods.scan, values);
  return {
    values,
    trials: trialFigures,
    verdicts: [],
    parameters: { ...params, fillerKeys: params.keys - params.datesPerSymbol },
    notes: invalidationNotes(context, params, m, methods, values),
  };
}

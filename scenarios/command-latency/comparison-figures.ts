/** The comparison's figures and notes: both tools' throughput and latency, their ratios, the speed targets. */
import { medianOf } from '../../bench/analysis/median-interval.ts';
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import { NS_PER_MS } from '../../bench/core/units.ts';
import type { RecorderSet } from '../../bench/measure/recorder-set.ts';
import type { LoadDriver } from '../../bench/load/worker-protocol.ts';
import { figure } from '../../bench/run/scenario-kit.ts';
import { ratio } from './comparison-rounds.ts';
import type { OursFigures, PairedRounds } from './comparison-rounds.ts';
import { addGeneratorLoadValues, limitedNote, limitedPhasesText } from './generator-load-figures.ts';
import type { PhaseLoad } from './generator-load-figures.ts';
import { SPEED_TARGET_DRIVER, SPEED_TARGETS } from './comparison-request.ts';
import type { ComparisonRequest } from './comparison-request.ts';

/** Where the comparison writes: named figures and notes, in the order they come. */
export interface ComparisonOutput {
  readonly values: Record<string, ScenarioValue>;
  readonly notes: string[];
}

/** How the max-throughput runs were shaped, in the words every figure's description uses. */
export interface ComparisonShape {
  readonly connections: number;
  readonly depth: number;
  readonly threads: number;
  /** `10 connections, pipeline depth 1[, 2 threads each]`. */
  readonly where: string;
  /** `median of 3 paired rounds` or `one round`. */
  readonly roundsText: string;
}

const fmt = (value: number | null, digits = 3): string => (value === null ? 'n/a' : value.toFixed(digits));

const medianOrNull = (xs: readonly number[]): number | null => (xs.length === 0 ? null : medianOf(xs));

/** Percentiles (ms) of everything a metric recorded, every round; null when it holds nothing. */
function recordedPercentilesMs(
  recorders: RecorderSet,
  metricName: string,
  percentiles: readonly number[],
): (number | null)[] {
  const total = recorders.metric(metricName).total();
  return percentiles.map((p) => (total.totalCount > 0 ? total.getValueAtPercentile(p) / NS_PER_MS : null));
}

function set(out: ComparisonOutput, name: string, value: number | null, unit: string, description: string): void {
  out.values[name] = figure(value, unit, description);
}

/**
 * Each round's generator load of one driver's runs (values `generator-load.<metric>.round-<k>.*`, a
 * note per limited round); returns `; generator-limited (...) in ...` for the figures read on
 * those runs, or '' when the generator kept up in every round.
 */
function roundLoads(out: ComparisonOutput, metric: string, what: string, runs: readonly OursFigures[]): string {
  const phases: PhaseLoad[] = runs.flatMap((run, i) =>
    run.generatorLoad === undefined
      ? []
      : [{ phase: `${metric} round ${i + 1}`, key: `${metric}.round-${i + 1}`, load: run.generatorLoad }],
  );
  for (const entry of phases) {
    addGeneratorLoadValues(out.values, entry.key, `${what}, ${entry.phase}`, entry.load);
    if (entry.load.generatorLimited) out.notes.push(limitedNote(entry));
  }
  const limited = limitedPhasesText(phases, 'rounds');
  return limited === null ? '' : `; ${limited}`;
}

/** redis-benchmark's median throughput, p50 and p99 of one command's max-throughput rounds. */
function theirMaxThroughputFigures(
  out: ComparisonOutput,
  label: string,
  rounds: PairedRounds,
  shape: ComparisonShape,
): { readonly rps: number | null; readonly p50: number | null; readonly p99: number | null } {
  const rows = rounds.theirs;
  const theirs = {
    rps: medianOrNull(rows.map((r) => r.rps)),
    p50: medianOrNull(rows.map((r) => r.p50Ms)),
    p99: medianOrNull(rows.map((r) => r.p99Ms)),
  };
  if (rows.length > 0) {
    const { where, roundsText } = shape;
    const name = `redis-benchmark.${label}`;
    set(
      out,
      `${name}.ops-per-second`,
      theirs.rps,
      'ops/s',
      `redis-benchmark's throughput of ${label}, ${where}, ${roundsText}`,
    );
    set(out, `${name}.p50-ms`, theirs.p50, 'ms', `redis-benchmark's ${label} p50 (its own histogram), ${roundsText}`);
    set(out, `${name}.p99-ms`, theirs.p99, 'ms', `redis-benchmark's ${label} p99 (its own histogram), ${roundsText}`);
  }
  return theirs;
}

/**
 * One command's max-throughput figures: redis-benchmark's, ours per driver (throughput: median of
 * the rounds; latency: all rounds' histogram) and the ratios, with a note per driver.
 */
export function maxThroughputFigures(
  out: ComparisonOutput,
  request: ComparisonRequest,
  label: string,
  metricOf: (driver: LoadDriver) => string,
  rounds: PairedRounds,
  shape: ComparisonShape,
): void {
  const { where, roundsText } = shape;
  const theirs = theirMaxThroughputFigures(out, label, rounds, shape);
  for (const { driver } of request.drivers) {
    const runs = rounds.ours.get(driver) ?? [];
    if (runs.length === 0) continue;
    const [p50, p99] = recordedPercentilesMs(request.recorders, metricOf(driver), [50, 99]);
    const rps = medianOrNull(runs.map((r) => r.rps));
    const failures = runs.reduce((sum, r) => sum + r.failures, 0);
    const ours = `ours.${driver}.${label}`;
    const limited = roundLoads(out, metricOf(driver), `our ${label} max-throughput run with driver ${driver}`, runs);
    set(
      out,
      `${ours}.max-ops-per-second`,
      rps,
      'ops/s',
      `our closed-loop throughput of ${label} with driver ${driver}, ${where}, ${roundsText}${limited}`,
    );
    const latency = `with driver ${driver} over all rounds (closed loop: from the actual send)`;
    set(out, `${ours}.p50-ms`, p50, 'ms', `our ${label} p50 ${latency}`);
    set(out, `${ours}.p99-ms`, p99, 'ms', `our ${label} p99 ${latency}`);
    if (failures > 0)
      out.notes.push(`ours ${label} (${driver}): ${failures} commands failed in the max-throughput runs`);
    const paired = rounds.ratios.get(driver) ?? [];
    if (paired.length === 0 || theirs.p50 === null || theirs.p99 === null) continue;
    const throughputRatio = medianOf(paired);
    set(
      out,
      `ratio.${driver}.${label}.throughput`,
      throughputRatio,
      'x',
      `our ${label} throughput with driver ${driver} / redis-benchmark's, ${where}: ${request.rounds > 1 ? `median of the ${paired.length} rounds' ratios` : 'one round'} (>= 1: we keep up)${limited}`,
    );
    set(
      out,
      `ratio.${driver}.${label}.p50`,
      ratio(p50, theirs.p50),
      'x',
      `our ${label} p50 with driver ${driver} (all rounds) / redis-benchmark's (median of rounds) (<= 1: we are as fast)`,
    );
    set(
      out,
      `ratio.${driver}.${label}.p99`,
      ratio(p99, theirs.p99),
      'x',
      `our ${label} p99 with driver ${driver} (all rounds) / redis-benchmark's (median of rounds)`,
    );
    out.notes.push(
      `${label}, ${where}, driver ${driver}: ours ${fmt(rps, 0)} ops/s (p50 ${fmt(p50)} ms, p99 ${fmt(p99)} ms); redis-benchmark ${fmt(theirs.rps, 0)} ops/s (p50 ${fmt(theirs.p50)} ms, p99 ${fmt(theirs.p99)} ms); throughput ratio ${fmt(throughputRatio, 2)}x` +
        (paired.length > 1 ? ` (rounds: ${paired.map((r) => r.toFixed(2)).join(', ')})` : ''),
    );
  }
}

/** GET on one connection, one command at a time: both tools' p50 and their ratio per driver. */
export function oneConnectionFigures(
  out: ComparisonOutput,
  request: ComparisonRequest,
  metricOf: (driver: LoadDriver) => string,
  rounds: PairedRounds,
  shape: ComparisonShape,
): void {
  const rows = rounds.theirs;
  const theirP50 = medianOrNull(rows.map((r) => r.p50Ms));
  if (theirP50 !== null)
    set(
      out,
      'redis-benchmark.one-connection.GET.p50-ms',
      theirP50,
      'ms',
      `redis-benchmark's GET p50 with -c 1 -P 1, ${shape.roundsText}`,
    );
  for (const { driver } of request.drivers) {
    const runs = rounds.ours.get(driver) ?? [];
    if (runs.length === 0) continue;
    const [p50] = recordedPercentilesMs(request.recorders, metricOf(driver), [50]);
    const limited = roundLoads(out, metricOf(driver), `our one-connection GET run with driver ${driver}`, runs);
    set(
      out,
      `ours.${driver}.one-connection.GET.p50-ms`,
      p50,
      'ms',
      `our GET p50 with driver ${driver}, one connection, one command at a time (closed loop, all rounds)${limited}`,
    );
    if (theirP50 === null) continue;
    set(
      out,
      `ratio.${driver}.one-connection.GET.p50`,
      ratio(p50, theirP50),
      'x',
      `our GET p50 with driver ${driver} / redis-benchmark's on one connection`,
    );
    out.notes.push(
      `GET on one connection, driver ${driver}: ours p50 ${fmt(p50)} ms at ${fmt(medianOrNull((rounds.ours.get(driver) ?? []).map((r) => r.rps)), 0)} ops/s; redis-benchmark p50 ${fmt(theirP50)} ms at ${fmt(medianOrNull(rows.map((r) => r.rps)), 0)} ops/s (it prints 3 decimals: 1 µs resolution)`,
    );
  }
}

/** `speed-target.get-throughput-ratio`, `speed-target.set-...`, `speed-target.mget-...` (MGET of any size). */
function throughputTargetName(command: string): string {
  return `speed-target.${command.toLowerCase()}-throughput-ratio`;
}

const verdict = (value: number | null, met: (v: number) => boolean): string =>
  value === null ? 'not measured' : met(value) ? 'met' : 'MISSED';

/**
 * The issue's speed targets, read on driver SPEED_TARGET_DRIVER: each command's throughput ratio
 * (`commands`: command name and label, e.g. MGET and MGET5) and the one-connection GET p50 ratio,
 * as figures and one met / MISSED note.
 */
export function speedTargetFigures(
  out: ComparisonOutput,
  shape: ComparisonShape,
  commands: readonly { readonly command: string; readonly label: string }[],
): void {
  const { where, roundsText, threads } = shape;
  const min = SPEED_TARGETS.throughputRatioMin;
  const parts = commands.map(({ command, label }) => {
    const value = out.values[`ratio.${SPEED_TARGET_DRIVER}.${label}.throughput`]?.value ?? null;
    set(
      out,
      throughputTargetName(command),
      value,
      'x',
      `speed target: our max ${label} throughput (driver ${SPEED_TARGET_DRIVER}) / redis-benchmark's at ${where}, same run, ${roundsText}; target >= ${min}`,
    );
    return `${label} throughput ratio ${fmt(value, 2)}x (target >= ${min}): ${verdict(value, (v) => v >= min)}`;
  });
  const p50Ratio = out.values[`ratio.${SPEED_TARGET_DRIVER}.one-connection.GET.p50`]?.value ?? null;
  const p50Max = SPEED_TARGETS.oneConnectionP50RatioMax;
  set(
    out,
    'speed-target.one-connection-p50-ratio',
    p50Ratio,
    'x',
    `speed target: our GET p50 (driver ${SPEED_TARGET_DRIVER}) / redis-benchmark's on one connection, same run; target <= ${p50Max}`,
  );
  out.notes.push(
    `speed targets (driver ${SPEED_TARGET_DRIVER}, ${threads > 1 ? `${threads} threads, redis-benchmark --threads ${threads}` : 'one thread, as redis-benchmark'}, same run, machine load affects both tools): ${parts.join('; ')}; one-connection GET p50 ratio ${fmt(p50Ratio, 2)}x (target <= ${p50Max}): ${verdict(p50Ratio, (v) => v <= p50Max)}`,
  );
}

import path from 'node:path';
import { CLAIMS } from '../../scenarios/claims.ts';
import { SCENARIOS } from '../../scenarios/registry.ts';
import { ConfigError } from '../errors.ts';
import { compareRuns } from '../gate/baseline-compare.ts';
import type { MetricComparison } from '../gate/baseline-compare.ts';
import { parseMaxRegression } from '../gate/gate-command.ts';
import { writeReportFiles } from '../report/file-sink.ts';
import { toSafeJson } from '../report/json-safe.ts';
import { parseVariant, runAbExperiment } from '../run/ab-experiment.ts';
import type { AbExperimentResult } from '../run/ab-experiment.ts';
import type { AbOptions } from './compare.ts';
import { resolveAbSetup, withInterrupt } from './compare.ts';

/** What one experiment (A/A or canary) says about the gate, pair by pair. */
export interface GateCalibration {
  readonly pairs: number;
  /** Pairs in which the gate flagged at least one regression (any metric, any percentile). */
  readonly pairsFlagged: number;
  readonly comparisons: number;
  readonly comparisonsFlagged: number;
  /** Pairs in which the watched metric and percentile was flagged. */
  readonly watchedFlagged: number;
  readonly inconclusive: number;
}

/** The metric the canary must move: every hit is one Redis round trip. */
export const WATCHED = { metric: 'hit.signal', percentile: 'p50' } as const;

export function calibrationOf(
  result: AbExperimentResult,
  maxRegressionPct: number,
): { stats: GateCalibration; perPair: MetricComparison[][] } {
  const perPair: MetricComparison[][] = [];
  const count = Math.min(result.a.length, result.b.length);
  for (let i = 0; i < count; i += 1)
    perPair.push([...compareRuns(result.b[i], result.a[i], { maxRegressionPct, seed: i + 1 }).comparisons]);
  const all = perPair.flat();
  return {
    stats: {
      pairs: count,
      pairsFlagged: perPair.filter((pair) => pair.some((c) => c.verdict === 'regression')).length,
      comparisons: all.length,
      comparisonsFlagged: all.filter((c) => c.verdict === 'regression').length,
      watchedFlagged: perPair.filter((pair) =>
        pair.some(
          (c) => c.metric === WATCHED.metric && c.percentile === WATCHED.percentile && c.verdict === 'regression',
        ),
      ).length,
      inconclusive: all.filter((c) => c.verdict === 'inconclusive').length,
    },
    perPair,
  };
}

function rate(part: number, whole: number): string {
  return whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)}% (${part}/${whole})`;
}

export function formatCalibration(
  aa: GateCalibration,
  canary: GateCalibration | null,
  canaryMs: number,
  maxRegressionPct: number,
): string {
  const lines = [
    `gate calibration: allowed regression ${maxRegressionPct}%, bootstrap intervals over trials, 95% family-wise (Bonferroni) per pair; percentiles with too few samples per trial are not compared`,
    `A/A (the same code against itself, ${aa.pairs} pairs):`,
    `  false-positive rate per pair (any regression flagged): ${rate(aa.pairsFlagged, aa.pairs)}`,
    `  false-positive rate per comparison:                    ${rate(aa.comparisonsFlagged, aa.comparisons)}`,
    `  ${WATCHED.metric} ${WATCHED.percentile} flagged:                         ${rate(aa.watchedFlagged, aa.pairs)}`,
    `  inconclusive comparisons (reported, never failed):     ${rate(aa.inconclusive, aa.comparisons)}`,
  ];
  if (canary !== null) {
    lines.push(
      `canary (+${canaryMs} ms on every Redis reply through the fault proxy, ${canary.pairs} pairs):`,
      `  detection rate on ${WATCHED.metric} ${WATCHED.percentile}:                 ${rate(canary.watchedFlagged, canary.pairs)}`,
      `  pairs with any regression flagged:                     ${rate(canary.pairsFlagged, canary.pairs)}`,
    );
  }
  return lines.join('\n');
}

/**
 * `rpb calibrate <scenario>`: measures the gate itself. A/A pairs (identical runs) give its
 * false-positive rate; canary pairs (B with a known added latency) give its detection rate.
 */
export async function runCalibrateCommand(
  scenarioId: string,
  options: AbOptions & { canaryMs?: string; maxRegression?: string },
  progress: (m: string) => void,
): Promise<string> {
  const { scenario, pairs, outDir } = resolveAbSetup(scenarioId, options, 20);
  const canaryText = options.canaryMs ?? '1';
  if (!/^\d+(\.\d+)?$/.test(canaryText) || Number(canaryText) > 1_000) {
    throw new ConfigError(
      `--canary-ms ${JSON.stringify(canaryText)}: expected milliseconds from 0 to 1000 (0 skips the canary)`,
    );
  }
  const canaryMs = Number(canaryText);
  const maxRegressionPct = parseMaxRegression(options.maxRegression ?? '10%');
  const knownScenarioIds = SCENARIOS.map((s) => s.id);
  const same = parseVariant('A', '', scenario);
  const result = await withInterrupt(progress, async (signal) => {
    const aa = await runAbExperiment({
      scenario,
      claims: CLAIMS,
      knownScenarioIds,
      base: options,
      a: same,
      b: { ...same, label: 'B' },
      pairs,
      outDir: path.join(outDir, 'a-a'),
      signal,
      progress: (m) => progress(`A/A ${m}`),
    });
    const canary =
      canaryMs > 0 && !signal.aborted
        ? await runAbExperiment({
            scenario,
            claims: CLAIMS,
            knownScenarioIds,
            base: options,
            a: same,
            b: parseVariant('B', `added-latency-ms=${canaryMs}`, scenario),
            pairs,
            outDir: path.join(outDir, 'canary'),
            signal,
            progress: (m) => progress(`canary ${m}`),
          })
        : null;
    return { aa, canary };
  });
  const aa = calibrationOf(result.aa, maxRegressionPct);
  const canary = result.canary === null ? null : calibrationOf(result.canary, maxRegressionPct);
  const text = formatCalibration(aa.stats, canary?.stats ?? null, canaryMs, maxRegressionPct);
  await writeReportFiles(outDir, [
    {
      relativePath: 'calibration.json',
      content: `${toSafeJson({ schema: 'rpb.calibration/v1', scenario: scenario.id, maxRegressionPct, canaryMs, watched: WATCHED, aa: aa.stats, canary: canary?.stats ?? null, aaPairs: aa.perPair, canaryPairs: canary?.perPair ?? null })}\n`,
    },
    { relativePath: 'calibration.txt', content: `${text}\n` },
  ]);
  return `${text}\n\nruns and calibration.json in ${path.resolve(outDir)}`;
}

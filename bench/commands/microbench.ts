import { alpha158Suite } from '../microbench/alpha158.bench.ts';
import { hitPathSuite } from '../microbench/hit-path.bench.ts';
import { missRatioCurveSuite } from '../microbench/miss-ratio-curve.bench.ts';
import { parquetReadSuite } from '../microbench/parquet-read.bench.ts';
import { openLoopRateSuite } from '../microbench/open-loop-rate.bench.ts';
import { recordValueSuite } from '../microbench/record-value.bench.ts';
import type { MicroBenchOptions, MicroResult } from '../microbench/run-bench.ts';
import { DEFAULT_MICROBENCH_OPTIONS } from '../microbench/run-bench.ts';
import { ConfigError } from '../errors.ts';
import { checkSpeedTargets } from '../microbench/speed-targets.ts';

type Suite = (options: MicroBenchOptions) => Promise<MicroResult[]>;

/** Suites run one after another: two benchmarks at once on a 2-core machine spoil both. */
export const MICRO_SUITES: Readonly<Record<string, Suite>> = {
  alpha158: alpha158Suite,
  'parquet-read': parquetReadSuite,
  'hit-path': hitPathSuite,
  'record-value': recordValueSuite,
  'miss-ratio-curve': missRatioCurveSuite,
  'open-loop-rate': openLoopRateSuite,
};

function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(3)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(1)} ns`;
}

export function formatMicroResults(results: readonly MicroResult[]): string {
  const rows = results.map((r) => [
    r.suite,
    r.task,
    formatNs(r.medianNs),
    formatNs(r.meanNs),
    formatNs(r.p99Ns),
    String(r.samples),
  ]);
  const header = ['suite', 'task', 'median', 'mean', 'p99', 'samples'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** `rpb microbench`: returns the text to print. */
export async function runMicrobench(
  options: Record<string, unknown>,
  progress: (message: string) => void,
): Promise<string> {
  const problems: string[] = [];
  const timeMs = Number(options.timeMs ?? DEFAULT_MICROBENCH_OPTIONS.timeMs);
  if (!Number.isInteger(timeMs) || timeMs < 50 || timeMs > 600_000)
    problems.push(`--time-ms ${JSON.stringify(options.timeMs)}: expected an integer from 50 to 600000`);
  const requested = (options.suite as string[] | undefined) ?? Object.keys(MICRO_SUITES);
  const unknown = requested.filter((name) => !(name in MICRO_SUITES));
  if (unknown.length > 0)
    problems.push(`--suite ${unknown.join(', ')}: unknown; choose from ${Object.keys(MICRO_SUITES).join(', ')}`);
  if (problems.length > 0) throw new ConfigError('invalid options for rpb microbench', { problems });
  const suiteOptions: MicroBenchOptions = {
    timeMs,
    warmupTimeMs: Math.min(timeMs, DEFAULT_MICROBENCH_OPTIONS.warmupTimeMs),
  };
  const results: MicroResult[] = [];
  for (const name of requested) {
    progress(`microbench ${name} (${timeMs} ms per task)`);
    results.push(...(await MICRO_SUITES[name](suiteOptions)));
  }
  const targets = checkSpeedTargets(results);
  if (options.json === true) {
    return JSON.stringify(
      {
        results,
        targets: targets.map((t) => ({
          id: t.target.id,
          description: t.target.description,
          limit: t.target.limit,
          unit: t.target.unit,
          measured: t.measured,
          met: t.met,
        })),
      },
      null,
      2,
    );
  }
  const targetLines = targets.map((t) => {
    const show = (v: number): string =>
      t.target.unit === 'x'
        ? `${v.toFixed(2)}x`
        : t.target.unit === '%'
          ? `${v.toFixed(2)}%`
          : t.target.unit === 'count'
            ? String(v)
            : formatNs(v);
    return `  ${t.met ? 'met   ' : 'MISSED'}  ${t.target.description}: ${show(t.measured)} (target <= ${show(t.target.limit)})`;
  });
  return [
    formatMicroResults(results),
    '',
    'speed targets (medians of this run; machine load affects them):',
    ...targetLines,
  ].join('\n');
}

/** The figures, notes and verdict of compression, from the samples' sizes and what the timing rounds measured. */
import { medianOf } from '../../bench/analysis/median-interval.ts';
import { formatFigure, judgeClaim } from '../../bench/analysis/verdict.ts';
import type { RegisteredClaim } from '../../bench/core/claim.ts';
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import { TokenBucket } from '../../bench/faults/token-bucket.ts';
import { environmentConditions, percentileMs } from '../../bench/run/scenario-kit.ts';
import type { ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import { FRAME_HEADER_BYTES } from '../../src/cache/codec.ts';
import { cellLabel, COMPRESSION_METRICS, drainBytes } from './compression-cells.ts';
import type { CompressionCell, ValueSize } from './compression-cells.ts';
import type { CompressionDataset } from './compression-dataset.ts';
import { breakEven, describeBreakEven, formatKbPerSecond, sizeRatio, transferMs } from './compression-figures.ts';
import type { CompressionParams } from './compression-params.ts';
import type { CompressionMeasurement } from './compression-rounds.ts';
import type { Route } from './compression-route.ts';

/** The claim judged, and the key of its trials. */
export const CLAIM_ID = 'optimization.gzip-ratio';
/** The baseline of the break-even: the service's default codec, what a switch would replace. */
const BREAK_EVEN_BASELINE = 'json-array';
/** The document's format, the baseline of every size ratio. */
const RATIO_BASELINE = 'json-object';

type Values = Record<string, ScenarioValue>;

/** Everything a figure of the run is computed from. */
export interface CompressionRun {
  readonly context: ScenarioContext;
  readonly claim: RegisteredClaim;
  readonly params: CompressionParams;
  readonly dataset: CompressionDataset;
  readonly route: Route;
  readonly measurement: CompressionMeasurement;
}

function p50Ms(context: ScenarioContext, metric: string): number | null {
  if (!context.recorders.names().includes(metric)) return null;
  const ms = percentileMs(context.recorders.metric(metric).total(), 50);
  return Number.isNaN(ms) ? null : ms;
}

function medianOrNull(values: readonly (number | null | undefined)[]): number | null {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return finite.length > 0 ? medianOf(finite) : null;
}

const label = (codec: string, size: ValueSize): string => `codec=${codec},size=${size}`;

/** Payload bytes (frame header excluded) of a codec's value for one sample; NaN when not measured. */
function payloadBytes(m: CompressionMeasurement, sample: number, codec: string, size: ValueSize): number {
  return (m.bytesPerSample[sample]?.get(label(codec, size)) ?? Number.NaN) - FRAME_HEADER_BYTES;
}

/** Per sample: the document's dict JSON bytes / this codec's bytes. */
function ratioTrials(m: CompressionMeasurement, codec: string, size: ValueSize): number[] {
  return m.bytesPerSample.map((_, i) =>
    sizeRatio(payloadBytes(m, i, RATIO_BASELINE, size), payloadBytes(m, i, codec, size)),
  );
}

/** Framed bytes of one cell's value, median over the samples. */
function medianBytes(m: CompressionMeasurement, name: string): number | null {
  return medianOrNull(m.bytesPerSample.map((sizes) => sizes.get(name)));
}

/** One cell's medians over samples (sizes) and rounds (memory), and p50s over all rounds. */
function cellFigures(run: CompressionRun, cell: CompressionCell) {
  const { context, params, measurement: m } = run;
  const name = cellLabel(cell);
  return {
    name,
    bytes: medianBytes(m, name),
    memory: medianOrNull(m.memoryPerRound.map((memory) => memory.get(name))),
    ratio: medianOrNull(ratioTrials(m, cell.codec.name, cell.size)),
    encodeMs: p50Ms(context, COMPRESSION_METRICS.encode(cell)),
    decodeMs: p50Ms(context, COMPRESSION_METRICS.decode(cell)),
    getMs: p50Ms(context, COMPRESSION_METRICS.getDecode(cell)),
    limitedMs: p50Ms(context, COMPRESSION_METRICS.getDecodeLimited(cell, params.bandwidthKbPerSecond)),
  };
}

type CellFigures = ReturnType<typeof cellFigures>;

const usOf = (ms: number | null): number | null => (ms === null ? null : ms * 1_000);

function cellValues(run: CompressionRun, f: CellFigures, values: Values): void {
  const { context, params, route } = run;
  values[`bytes[${f.name}]`] = {
    value: f.bytes,
    unit: 'bytes',
    description: `stored value size (4-byte frame header included), median over samples`,
  };
  values[`ratio[${f.name}]`] = {
    value: f.ratio,
    unit: 'x',
    description: `${RATIO_BASELINE} payload bytes / this codec's payload bytes (the document's dict JSON vs this), median over samples`,
  };
  values[`memory-usage[${f.name}]`] = {
    value: f.memory,
    unit: 'bytes',
    description: 'Redis MEMORY USAGE of the key (SAMPLES 0), median over rounds',
  };
  values[`encode-p50-us[${f.name}]`] = {
    value: usOf(f.encodeMs),
    unit: 'us',
    description: 'p50 of encodeValue (codec + frame), all rounds',
  };
  values[`decode-p50-us[${f.name}]`] = {
    value: usOf(f.decodeMs),
    unit: 'us',
    description: 'p50 of decodeValue (frame check + codec), all rounds',
  };
  values[`get-decode-p50-ms[${f.name}]`] = {
    value: f.getMs,
    unit: 'ms',
    description: `p50 of FeatureCache.get (GET + decode), ${context.network}`,
  };
  if (route.clients.limited !== null) {
    values[`get-decode-limited-p50-ms[${f.name}]`] = {
      value: f.limitedMs,
      unit: 'ms',
      description: `p50 of FeatureCache.get over the limited link (${formatKbPerSecond(params.bandwidthKbPerSecond)} replies${params.limitedRttMs > 0 ? `, +${params.limitedRttMs} ms round trip` : ''})`,
    };
  }
}

/** The bandwidth at which this codec reads as fast as json-array (a value when it is finite), in words. */
function breakEvenFigure(
  cell: CompressionCell,
  f: CellFigures,
  baseline: { decodeMs: number | null; bytes: number | null },
  values: Values,
): string {
  if (
    f.decodeMs === null ||
    baseline.decodeMs === null ||
    f.bytes === null ||
    baseline.bytes === null ||
    cell.codec.name === BREAK_EVEN_BASELINE
  )
    return 'n/a';
  const even = breakEven(
    { bytes: f.bytes, decodeMs: f.decodeMs },
    { bytes: baseline.bytes, decodeMs: baseline.decodeMs },
  );
  const text = describeBreakEven(even, BREAK_EVEN_BASELINE);
  values[`break-even-kbps[${f.name}]`] = {
    value: even.kbPerSecond,
    unit: 'KB/s',
    description: `${text}: bandwidth where (bytes / bandwidth + decode p50) equals ${BREAK_EVEN_BASELINE}'s; null when it pays always or never (see notes)`,
  };
  return text;
}

function cellNote(run: CompressionRun, cell: CompressionCell, f: CellFigures, breakEvenText: string): string {
  const { params, route } = run;
  const fmt = (v: number | null, unit: string): string => (v === null ? 'n/a' : formatFigure(v, unit));
  return `${cell.size} ${cell.codec.name}: ${f.bytes ?? 'n/a'} bytes (${f.ratio === null ? 'n/a' : formatFigure(f.ratio, 'x')} smaller than ${RATIO_BASELINE}), Redis memory ${f.memory ?? 'n/a'} bytes; encode p50 ${fmt(usOf(f.encodeMs), 'us')}, decode p50 ${fmt(usOf(f.decodeMs), 'us')}; GET+decode p50 ${fmt(f.getMs, 'ms')} direct${route.clients.limited === null ? '' : `, ${fmt(f.limitedMs, 'ms')} limited (wire time at that bandwidth ${f.bytes === null ? 'n/a' : formatFigure(transferMs(f.bytes, params.bandwidthKbPerSecond), 'ms')})`}; ${breakEvenText}`;
}

/** Every cell of one size, then float32's error at that size. */
function sizeFigures(run: CompressionRun, size: ValueSize, values: Values, notes: string[]): void {
  const { context, measurement: m } = run;
  const baseline = {
    decodeMs: p50Ms(context, `decode[${label(BREAK_EVEN_BASELINE, size)}]`),
    bytes: medianBytes(m, label(BREAK_EVEN_BASELINE, size)),
  };
  for (const cell of m.cells.filter((c) => c.size === size)) {
    const f = cellFigures(run, cell);
    cellValues(run, f, values);
    const breakEvenText = breakEvenFigure(cell, f, baseline, values);
    notes.push(cellNote(run, cell, f, breakEvenText));
  }
  const f32 = medianOrNull(m.f32ErrorPerSample.map((e) => e.get(size)));
  if (f32 !== null) {
    values[`float32-max-relative-error[size=${size}]`] = {
      value: f32,
      unit: 'ratio',
      description:
        'largest |float32(x) - x| / |x| over the finite non-zero features, median over samples (bound 2^-24 = 5.96e-8)',
    };
    notes.push(
      `float32 (lossy), ${size}: largest relative error ${f32.toExponential(2)} (about ${Math.floor(-Math.log10(f32))} significant digits kept; float64 keeps 15-17)`,
    );
  }
}

/** The claim's figure and the notes that open the report: what the document says, how it was measured. */
function claimFigures(run: CompressionRun, claimSize: ValueSize, values: Values, notes: string[]): void {
  const { params, dataset, measurement: m } = run;
  const samples = m.bytesPerSample.length;
  const claimRatio = medianOrNull(ratioTrials(m, 'json-object-gzip', claimSize));
  const docBytes = medianOrNull(m.bytesPerSample.map((_, i) => payloadBytes(m, i, RATIO_BASELINE, claimSize)));
  const gzBytes = medianOrNull(m.bytesPerSample.map((_, i) => payloadBytes(m, i, 'json-object-gzip', claimSize)));
  values['gzip-ratio'] = {
    value: claimRatio,
    unit: 'x',
    description: `the claim's figure: document dict JSON bytes / its gzip (level ${params.gzipLevel}) at the ${claimSize} size, median over samples`,
  };
  notes.unshift(
    `document: "Uncompressed: 50KB JSON" -> "Compressed: 5KB (10x smaller)"; measured at the ${claimSize} size: ${docBytes ?? 'n/a'} bytes of dict JSON -> ${gzBytes ?? 'n/a'} bytes gzipped (level ${params.gzipLevel}), ${claimRatio === null ? 'n/a' : formatFigure(claimRatio, 'x')}; Alpha158 values are high-entropy floats (15-17 significant digits each), so gzip mostly saves the repeated key names and digit alphabet`,
    `metric names: encode|decode|get-decode[codec=<name>,size=vector|large] and get-decode[...,link=<KB/s>KBps] over the limited link; sizes: vector = the document's value (158 floats), large = ${dataset.lags} trading days of Alpha158 (NAME_LAG keys), about ${params.largeJsonKb} KB of dict JSON`,
    `sizes of ${samples} samples, another symbol and date each (${dataset.samples
      .slice(0, samples)
      .map((s) => `${s.symbol} ${s.date}`)
      .join(', ')}); timing round r stores and reads sample r`,
  );
}

/** Notes on the limited link, the anomalies and an interruption, after the per-cell notes. */
function runNotes(run: CompressionRun, notes: string[]): void {
  const { params, route, measurement: m } = run;
  if (route.skippedLimited !== null) notes.push(route.skippedLimited);
  if (route.clients.limited !== null)
    notes.push(
      `limited link: fault proxy bandwidth toxic ${params.bandwidthKbPerSecond} KB/s on replies (token bucket with a ${TokenBucket.burstMs} ms burst); before each timed read an untimed read of ${drainBytes(params.bandwidthKbPerSecond, TokenBucket.burstMs)} bytes empties the bucket, so the timed reply pays about bytes / bandwidth, as on a link other traffic keeps busy (an idle link would pass replies under the burst at full speed)`,
    );
  notes.push(`anomalies (wrong vector, miss): ${m.anomalyCount}`, ...m.anomalies.map((a) => `anomaly: ${a}`));
  if (m.result.interrupted)
    notes.push('interrupted: fewer timing rounds than planned; the unfinished round is in the histograms');
}

function conditions(run: CompressionRun, claimSize: ValueSize): string {
  const { context, params, dataset, measurement: m } = run;
  return [
    `${claimSize === 'large' ? `the document's large case: ${dataset.lags} days of Alpha158 as one dict of ${dataset.largeNames.length} named floats, ~${params.largeJsonKb} KB of JSON` : "the document's value: one dict of 158 named floats"}`,
    `gzip level ${params.gzipLevel} (zlib ${process.versions.zlib}); synthetic OHLCV bars (seed ${context.params.seed}); ${environmentConditions(context)}`,
    `trials: ${m.bytesPerSample.length} samples, each another symbol and as-of date (a week apart), encoded on their own (a size does not depend on what ran before)`,
    'ratio of payloads (the 4-byte frame header excluded on both sides)',
  ].join('; ');
}

export function compressionOutcome(run: CompressionRun): ScenarioOutcome {
  const { params, dataset, route, measurement: m } = run;
  const claimSize: ValueSize = dataset.lags > 0 ? 'large' : 'vector';
  const claimTrials = ratioTrials(m, 'json-object-gzip', claimSize);
  const values: Values = {};
  const notes: string[] = [];
  for (const size of new Set(m.cells.map((c) => c.size))) sizeFigures(run, size, values, notes);
  claimFigures(run, claimSize, values, notes);
  runNotes(run, notes);
  values.anomalies = {
    value: m.anomalyCount,
    unit: 'count',
    description: 'decodes or GETs that gave a wrong vector or a miss (expected 0)',
  };
  return {
    values,
    trials: { [CLAIM_ID]: claimTrials, 'gzip-ratio[size=vector]': ratioTrials(m, 'json-object-gzip', 'vector') },
    verdicts: [judgeClaim(run.claim, claimTrials, conditions(run, claimSize))],
    parameters: {
      ...params,
      lags: dataset.lags,
      cells: m.cells.map(cellLabel),
      limitedLink: route.clients.limited !== null,
    },
    notes,
  };
}

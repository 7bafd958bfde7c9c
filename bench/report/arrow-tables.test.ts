import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC, Type } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { summarizeHistogram } from '../analysis/latency-summary.ts';
import type { LatencySummary } from '../core/run-summary.ts';
import { MetricRecorder } from '../measure/metric-recorder.ts';
import { ARROW_FILES, ARROW_SCHEMA_VERSION, buildArrowFiles, intervalKey, summarizeIntervals } from './arrow-tables.ts';
import type { ArrowInput, ArrowRunSummary, ArrowVerdict } from './arrow-tables.ts';

const RUN_START = '2026-01-02T03:04:05.000Z';
const RUN_START_MS = Date.parse(RUN_START);
const LOG_START_MS = RUN_START_MS + 1_250;

/** Three intervals of `get`: values, nothing (an empty second), values again. */
function getRecorder(): MetricRecorder {
  const recorder = new MetricRecorder('get', LOG_START_MS);
  for (let i = 1; i <= 200; i++) recorder.recordNs(i * 13_001);
  recorder.cutInterval(LOG_START_MS + 1_000);
  recorder.cutInterval(LOG_START_MS + 2_000);
  recorder.recordNs(5_000_000);
  recorder.recordNs(7_500_000);
  recorder.cutInterval(LOG_START_MS + 2_987.5);
  return recorder;
}

const EMPTY: LatencySummary = {
  count: 0,
  minNs: null,
  meanNs: null,
  stddevNs: null,
  p50Ns: null,
  p90Ns: null,
  p99Ns: null,
  p999Ns: null,
  maxNs: null,
};

const VERDICTS: ArrowVerdict[] = [
  {
    claimId: 'cache.hit-latency',
    quote: 'HIT → Return cached features (5ms)',
    outcome: 'does not hold',
    claimed: 5,
    unit: 'ms',
    rule: { kind: 'approx', factor: 2 },
    measuredAs: 'p50 per round',
    measured: 0.25,
    interval: { low: 0.2, high: 0.3, coverage: 0.984375, trials: 7 },
    direction: 'better',
    explanation: 'measured 0.25 ms, 20× below',
    conditions: 'loopback (127.0.0.1)',
    thresholdSource: 'harness',
    thresholdReason: 'the factor 2 is the harness’s',
    ruleText: 'within 2x of 5 ms',
    failedTrials: 2,
  },
  // Written before threshold sources: the four newer fields are absent.
  {
    claimId: 'cache.hit-rate',
    quote: '80% hit rate × 5 symbols',
    outcome: 'not measured',
    claimed: 80,
    unit: '%',
    rule: { kind: 'within-points', points: 5 },
    measuredAs: 'hits / lookups',
    measured: null,
    interval: null,
    direction: null,
    explanation: 'scenario failed',
    conditions: '',
  },
];

function synthetic(startedAt = RUN_START): { input: ArrowInput; recorder: MetricRecorder; trials: LatencySummary[] } {
  const recorder = getRecorder();
  const trials = [
    summarizeHistogram(recorder.intervals()[0]!.histogram),
    EMPTY,
    summarizeHistogram(recorder.intervals()[2]!.histogram),
  ];
  const summary: ArrowRunSummary = {
    startedAt,
    scenarios: [
      {
        id: 'alpha',
        metrics: {
          get: { summary: summarizeHistogram(recorder.total()), trials, clamped: 3, invalid: 1 },
          idle: { summary: EMPTY, trials: [], clamped: 0, invalid: 0 },
        },
        values: {
          'value-bytes': { value: 2748, unit: 'bytes', description: 'stored size — median' },
          ratio: { value: Number.POSITIVE_INFINITY, unit: 'x', description: 'a division by zero' },
        },
        verdicts: [VERDICTS[0]!],
      },
      {
        id: 'beta',
        metrics: {},
        values: { missing: { value: null, unit: 'count', description: 'never measured' } },
        verdicts: [VERDICTS[1]!],
      },
    ],
  };
  const intervals = new Map([
    [intervalKey('alpha', 'get'), summarizeIntervals(recorder.intervals())],
    [intervalKey('alpha', 'idle'), []],
  ]);
  return { input: { summary, intervals }, recorder, trials };
}

function readAll(input: ArrowInput): Record<keyof typeof ARROW_FILES, Table> {
  const files = new Map(buildArrowFiles(input).map((file) => [file.relativePath, file.content]));
  const read = (path: string): Table => {
    const content = files.get(path);
    if (!(content instanceof Uint8Array)) throw new Error(`no binary ${path}`);
    return tableFromIPC(content);
  };
  return {
    intervals: read(ARROW_FILES.intervals),
    metrics: read(ARROW_FILES.metrics),
    trials: read(ARROW_FILES.trials),
    verdicts: read(ARROW_FILES.verdicts),
    values: read(ARROW_FILES.values),
  };
}

function rows(table: Table): Record<string, unknown>[] {
  return table.toArray().map((row) => ({ ...row.toJSON() }));
}

function columnTypes(table: Table): string[] {
  return table.schema.fields.map((field) => `${field.name}:${Type[field.typeId]}${field.nullable ? '?' : ''}`);
}

const LATENCY_TYPES = [
  'count:Float',
  'min_ns:Float?',
  'mean_ns:Float?',
  'stddev_ns:Float?',
  'p50_ns:Float?',
  'p90_ns:Float?',
  'p99_ns:Float?',
  'p999_ns:Float?',
  'max_ns:Float?',
];

function latencyColumns(s: LatencySummary): Record<string, number | null> {
  return {
    count: s.count,
    min_ns: s.minNs,
    mean_ns: s.meanNs,
    stddev_ns: s.stddevNs,
    p50_ns: s.p50Ns,
    p90_ns: s.p90Ns,
    p99_ns: s.p99Ns,
    p999_ns: s.p999Ns,
    max_ns: s.maxNs,
  };
}

describe('buildArrowFiles', () => {
  it('writes five Arrow IPC files (Feather v2: ARROW1 magic at both ends) at the top of the run folder', () => {
    const files = buildArrowFiles(synthetic().input);
    expect(files.map((f) => f.relativePath)).toEqual([
      'intervals.arrow',
      'metrics.arrow',
      'trials.arrow',
      'verdicts.arrow',
      'values.arrow',
    ]);
    for (const file of files) {
      const bytes = file.content as Uint8Array;
      expect(Buffer.from(bytes.subarray(0, 8)).toString('latin1')).toBe('ARROW1\0\0');
      expect(Buffer.from(bytes.subarray(bytes.length - 6)).toString('latin1')).toBe('ARROW1');
    }
  });

  it('intervals: one row per interval, times relative to the run start, figures equal to the histograms, nulls when empty', () => {
    const { input, recorder } = synthetic();
    const table = readAll(input).intervals;
    expect(columnTypes(table)).toEqual([
      'scenario:Utf8',
      'metric:Utf8',
      'interval_index:Int',
      'interval_start_ms:Float?',
      'interval_start_epoch_ms:Float?',
      'interval_length_ms:Float?',
      ...LATENCY_TYPES,
    ]);
    const expected = recorder.intervals().map((interval, index) => ({
      scenario: 'alpha',
      metric: 'get',
      interval_index: index,
      interval_start_ms: interval.startTimeMs - RUN_START_MS,
      interval_start_epoch_ms: interval.startTimeMs,
      interval_length_ms: interval.endTimeMs - interval.startTimeMs,
      ...latencyColumns(summarizeHistogram(interval.histogram)),
    }));
    expect(rows(table)).toEqual(expected);
    expect(rows(table).map((r) => [r.interval_start_ms, r.interval_length_ms, r.count])).toEqual([
      [1_250, 1_000, 200],
      [2_250, 1_000, 0],
      [3_250, 987.5, 2],
    ]);
    const empty = rows(table)[1]!;
    for (const name of ['min_ns', 'mean_ns', 'stddev_ns', 'p50_ns', 'p90_ns', 'p99_ns', 'p999_ns', 'max_ns'])
      expect(empty[name]).toBeNull();
    expect(table.getChild('p50_ns')!.nullCount).toBe(1);
  });

  it('metrics and trials: one row per metric and per trial, equal to the summary', () => {
    const { input, trials } = synthetic();
    const tables = readAll(input);
    expect(columnTypes(tables.metrics)).toEqual([
      'scenario:Utf8',
      'metric:Utf8',
      ...LATENCY_TYPES,
      'clamped:Float?',
      'invalid:Float?',
    ]);
    const alpha = input.summary.scenarios[0]!;
    expect(rows(tables.metrics)).toEqual([
      { scenario: 'alpha', metric: 'get', ...latencyColumns(alpha.metrics.get!.summary), clamped: 3, invalid: 1 },
      { scenario: 'alpha', metric: 'idle', ...latencyColumns(EMPTY), clamped: 0, invalid: 0 },
    ]);
    expect(columnTypes(tables.trials)).toEqual(['scenario:Utf8', 'metric:Utf8', 'trial:Int', ...LATENCY_TYPES]);
    expect(rows(tables.trials)).toEqual(
      trials.map((s, trial) => ({ scenario: 'alpha', metric: 'get', trial, ...latencyColumns(s) })),
    );
  });

  it('verdicts: one row per claim, non-ASCII quotes intact, nulls for what was not measured', () => {
    const table = readAll(synthetic().input).verdicts;
    expect(table.schema.fields.map((f) => f.name)).toEqual([
      'scenario',
      'claim_id',
      'quote',
      'outcome',
      'claimed',
      'unit',
      'measured',
      'interval_low',
      'interval_high',
      'coverage',
      'trials',
      'direction',
      'rule_kind',
      'rule_factor',
      'rule_points',
      'measured_as',
      'conditions',
      'explanation',
      'threshold_source',
      'threshold_reason',
      'rule_text',
      'failed_trials',
    ]);
    expect(rows(table)).toEqual([
      {
        scenario: 'alpha',
        claim_id: 'cache.hit-latency',
        quote: 'HIT → Return cached features (5ms)',
        outcome: 'does not hold',
        claimed: 5,
        unit: 'ms',
        measured: 0.25,
        interval_low: 0.2,
        interval_high: 0.3,
        coverage: 0.984375,
        trials: 7,
        direction: 'better',
        rule_kind: 'approx',
        rule_factor: 2,
        rule_points: null,
        measured_as: 'p50 per round',
        conditions: 'loopback (127.0.0.1)',
        explanation: 'measured 0.25 ms, 20× below',
        threshold_source: 'harness',
        threshold_reason: 'the factor 2 is the harness’s',
        rule_text: 'within 2x of 5 ms',
        failed_trials: 2,
      },
      {
        scenario: 'beta',
        claim_id: 'cache.hit-rate',
        quote: '80% hit rate × 5 symbols',
        outcome: 'not measured',
        claimed: 80,
        unit: '%',
        measured: null,
        interval_low: null,
        interval_high: null,
        coverage: null,
        trials: null,
        direction: null,
        rule_kind: 'within-points',
        rule_factor: null,
        rule_points: 5,
        measured_as: 'hits / lookups',
        conditions: '',
        explanation: 'scenario failed',
        threshold_source: null,
        threshold_reason: null,
        rule_text: null,
        failed_trials: null,
      },
    ]);
    expect(table.schema.fields.find((f) => f.name === 'failed_trials')?.metadata.get('unit')).toBe('count');
  });

  it('values: one row per named value; a non-finite value is null', () => {
    const table = readAll(synthetic().input).values;
    expect(columnTypes(table)).toEqual([
      'scenario:Utf8',
      'name:Utf8',
      'value:Float?',
      'unit:Utf8?',
      'description:Utf8?',
    ]);
    expect(rows(table)).toEqual([
      { scenario: 'alpha', name: 'value-bytes', value: 2748, unit: 'bytes', description: 'stored size — median' },
      { scenario: 'alpha', name: 'ratio', value: null, unit: 'x', description: 'a division by zero' },
      { scenario: 'beta', name: 'missing', value: null, unit: 'count', description: 'never measured' },
    ]);
  });

  it('no NaN and no BigInt anywhere: every cell is a string, a finite number or null', () => {
    for (const table of Object.values(readAll(synthetic('not a date').input))) {
      for (const row of rows(table)) {
        for (const [column, cell] of Object.entries(row)) {
          const ok = cell === null || typeof cell === 'string' || (typeof cell === 'number' && Number.isFinite(cell));
          expect(ok, `${column}: ${String(cell)}`).toBe(true);
        }
      }
    }
  });

  it('an unparseable run start leaves interval_start_ms null, the epoch times still set', () => {
    const table = readAll(synthetic('not a date').input).intervals;
    expect(table.getChild('interval_start_ms')!.nullCount).toBe(3);
    expect(table.getChild('interval_start_epoch_ms')!.get(0)).toBe(LOG_START_MS);
  });

  it('carries the schema version, the table name and units as metadata', () => {
    const tables = readAll(synthetic().input);
    for (const [name, table] of Object.entries(tables)) {
      expect(table.schema.metadata.get('rpb.schema')).toBe(ARROW_SCHEMA_VERSION);
      expect(table.schema.metadata.get('rpb.table')).toBe(name);
      expect(table.schema.metadata.get('rpb.run_started_at')).toBe(RUN_START);
    }
    const unit = (table: Table, column: string): string | undefined =>
      table.schema.fields.find((f) => f.name === column)?.metadata.get('unit');
    expect(unit(tables.intervals, 'p99_ns')).toBe('ns');
    expect(unit(tables.intervals, 'interval_length_ms')).toBe('ms');
    expect(unit(tables.metrics, 'count')).toBe('count');
  });

  it('a run with nothing in it still gives every file its full schema and no rows', () => {
    const tables = readAll({ summary: { startedAt: RUN_START, scenarios: [] }, intervals: new Map() });
    const full = readAll(synthetic().input);
    for (const name of Object.keys(ARROW_FILES) as (keyof typeof ARROW_FILES)[]) {
      expect(tables[name].numRows).toBe(0);
      expect(columnTypes(tables[name])).toEqual(columnTypes(full[name]));
    }
  });
});

/*
 * The consumer check: pandas (through pyarrow) opens what we write. Only where python3 has both;
 * nothing is installed for it.
 */
const PYTHON_CHECK = spawnSync('python3', ['-c', 'import pandas, pyarrow'], { stdio: 'ignore', timeout: 60_000 });
const pandasReady = PYTHON_CHECK.status === 0;
if (!pandasReady)
  console.info(
    'arrow-tables.test.ts: skipping the pandas.read_feather check: python3 with pandas and pyarrow is not available',
  );

describe.skipIf(!pandasReady)('pandas reads the files', () => {
  it('pandas.read_feather gives the rows, the non-ASCII text and NaN for nulls', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rpb-arrow-pandas-'));
    try {
      for (const file of buildArrowFiles(synthetic().input)) writeFileSync(join(dir, file.relativePath), file.content);
      const script = [
        'import json, sys, pandas',
        'v = pandas.read_feather(sys.argv[1] + "/verdicts.arrow")',
        'i = pandas.read_feather(sys.argv[1] + "/intervals.arrow")',
        'print(json.dumps({"verdicts": len(v), "quote": v["quote"][0], "intervals": len(i), "nullP50": int(i["p50_ns"].isna().sum()), "countType": str(i["count"].dtype)}))',
      ].join('\n');
      const result = spawnSync('python3', ['-c', script, dir], { encoding: 'utf8', timeout: 60_000 });
      expect(result.status, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        verdicts: 2,
        quote: 'HIT → Return cached features (5ms)',
        intervals: 3,
        nullP50: 1,
        countType: 'float64',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

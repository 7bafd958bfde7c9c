import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { summarizeHistogram } from '../analysis/latency-summary.ts';
import { ConfigError } from '../errors.ts';
import { MetricRecorder } from '../measure/metric-recorder.ts';
import { RecorderSet } from '../measure/recorder-set.ts';
import { SUMMARY_SCHEMA } from '../core/run-summary.ts';
import { loadArrowInput, recorderIntervals } from './arrow-input.ts';
import { buildArrowFiles, intervalKey, summarizeIntervals } from './arrow-tables.ts';
import { formatHlog } from './hlog-writer.ts';

const START_MS = 1_767_323_045_000;

function recorderWithTwoIntervals(): MetricRecorder {
  const recorder = new MetricRecorder('get', START_MS);
  for (let i = 1; i <= 100; i++) recorder.recordNs(i * 21_001);
  recorder.cutInterval(START_MS + 1_000);
  recorder.recordNs(3_000_000);
  recorder.cutInterval(START_MS + 2_000);
  return recorder;
}

function metricEntry(recorder: MetricRecorder, hlog: string | undefined): Record<string, unknown> {
  const summary = summarizeHistogram(recorder.total());
  // An older summary.json: no per-trial summaries.
  return {
    unit: 'ns',
    summary,
    clamped: 0,
    invalid: 0,
    ...(hlog === undefined ? {} : { files: { hgrm: hlog.replace('.hlog', '.hgrm'), hlog } }),
  };
}

describe('loadArrowInput', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rpb-arrow-input-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function writeRun(): MetricRecorder {
    const recorder = recorderWithTwoIntervals();
    mkdirSync(join(dir, 's1'));
    writeFileSync(
      join(dir, 's1/get.hlog'),
      formatHlog({ startTimeMs: START_MS, intervals: recorder.intervals(), tag: 'get' }),
    );
    writeFileSync(
      join(dir, 's1/bad.hlog'),
      `${formatHlog({ startTimeMs: START_MS, intervals: [] })}0.000,1.000,1.0,not-base64!\n`,
    );
    writeFileSync(
      join(dir, 's1/nostart.hlog'),
      '#[Histogram log format version 1.3]\n"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"\n',
    );
    const summary = {
      schema: SUMMARY_SCHEMA,
      startedAt: new Date(START_MS - 500).toISOString(),
      extraFieldFromANewerHarness: true,
      scenarios: [
        {
          id: 's1',
          status: 'ok',
          metrics: {
            get: metricEntry(recorder, 's1/get.hlog'),
            gone: metricEntry(recorder, 's1/gone.hlog'),
            bad: metricEntry(recorder, 's1/bad.hlog'),
            nostart: metricEntry(recorder, 's1/nostart.hlog'),
            escape: metricEntry(recorder, '../outside.hlog'),
            unnamed: metricEntry(recorder, undefined),
          },
          values: {},
          verdicts: [],
        },
      ],
    };
    writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary));
    return recorder;
  }

  it('reads summary.json and each .hlog: intervals as the recorder cut them, one warning per metric it could not read', async () => {
    const recorder = writeRun();
    const { input, warnings } = await loadArrowInput(dir);
    expect([...input.intervals.keys()]).toEqual([intervalKey('s1', 'get')]);
    expect(input.intervals.get(intervalKey('s1', 'get'))).toEqual(summarizeIntervals(recorder.intervals()));
    expect(warnings).toHaveLength(5);
    expect(warnings[0]).toMatch(/^s1 gone: s1\/gone\.hlog: missing; intervals left out$/);
    expect(warnings[1]).toMatch(/^s1 bad: s1\/bad\.hlog: malformed \.hlog interval/);
    expect(warnings[2]).toMatch(/^s1 nostart: .*no #\[StartTime\] header/);
    expect(warnings[3]).toMatch(/^s1 escape: .*path outside the run folder/);
    expect(warnings[4]).toMatch(/^s1 unnamed: summary\.json names no \.hlog file/);
    // A summary from before per-trial histograms reads as no trials.
    expect(input.summary.scenarios[0]!.metrics.get!.trials).toEqual([]);

    const tables = buildArrowFiles(input).map((file) => tableFromIPC(file.content as Uint8Array));
    expect(tables.map((table) => table.numRows)).toEqual([2, 6, 0, 0, 0]);
    expect(tables[0]!.getChild('interval_start_ms')!.toArray()).toEqual(new Float64Array([500, 1_500]));
  });

  it('keeps the threshold source, rule text and failed trials of a verdict; older verdicts without them load', async () => {
    const base = {
      quote: 'q',
      outcome: 'holds',
      claimed: 5,
      unit: 'ms',
      rule: { kind: 'at-most' },
      measuredAs: 'p50',
      measured: 1,
      interval: { low: 1, high: 1, coverage: 0.75, trials: 3 },
      direction: null,
      explanation: 'e',
      conditions: 'c',
    };
    const current = {
      ...base,
      claimId: 'new',
      thresholdSource: 'harness',
      thresholdReason: 'chosen here',
      ruleText: '<= 5 ms',
      coverage: 0.75,
      trials: 3,
      failedTrials: 1,
      figures: [],
    };
    const summary = {
      schema: SUMMARY_SCHEMA,
      startedAt: new Date(START_MS).toISOString(),
      scenarios: [{ id: 's1', metrics: {}, values: {}, verdicts: [current, { ...base, claimId: 'old' }] }],
    };
    writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary));
    const { input } = await loadArrowInput(dir);
    const verdicts = tableFromIPC(buildArrowFiles(input).find((f) => f.relativePath === 'verdicts.arrow')!.content);
    const row = (i: number) => verdicts.get(i)!.toJSON();
    expect(row(0)).toMatchObject({
      claim_id: 'new',
      threshold_source: 'harness',
      threshold_reason: 'chosen here',
      rule_text: '<= 5 ms',
      failed_trials: 1,
    });
    expect(row(1)).toMatchObject({ claim_id: 'old', threshold_source: null, rule_text: null, failed_trials: null });
  });

  it('a missing, broken or foreign summary.json is a ConfigError naming the problems', async () => {
    await expect(loadArrowInput(dir)).rejects.toThrow(ConfigError);
    writeFileSync(join(dir, 'summary.json'), '{"schema": ');
    await expect(loadArrowInput(dir)).rejects.toThrow(/not valid JSON/);
    writeFileSync(
      join(dir, 'summary.json'),
      JSON.stringify({
        schema: 'other/v9',
        startedAt: 'x',
        scenarios: [{ id: 's', metrics: { m: { summary: { count: 'many' } } } }],
      }),
    );
    const error = await loadArrowInput(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^schema:/m);
    expect(problems).toMatch(/^scenarios\.0\.metrics\.m\.summary\.count:/m);
  });
});

describe('recorderIntervals', () => {
  it('summarizes the closed intervals of every metric of a live recorder set, keyed by scenario and metric', () => {
    let now = START_MS;
    const recorders = new RecorderSet({ clock: () => now });
    recorders.metric('a').recordNs(1_000);
    recorders.metric('b').recordNs(2_000_000);
    now += 1_000;
    recorders.cutAll();
    recorders.metric('a').recordNs(1_500); // below 2048 ns a bucket holds one value, so max is exact
    now += 1_000;
    recorders.cutAll();
    const intervals = recorderIntervals('scn', recorders);
    expect([...intervals.keys()]).toEqual(['scn/a', 'scn/b']);
    expect(intervals.get('scn/a')!.map((i) => [i.startTimeMs, i.endTimeMs, i.summary.count, i.summary.maxNs])).toEqual([
      [START_MS, START_MS + 1_000, 1, 1_000],
      [START_MS + 1_000, START_MS + 2_000, 1, 1_500],
    ]);
    expect(intervals.get('scn/b')!.map((i) => i.summary.count)).toEqual([1, 0]);
  });
});

import { describe, expect, it } from 'vitest';
import { HistogramLogReader } from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import { ConfigError } from '../errors.ts';
import { createLatencyHistogram } from '../measure/histogram-bounds.ts';
import { MetricRecorder } from '../measure/metric-recorder.ts';
import { formatHlog, HLOG_LEGEND } from './hlog-writer.ts';

const START_MS = 1_700_000_000_123;

/** Four 1-second intervals (the third is empty) with known values. */
function recorded(): MetricRecorder {
  const recorder = new MetricRecorder('get', START_MS);
  for (let i = 1; i <= 1_000; i++) recorder.recordNs(i * 1_000);
  recorder.cutInterval(START_MS + 1_000);
  for (let i = 1; i <= 100; i++) recorder.recordNs(i * 250_000);
  recorder.recordNs(2_000_000_000);
  recorder.cutInterval(START_MS + 2_000);
  recorder.cutInterval(START_MS + 3_000);
  recorder.recordNs(42);
  recorder.cutInterval(START_MS + 3_500);
  return recorder;
}

function readAll(text: string): Histogram[] {
  const reader = new HistogramLogReader(text, 64);
  const histograms: Histogram[] = [];
  for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) histograms.push(h);
  return histograms;
}

const figures = (h: Histogram): number[] => [
  h.totalCount,
  h.getValueAtPercentile(50),
  h.getValueAtPercentile(99),
  h.getValueAtPercentile(100),
  h.maxValue,
];

describe('formatHlog', () => {
  const recorder = recorded();
  const text = formatHlog({ startTimeMs: START_MS, intervals: recorder.intervals() });
  const lines = text.split('\n');

  it('writes the 1.3 header, StartTime, BaseTime and the exact legend line', () => {
    expect(lines[0]).toBe('#[Histogram log format version 1.3]');
    expect(lines[1]).toBe('#[StartTime: 1700000000.123 (seconds since epoch), Tue Nov 14 22:13:20 UTC 2023]');
    expect(lines[2]).toBe('#[BaseTime: 1700000000.123 (seconds since epoch)]');
    expect(lines[3]).toBe(HLOG_LEGEND);
    expect(lines[3]).toBe('"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(4 + 4 + 1);
  });

  it('writes relative start, length and max in ms with 3 decimals', () => {
    const fields = lines.slice(4, 8).map((line) => line.split(',').slice(0, 3));
    expect(fields).toEqual([
      ['0.000', '1.000', '1.000'],
      ['1.000', '1.000', '2000.683'],
      ['2.000', '1.000', '0.000'],
      ['3.000', '0.500', '0.000'],
    ]);
  });

  it('reads back with hdr-histogram-js HistogramLogReader: same intervals, counts, percentiles and max', () => {
    const read = readAll(text);
    const originals = recorder.intervals().map((interval) => interval.histogram);
    expect(read).toHaveLength(originals.length);
    read.forEach((histogram, i) => {
      expect(figures(histogram)).toEqual(figures(originals[i]));
      expect(histogram.startTimeStampMsec).toBeCloseTo(recorder.intervals()[i].startTimeMs, 3);
      expect(histogram.endTimeStampMsec).toBeCloseTo(recorder.intervals()[i].endTimeMs, 3);
    });
    const merged = createLatencyHistogram();
    for (const histogram of read) merged.add(histogram);
    expect(figures(merged)).toEqual(figures(recorder.total()));
    expect(merged.totalCount).toBe(1_102);
  });

  it('tags every interval line and the reader returns the tag', () => {
    const tagged = formatHlog({ startTimeMs: START_MS, intervals: recorder.intervals(), tag: 'get.hit' });
    const intervalLines = tagged.split('\n').slice(4, -1);
    expect(
      intervalLines.every(
        (line) =>
          line.startsWith('Tag=get.hit,0.') ||
          line.startsWith('Tag=get.hit,1.') ||
          line.startsWith('Tag=get.hit,2.') ||
          line.startsWith('Tag=get.hit,3.'),
      ),
    ).toBe(true);
    expect(readAll(tagged).map((h) => h.tag)).toEqual(['get.hit', 'get.hit', 'get.hit', 'get.hit']);
  });

  it('rejects a tag that the log scanner would split', () => {
    for (const tag of ['a,b', 'a b', 'a\nb', '']) {
      expect(() => formatHlog({ startTimeMs: START_MS, intervals: [], tag })).toThrow(ConfigError);
    }
  });

  it('writes each comment line as a # line before the version', () => {
    const commented = formatHlog({
      startTimeMs: START_MS,
      intervals: [],
      comment: '[Logged by rpb]\nscenario=miss-vs-hit',
    }).split('\n');
    expect(commented.slice(0, 3)).toEqual([
      '#[Logged by rpb]',
      '#scenario=miss-vs-hit',
      '#[Histogram log format version 1.3]',
    ]);
  });

  it('scales Interval_Max by the given ratio and rounds a fractional start to whole ms', () => {
    const histogram = createLatencyHistogram();
    histogram.recordValue(1_500);
    const out = formatHlog({
      startTimeMs: START_MS + 0.4,
      intervals: [{ startTimeMs: START_MS + 250.4, endTimeMs: START_MS + 1_250.4, histogram }],
      maxValueUnitRatio: 1,
    });
    expect(out.split('\n')[1]).toContain('1700000000.123 ');
    expect(out.split('\n')[4].split(',').slice(0, 3)).toEqual(['0.250', '1.000', '1500.000']);
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { summarizeHistogram } from '../analysis/latency-summary.ts';
import { MetricRecorder } from '../measure/metric-recorder.ts';
import { parseHlog } from './hlog-reader.ts';
import { formatHlog } from './hlog-writer.ts';
import { JHICCUP_LOG_HEAD } from './fixtures/jhiccup-log-head.ts';

const START_MS = 1_700_000_000_123;

describe('parseHlog', () => {
  it('round-trips our own log: start time, interval times, tags and summaries', () => {
    const recorder = new MetricRecorder('get', START_MS);
    for (let i = 1; i <= 500; i++) recorder.recordNs(i * 10_000);
    recorder.cutInterval(START_MS + 1_000);
    recorder.recordNs(7_000_000);
    recorder.cutInterval(START_MS + 2_017);
    const intervals = recorder.intervals();

    const plain = parseHlog(formatHlog({ startTimeMs: START_MS, intervals }));
    expect(plain.startTimeMs).toBe(START_MS);
    expect(plain.intervals.map((i) => [i.startTimeMs, i.endTimeMs, i.tag])).toEqual([
      [START_MS, START_MS + 1_000, undefined],
      [START_MS + 1_000, START_MS + 2_017, undefined],
    ]);
    plain.intervals.forEach((parsed, i) =>
      expect(summarizeHistogram(parsed.histogram)).toEqual(summarizeHistogram(intervals[i].histogram)),
    );

    const tagged = parseHlog(formatHlog({ startTimeMs: START_MS, intervals, tag: 'get' }));
    expect(tagged.intervals.map((i) => i.tag)).toEqual(['get', 'get']);
  });

  it('reads a log written by Java jHiccup (relative stamps against StartTime, no BaseTime)', () => {
    const parsed = parseHlog(JHICCUP_LOG_HEAD);
    expect(parsed.startTimeMs).toBe(1_441_753_532_570);
    expect(parsed.intervals.map((i) => [i.startTimeMs, i.endTimeMs])).toEqual([
      [1_441_753_532_696, 1_441_753_533_703],
      [1_441_753_533_703, 1_441_753_534_703],
    ]);
    // Interval_Max says 1.933 ms; at 2 significant digits the histogram's max lands within 1%.
    const maxNs = summarizeHistogram(parsed.intervals[0].histogram).maxNs ?? 0;
    expect(Math.abs(maxNs - 1_933_000) / 1_933_000).toBeLessThan(0.01);
    expect(parsed.intervals[0].histogram.totalCount).toBeGreaterThan(0);
  });

  it('a log without StartTime has a null start time', () => {
    const withoutStart = JHICCUP_LOG_HEAD.split('\n')
      .filter((line) => !line.startsWith('#[StartTime'))
      .join('\n');
    const parsed = parseHlog(withoutStart);
    expect(parsed.startTimeMs).toBeNull();
    expect(parsed.intervals).toHaveLength(2);
  });

  it('a malformed interval line is a ConfigError naming the line', () => {
    const broken = `${JHICCUP_LOG_HEAD}2.000,1.000,0.5,not-a-histogram\n`;
    expect(() => parseHlog(broken)).toThrow(ConfigError);
    expect(() => parseHlog(broken)).toThrow(/line 7:/);
  });

  it('an empty text has no intervals', () => {
    expect(parseHlog('')).toEqual({ startTimeMs: null, intervals: [] });
  });
});

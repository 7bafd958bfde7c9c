import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { createLatencyHistogram } from '../measure/histogram-bounds.ts';
import { MetricRecorder } from '../measure/metric-recorder.ts';
import { parseHlog } from './hlog-reader.ts';
import { formatHlog } from './hlog-writer.ts';
import { writeSyntheticRun } from './html/fixtures/synthetic-run.ts';
import { loadReportData, percentileDistribution, timelinePoints } from './report-data.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rpb-report-data-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadReportData', () => {
  it('derives percentile and per-second points from every metric .hlog', async () => {
    await writeSyntheticRun(dir);
    const data = await loadReportData(dir);
    expect(data.warnings).toEqual([]);
    expect(data.scenarios.map((s) => s.metrics.map((m) => m.name))).toEqual([
      ['hit.signal', 'miss.signal'],
      ['publish'],
    ]);
    const miss = data.scenarios[0].metrics[1];
    expect(miss.timeline.map((p) => p.startSec)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(miss.timeline.every((p) => p.count === 200 && p.ratePerSec === 200 && p.durationSec === 1)).toBe(true);
    // Seconds 3 and 4 are the fault window of the fixture: ten times slower.
    const p50 = miss.timeline.map((p) => p.p50Ms as number);
    expect(p50[3] / p50[2]).toBeGreaterThan(5);
    expect(p50[5] / p50[4]).toBeLessThan(0.2);
    const points = miss.percentiles;
    expect(points[0]).toMatchObject({ percentile: 0, inverseTail: 1 });
    expect(points.at(-1)?.inverseTail).toBe(1600);
    expect(points.at(-1)?.valueMs).toBeCloseTo((miss.report.summary.maxNs as number) / 1e6, 6);
    for (let i = 1; i < points.length; i++) {
      expect(points[i].inverseTail).toBeGreaterThan(points[i - 1].inverseTail);
      expect(points[i].valueMs).toBeGreaterThanOrEqual(points[i - 1].valueMs);
    }
  });

  it('a missing or corrupt .hlog costs that metric its plots, with a warning, not the report', async () => {
    await writeSyntheticRun(dir);
    await unlink(path.join(dir, 'cache-demo/hit.signal.hlog'));
    await writeFile(
      path.join(dir, 'events-demo/publish.hlog'),
      '#[Histogram log format version 1.3]\n0.000,1.000,0.5,not-base64-histogram\n',
    );
    const data = await loadReportData(dir);
    expect(data.warnings).toHaveLength(2);
    expect(data.warnings[0]).toMatch(
      /cache-demo\/hit\.signal: cannot read cache-demo\/hit\.signal\.hlog \(file not found\)/,
    );
    expect(data.warnings[1]).toMatch(/events-demo\/publish: cannot read .*malformed \.hlog interval/);
    const hit = data.scenarios[0].metrics[0];
    expect(hit.percentiles).toEqual([]);
    expect(hit.timeline).toEqual([]);
    expect(hit.report.summary.count).toBe(3200);
    expect(data.scenarios[0].metrics[1].percentiles.length).toBeGreaterThan(0);
  });

  it('a .hlog that disagrees with summary.json is plotted with a warning', async () => {
    const summary = await writeSyntheticRun(dir);
    const edited = structuredClone(summary) as unknown as {
      scenarios: { metrics: Record<string, { summary: { count: number } }> }[];
    };
    edited.scenarios[1].metrics.publish.summary.count = 5;
    await writeFile(path.join(dir, 'summary.json'), JSON.stringify(edited));
    const data = await loadReportData(dir);
    expect(data.warnings).toEqual([
      expect.stringMatching(/events-demo\/publish: .* holds 1800 values but summary\.json counts 5/),
    ]);
  });

  it('fills claims and target.network for a summary written before those fields existed', async () => {
    const summary = await writeSyntheticRun(dir);
    const { claims: _claims, ...legacy } = summary;
    const scenarios = legacy.scenarios.map((s, i) => ({
      ...s,
      target: {
        kind: i === 0 ? 'managed' : 'url',
        redactedUrl: i === 0 ? 'redis://127.0.0.1:1' : 'redis://cache.example:6379',
        redisVersion: '7.0.15',
        config: null,
      },
    }));
    await writeFile(path.join(dir, 'summary.json'), JSON.stringify({ ...legacy, scenarios }));
    const data = await loadReportData(dir);
    expect(data.summary.scenarios.map((s) => s.target?.network)).toEqual([
      'loopback (127.0.0.1)',
      'network (cache.example)',
    ]);
    expect(data.summary.claims.map((c) => [c.scenario, c.verdict.claimId])).toEqual([
      ['cache-demo', 'cache.hit-latency'],
      ['cache-demo', 'cache.speedup'],
      ['events-demo', 'events.batch-speedup'],
      ['events-demo', 'events.fanout-speedup'],
    ]);
  });

  it('a folder without summary.json is a ConfigError naming the file and the fix', async () => {
    const error = await loadReportData(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(path.join(dir, 'summary.json'));
    expect((error as ConfigError).hint).toMatch(/rpb run/);
  });

  it('invalid JSON and a wrong schema are ConfigErrors', async () => {
    await writeFile(path.join(dir, 'summary.json'), '{"schema": "rpb.summary/v1", ');
    await expect(loadReportData(dir)).rejects.toThrow(/is not valid JSON/);
    await writeFile(
      path.join(dir, 'summary.json'),
      JSON.stringify({ schema: 'rpb.summary/v0', environment: {}, scenarios: [] }),
    );
    const error = await loadReportData(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual(['schema is "rpb.summary/v0", expected "rpb.summary/v1"']);
    await writeFile(
      path.join(dir, 'summary.json'),
      JSON.stringify({ schema: 'rpb.summary/v1', environment: {}, scenarios: [{ id: 1 }] }),
    );
    await expect(loadReportData(dir)).rejects.toThrow(
      /scenarios\[0\]\.id is not a string; scenarios\[0\]\.metrics is not an object/,
    );
  });
});

describe('percentileDistribution', () => {
  it('is empty for an empty histogram and a single point for one value', () => {
    const histogram = createLatencyHistogram();
    expect(percentileDistribution(histogram)).toEqual([]);
    histogram.recordValue(2_000_000);
    const points = percentileDistribution(histogram);
    expect(points).toHaveLength(1);
    expect(points[0].inverseTail).toBe(1);
    expect(points[0].valueMs).toBeCloseTo(2, 2);
  });

  it('stops at the tail the count resolves, then adds the max', () => {
    const histogram = createLatencyHistogram();
    for (let i = 1; i <= 150; i++) histogram.recordValue(i * 1_000);
    const points = percentileDistribution(histogram);
    expect(points.at(-2)?.inverseTail).toBeCloseTo(10 ** 2.1, 6);
    expect(points.at(-1)).toMatchObject({ inverseTail: 150 });
    expect(points.at(-1)?.valueMs).toBeCloseTo(0.15, 3);
  });
});

describe('timelinePoints', () => {
  it('drops zero-length empty intervals but keeps an empty second (a stall) as a gap', () => {
    const start = 1_700_000_000_000;
    const recorder = new MetricRecorder('m', start);
    recorder.recordNs(1_000_000);
    recorder.cutInterval(start + 1_000);
    recorder.cutInterval(start + 1_000);
    recorder.cutInterval(start + 2_000);
    const points = timelinePoints(parseHlog(formatHlog({ startTimeMs: start, intervals: recorder.intervals() })));
    expect(points.map((p) => [p.startSec, p.count, p.p50Ms === null, p.ratePerSec])).toEqual([
      [0, 1, false, 1],
      [1, 0, true, 0],
    ]);
  });
});

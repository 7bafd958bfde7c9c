import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLatencyHistogram } from '../measure/histogram-bounds.ts';
import { MetricRecorder } from '../measure/metric-recorder.ts';
import { formatHgrm } from './hgrm-writer.ts';
import { formatHlog } from './hlog-writer.ts';

/*
 * The reference check: Java HdrHistogram's HistogramLogProcessor reads our .hlog and prints the
 * total distribution; it must equal our .hgrm. Runs only where java and the HdrHistogram jar are
 * present (HDRHISTOGRAM_JAR, or the Maven cache).
 */
const JAR =
  process.env.HDRHISTOGRAM_JAR ??
  join(homedir(), '.m2/repository/org/hdrhistogram/HdrHistogram/2.2.2/HdrHistogram-2.2.2.jar');
const javaReady = existsSync(JAR) && spawnSync('java', ['-version'], { stdio: 'ignore', timeout: 30_000 }).status === 0;

/** Drops the two comment lines HistogramLogProcessor puts above outputPercentileDistribution's text. */
function processorHgrm(dir: string, hlog: string, extraArgs: string[]): string {
  writeFileSync(join(dir, 'in.hlog'), hlog);
  execFileSync(
    'java',
    [
      '-cp',
      JAR,
      'org.HdrHistogram.HistogramLogProcessor',
      '-i',
      join(dir, 'in.hlog'),
      '-o',
      join(dir, 'out'),
      ...extraArgs,
    ],
    { stdio: 'ignore', timeout: 60_000 },
  );
  const lines = readFileSync(join(dir, 'out.hgrm'), 'utf8').split('\n');
  expect(lines[0]).toMatch(/^#\[Overall percentile distribution/);
  return lines.slice(2).join('\n');
}

describe.skipIf(!javaReady)('Java HdrHistogram reads our .hlog', () => {
  it('HistogramLogProcessor prints exactly our .hgrm for the total, plain and tagged, in ms and us', () => {
    const start = 1_700_000_000_123;
    const recorder = new MetricRecorder('get', start);
    let seed = 7;
    for (let second = 1; second <= 4; second++) {
      for (let i = 0; i < 5_000; i++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        recorder.recordNs(Math.floor(Math.exp(Math.log(20_000) + (seed / 2147483648) * (6 + second))));
      }
      recorder.cutInterval(start + second * 1_000);
    }
    const dir = mkdtempSync(join(tmpdir(), 'rpb-hlog-java-'));
    try {
      const intervals = recorder.intervals();
      const ms = formatHgrm(recorder.total(), { unit: 'ms' });
      expect(processorHgrm(dir, formatHlog({ startTimeMs: start, intervals }), [])).toBe(ms);
      expect(processorHgrm(dir, formatHlog({ startTimeMs: start, intervals, tag: 'get' }), ['-tag', 'get'])).toBe(ms);
      const us = formatHgrm(recorder.total(), { unit: 'us' });
      expect(processorHgrm(dir, formatHlog({ startTimeMs: start, intervals }), ['-outputValueUnitRatio', '1000'])).toBe(
        us,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('also for histograms recorded value by value, whose raw max Java reports as its highest equivalent', () => {
    const start = 1_700_000_000_000;
    const intervals = [1, 2].map((second) => {
      const histogram = createLatencyHistogram();
      for (let i = 1; i <= 3_000; i++) histogram.recordValue(i * 333 * second + 17);
      return { startTimeMs: start + (second - 1) * 1_000, endTimeMs: start + second * 1_000, histogram };
    });
    const total = createLatencyHistogram();
    for (const interval of intervals) total.add(interval.histogram);
    const dir = mkdtempSync(join(tmpdir(), 'rpb-hlog-java-'));
    try {
      expect(processorHgrm(dir, formatHlog({ startTimeMs: start, intervals }), [])).toBe(
        formatHgrm(total, { unit: 'ms' }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

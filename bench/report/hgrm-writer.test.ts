import { describe, expect, it } from 'vitest';
import { createLatencyHistogram } from '../measure/histogram-bounds.ts';
import { formatHgrm } from './hgrm-writer.ts';

const HEADER = '       Value     Percentile TotalCount 1/(1-Percentile)';

interface Row {
  value: number;
  percentile: number;
  totalCount: number;
  inverse: number | null;
  columns: number;
}

function parse(text: string): { header: string; blank: string; rows: Row[]; footer: Record<string, number> } {
  const lines = text.split('\n');
  expect(lines.at(-1)).toBe('');
  const rows: Row[] = [];
  const footer: Record<string, number> = {};
  for (const line of lines.slice(2, -1)) {
    if (line.startsWith('#[')) {
      for (const match of line.matchAll(/([A-Za-z][A-Za-z ]*?)\s*=\s*(-?[\d.]+)/g)) footer[match[1]] = Number(match[2]);
      continue;
    }
    const columns = line.trim().split(/\s+/);
    rows.push({
      value: Number(columns[0]),
      percentile: Number(columns[1]),
      totalCount: Number(columns[2]),
      inverse: columns[3] === undefined ? null : Number(columns[3]),
      columns: columns.length,
    });
  }
  return { header: lines[0], blank: lines[1], rows, footer };
}

describe('formatHgrm', () => {
  const histogram = createLatencyHistogram();
  for (let i = 1; i <= 1_000; i++) histogram.recordValue(i * 1_000); // 1 us .. 1 ms
  histogram.recordValue(1_000_000);
  histogram.recordValue(250_000_000);

  it('has the header, 4 columns per row, 3 on the last row at percentile 1.0, monotonic percentiles', () => {
    const { header, blank, rows } = parse(formatHgrm(histogram, { unit: 'ms' }));
    expect(header).toBe(HEADER);
    expect(blank).toBe('');
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows.slice(0, -1)) {
      expect(row.columns).toBe(4);
      expect(row.inverse).toBeCloseTo(1 / (1 - row.percentile), 1);
    }
    const last = rows.at(-1) as Row;
    expect(last.columns).toBe(3);
    expect(last.percentile).toBe(1);
    expect(last.totalCount).toBe(1_002);
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i].percentile).toBeGreaterThan(rows[i - 1].percentile);
      expect(rows[i].value).toBeGreaterThanOrEqual(rows[i - 1].value);
      expect(rows[i].totalCount).toBeGreaterThanOrEqual(rows[i - 1].totalCount);
    }
  });

  it('has a parseable footer whose Max is the last row and whose Total count is the recorded count', () => {
    const { rows, footer } = parse(formatHgrm(histogram, { unit: 'ms' }));
    expect(Object.keys(footer).sort()).toEqual(['Buckets', 'Max', 'Mean', 'StdDeviation', 'SubBuckets', 'Total count']);
    expect(footer['Total count']).toBe(1_002);
    expect(footer.Max).toBe(rows.at(-1)?.value);
    expect(footer.Max).toBeCloseTo(250, 0);
    expect(footer.Buckets).toBe(32);
    expect(footer.SubBuckets).toBe(2048);
    expect(footer.Mean).toBeGreaterThan(0.4);
    expect(footer.StdDeviation).toBeGreaterThan(0);
  });

  it('scales ns to ms and to us', () => {
    const single = createLatencyHistogram();
    single.recordValue(1_000_000);
    const ms = parse(formatHgrm(single, { unit: 'ms' }));
    expect(ms.rows.map((row) => row.value)).toEqual(ms.rows.map(() => 1));
    expect(formatHgrm(single, { unit: 'ms' })).toContain('       1.000 1.000000000000          1\n');
    const us = parse(formatHgrm(single, { unit: 'us' }));
    // Rows and Max print the highest value equivalent to 1 ms at 3 digits (1 000 447 ns), as Java does.
    expect(us.rows.map((row) => row.value)).toEqual(us.rows.map(() => 1000.447));
    expect(us.footer.Max).toBe(1000.447);
  });

  it('an empty histogram gives the header and a zero footer', () => {
    const text = formatHgrm(createLatencyHistogram(), { unit: 'ms' });
    const { header, rows, footer } = parse(text);
    expect(header).toBe(HEADER);
    expect(rows).toEqual([]);
    expect(footer).toEqual({ Mean: 0, StdDeviation: 0, Max: 0, 'Total count': 0, Buckets: 32, SubBuckets: 2048 });
    expect(text).not.toMatch(/NaN|Infinity/);
  });
});

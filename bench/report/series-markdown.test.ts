import { describe, expect, it } from 'vitest';
import { renderSeriesMarkdown } from './series-markdown.ts';

describe('series as Markdown tables', () => {
  it('puts series with the same axes in one table, aligned on x', () => {
    const text = renderSeriesMarkdown({
      measured: { x: [1, 2], y: [50, 70], xLabel: 'maxmemory (MB)', yLabel: 'hit rate (%)' },
      predicted: { x: [1, 1.5, 2], y: [52, 61, 71.25], xLabel: 'maxmemory (MB)', yLabel: 'hit rate (%)' },
      other: { x: [5], y: [1], xLabel: 'TTL (s)', yLabel: 'hit rate (%)' },
    });
    expect(text).toContain('| maxmemory (MB) | measured | predicted |');
    expect(text).toContain('| 1 | 50 | 52 |');
    expect(text).toContain('| 1.5 |  | 61 |');
    expect(text).toContain('| 2 | 70 | 71.25 |');
    expect(text).toContain('**hit rate (%)** by TTL (s)');
  });
});

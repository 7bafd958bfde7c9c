import type { Histogram } from 'hdr-histogram-js';
import { histogramMaxNs } from '../analysis/latency-summary.ts';
import { NS_PER_UNIT } from '../measure/histogram-bounds.ts';
import type { LatencyUnit } from '../measure/histogram-bounds.ts';

export interface HgrmOptions {
  /** Values are recorded in ns and printed divided down to this unit. */
  readonly unit: LatencyUnit;
}

/** The tick density of Java's HistogramLogProcessor and wrk2's output. */
export const HGRM_TICKS_PER_HALF_DISTANCE = 5;

/**
 * The classic .hgrm percentile distribution, as Java AbstractHistogram.outputPercentileDistribution
 * prints it: header, rows of Value/Percentile/TotalCount/1/(1-Percentile), and the
 * Mean/StdDeviation, Max/Total count and Buckets/SubBuckets footer. An empty histogram gives the
 * header and a footer of zeros, as Java does.
 */
export function formatHgrm(histogram: Histogram, options: HgrmOptions): string {
  const ratio = NS_PER_UNIT[options.unit];
  const text = histogram.outputPercentileDistribution(HGRM_TICKS_PER_HALF_DISTANCE, ratio);
  // hdr-histogram-js prints the raw recorded max; Java prints getMaxValue(), the highest equivalent
  // value, which is also what the last row shows and what an .hlog round trip gives.
  const digits = histogram.numberOfSignificantValueDigits;
  const max = (histogramMaxNs(histogram) / ratio).toFixed(digits).padStart(12);
  const count = String(histogram.totalCount).padStart(12);
  const maxLine = `#[Max     = ${max}, Total count    = ${count}]`;
  const replaced = text.replace(/^#\[Max {5}=.*$/m, maxLine);
  if (replaced === text && !text.includes(maxLine))
    throw new Error('hdr-histogram-js output has no #[Max line; its format changed');
  return replaced;
}

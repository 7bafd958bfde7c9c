import { HistogramLogReader } from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import { ConfigError } from '../errors.ts';

export interface ParsedHlogInterval {
  /** Epoch ms when the log has a StartTime or BaseTime, else the log's own time base. */
  readonly startTimeMs: number;
  readonly endTimeMs: number;
  readonly tag?: string;
  /** Dense (270 KB at our bounds), with the bounds the writer encoded. */
  readonly histogram: Histogram;
}

export interface ParsedHlog {
  /** The #[StartTime] header in epoch ms, or null when the log has none. */
  readonly startTimeMs: number | null;
  readonly intervals: readonly ParsedHlogInterval[];
}

/** hdr-histogram-js marks an untagged interval with this tag. */
const LIBRARY_NO_TAG = 'NO TAG';

/**
 * Reads an HdrHistogram log (formats 1.x, Java's or ours) with hdr-histogram-js's
 * HistogramLogReader, which resolves relative stamps through BaseTime or StartTime as Java does.
 * Timestamps come back in epoch ms rounded to the microsecond, undoing float noise in the
 * reader's seconds arithmetic. A malformed interval line is a ConfigError naming the line.
 */
export function parseHlog(text: string): ParsedHlog {
  const reader = new HistogramLogReader(text, 64, false);
  const intervals: ParsedHlogInterval[] = [];
  for (;;) {
    let histogram: Histogram | null;
    try {
      histogram = reader.nextIntervalHistogram();
    } catch (error) {
      throw malformed(reader.currentLineIndex, error);
    }
    if (histogram === null) break;
    const startTimeMs = roundToUs(histogram.startTimeStampMsec);
    const endTimeMs = roundToUs(histogram.endTimeStampMsec);
    if (!Number.isFinite(startTimeMs) || !Number.isFinite(endTimeMs))
      throw malformed(reader.currentLineIndex, 'timestamp is not a number');
    const tag = histogram.tag === LIBRARY_NO_TAG ? undefined : histogram.tag;
    intervals.push(
      tag === undefined ? { startTimeMs, endTimeMs, histogram } : { startTimeMs, endTimeMs, tag, histogram },
    );
  }
  const startTimeSec: number | undefined = reader.startTimeSec;
  return {
    startTimeMs: startTimeSec === undefined || Number.isNaN(startTimeSec) ? null : roundToUs(startTimeSec * 1000),
    intervals,
  };
}

function roundToUs(ms: number): number {
  return Math.round(ms * 1e3) / 1e3;
}

function malformed(lineNumber: number, cause: unknown): ConfigError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ConfigError(`malformed .hlog interval at line ${lineNumber}: ${reason}`, {
    hint: 'each interval line is [Tag=<tag>,]<start s>,<length s>,<max>,<base64 compressed histogram>',
    cause,
  });
}

import type { Histogram } from 'hdr-histogram-js';
import { ConfigError } from '../errors.ts';
import { histogramMaxNs } from '../analysis/latency-summary.ts';
import { encodeHistogram } from './histogram-codec.ts';

export interface HlogInterval {
  readonly startTimeMs: number;
  readonly endTimeMs: number;
  readonly histogram: Histogram;
}

export interface HlogInput {
  /** Epoch ms; interval timestamps are written relative to it. */
  readonly startTimeMs: number;
  readonly intervals: readonly HlogInterval[];
  /** Written as Tag=<tag> on every interval line; no commas or whitespace. */
  readonly tag?: string;
  /** One '#' line per line of text, before the format version. */
  readonly comment?: string;
  /** Interval_Max is the interval's max divided by this. */
  readonly maxValueUnitRatio?: number;
}

export const HLOG_FORMAT_VERSION = '1.3';
export const HLOG_LEGEND = '"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"';
/**
 * Java HistogramLogWriter's default (1,000,000: the histograms hold ns, the Interval_Max column
 * reads in ms), so our logs look like jHiccup's. Readers skip the column: the histograms stay in ns
 * and tools such as HistogramLogProcessor scale them with their own -outputValueUnitRatio.
 */
export const DEFAULT_HLOG_MAX_VALUE_UNIT_RATIO = 1_000_000;

/**
 * An HdrHistogram log, format 1.3, as Java's HistogramLogWriter writes it (comment, version,
 * StartTime, BaseTime, legend, then one line per interval), so the reference Java tools,
 * HistogramLogAnalyzer and hdr-histogram-js read it. Timestamps are seconds relative to
 * StartTime; BaseTime says so explicitly instead of leaving readers to guess.
 */
export function formatHlog(input: HlogInput): string {
  const tagPrefix = input.tag === undefined ? '' : `Tag=${checkedTag(input.tag)},`;
  const ratio = input.maxValueUnitRatio ?? DEFAULT_HLOG_MAX_VALUE_UNIT_RATIO;
  // Whole ms, as Java's long startTimeMsec, so the header and the relative stamps agree exactly.
  const baseMs = Math.round(input.startTimeMs);
  const lines: string[] = [];
  if (input.comment !== undefined) for (const line of input.comment.split(/\r?\n/)) lines.push(`#${line}`);
  lines.push(`#[Histogram log format version ${HLOG_FORMAT_VERSION}]`);
  lines.push(`#[StartTime: ${seconds(baseMs)} (seconds since epoch), ${javaDateString(baseMs)}]`);
  lines.push(`#[BaseTime: ${seconds(baseMs)} (seconds since epoch)]`);
  lines.push(HLOG_LEGEND);
  for (const interval of input.intervals) {
    const start = seconds(interval.startTimeMs - baseMs);
    const length = seconds(interval.endTimeMs - interval.startTimeMs);
    const max = (histogramMaxNs(interval.histogram) / ratio).toFixed(3);
    lines.push(`${tagPrefix}${start},${length},${max},${encodeHistogram(interval.histogram)}`);
  }
  return `${lines.join('\n')}\n`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function checkedTag(tag: string): string {
  // Java's log scanner splits fields on commas, spaces and line breaks.
  if (tag === '' || /[,\s]/.test(tag)) {
    throw new ConfigError(`invalid .hlog tag ${JSON.stringify(tag)}`, {
      hint: 'use a non-empty tag without commas or whitespace',
    });
  }
  return tag;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** java.util.Date#toString in UTC ("Tue Sep 08 23:05:32 UTC 2015"); readers ignore it, humans read it. */
function javaDateString(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number): string => String(n).padStart(2, '0');
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${time} UTC ${d.getUTCFullYear()}`;
}

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import type { RecorderSet } from '../measure/recorder-set.ts';
import { SUMMARY_SCHEMA } from '../core/run-summary.ts';
import type { ArrowInput, ArrowRunSummary, IntervalSummary } from './arrow-tables.ts';
import { intervalKey, summarizeIntervals } from './arrow-tables.ts';
import { parseHlog } from './hlog-reader.ts';

// summary.json writes NaN as null (toSafeJson), so every figure but count may be null.
const figure = z.number().nullable();
const latencySummary = z.object({
  count: z.number(),
  minNs: figure,
  meanNs: figure,
  stddevNs: figure,
  p50Ns: figure,
  p90Ns: figure,
  p99Ns: figure,
  p999Ns: figure,
  maxNs: figure,
});

/** Only what the tables read; unknown fields pass (other writers add optional ones). */
const summarySchema = z.object({
  schema: z.literal(SUMMARY_SCHEMA),
  startedAt: z.string(),
  scenarios: z.array(
    z.object({
      id: z.string().min(1),
      metrics: z.record(
        z.string(),
        z.object({
          summary: latencySummary,
          // Runs before per-trial histograms have no trials.
          trials: z.array(latencySummary).default([]),
          clamped: z.number(),
          invalid: z.number(),
          files: z.object({ hlog: z.string() }).optional(),
        }),
      ),
      values: z.record(z.string(), z.object({ value: figure, unit: z.string(), description: z.string() })).default({}),
      verdicts: z
        .array(
          z.object({
            claimId: z.string(),
            quote: z.string(),
            outcome: z.string(),
            claimed: z.number(),
            unit: z.string(),
            rule: z.object({ kind: z.string(), factor: z.number().optional(), points: z.number().optional() }),
            measuredAs: z.string(),
            measured: figure,
            interval: z
              .object({ low: z.number(), high: z.number(), coverage: z.number(), trials: z.number() })
              .nullable(),
            direction: z.string().nullable(),
            explanation: z.string(),
            conditions: z.string(),
            // Summaries written before threshold sources lack these four.
            thresholdSource: z.string().optional(),
            thresholdReason: z.string().nullable().optional(),
            ruleText: z.string().optional(),
            failedTrials: z.number().optional(),
          }),
        )
        .default([]),
    }),
  ),
});

export interface LoadedArrowInput {
  readonly input: ArrowInput;
  /** Metrics whose .hlog was missing or unreadable: their intervals are left out, the rest is written. */
  readonly warnings: readonly string[];
}

/**
 * Reads a run folder (summary.json and every metric's .hlog) into the tables' input, for
 * `rpb report DIR`. A missing or invalid summary.json is a ConfigError naming every problem;
 * a bad or missing .hlog only costs that metric its interval rows, with a warning.
 */
export async function loadArrowInput(runDir: string): Promise<LoadedArrowInput> {
  const summaryPath = path.join(runDir, 'summary.json');
  const summary = parseSummary(await readSummaryText(summaryPath), summaryPath);
  const tablesSummary: ArrowRunSummary = summary;
  const intervals = new Map<string, IntervalSummary[]>();
  const warnings: string[] = [];
  for (const scenario of summary.scenarios) {
    for (const [metric, report] of Object.entries(scenario.metrics)) {
      const label = `${scenario.id} ${metric}`;
      if (report.files === undefined) {
        warnings.push(`${label}: summary.json names no .hlog file; intervals left out`);
        continue;
      }
      const loaded = await readIntervals(runDir, report.files.hlog);
      if (typeof loaded === 'string') warnings.push(`${label}: ${report.files.hlog}: ${loaded}; intervals left out`);
      else intervals.set(intervalKey(scenario.id, metric), loaded);
    }
  }
  return { input: { summary: tablesSummary, intervals }, warnings };
}

/** The intervals of one scenario's live recorders, to merge into ArrowInput.intervals before the set is dropped. */
export function recorderIntervals(scenarioId: string, recorders: RecorderSet): Map<string, IntervalSummary[]> {
  return new Map(
    recorders
      .names()
      .map((name) => [intervalKey(scenarioId, name), summarizeIntervals(recorders.metric(name).intervals())]),
  );
}

async function readSummaryText(summaryPath: string): Promise<string> {
  try {
    return await readFile(summaryPath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`cannot read ${summaryPath} (${code ?? String(error)})`, {
      hint: 'pass a run folder written by `rpb run` (it holds summary.json)',
      cause: error,
    });
  }
}

function parseSummary(text: string, summaryPath: string): z.infer<typeof summarySchema> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      `${summaryPath} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const parsed = summarySchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new ConfigError(`${summaryPath} is not a ${SUMMARY_SCHEMA} summary: ${problems.join('; ')}`, {
    hint: 'the file may come from another version of the harness or have been edited by hand',
    problems,
  });
}

/** The summarized intervals, or why they could not be read. */
async function readIntervals(runDir: string, relativePath: string): Promise<IntervalSummary[] | string> {
  const root = path.resolve(runDir);
  const file = path.resolve(root, relativePath);
  if (path.relative(root, file).startsWith('..') || path.isAbsolute(path.relative(root, file)))
    return 'path outside the run folder';
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'missing' : `unreadable (${code ?? String(error)})`;
  }
  try {
    const log = parseHlog(text);
    // Without a StartTime the stamps are not epoch times and cannot be placed on the run's timeline
    // (rpb always writes one; a file without it, even empty, is not one of ours).
    if (log.startTimeMs === null) return 'no #[StartTime] header';
    return summarizeIntervals(log.intervals);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

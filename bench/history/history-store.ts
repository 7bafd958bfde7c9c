import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.ts';
import type { RunSummary } from '../core/run-summary.ts';

/** Bump on any incompatible change of a history entry; documented in docs/reports.md. */
export const HISTORY_SCHEMA = 'rpb.history/v1';

export type Better = 'lower' | 'higher' | 'unknown';

export interface HistoryMetric {
  readonly value: number;
  readonly unit: string;
  readonly better: Better;
  /** The run's own spread of the figure: a claim's interval, a latency's lowest and highest trial. */
  readonly low?: number;
  readonly high?: number;
}

/** One run filed under its commit: a file of its own in `<store>/runs/`. */
export interface HistoryEntry {
  readonly schema: typeof HISTORY_SCHEMA;
  readonly commit: string;
  /** When the run was made (ISO 8601): the series' order. */
  readonly time: string;
  readonly addedAt: string;
  readonly quick: boolean;
  readonly metrics: Readonly<Record<string, HistoryMetric>>;
}

/**
 * The figures of a run that make a series: each claim's measured median (`claim.<id>`, better as the
 * claim says) and each latency histogram's p50 and p99 (`<scenario>.<metric>.p50|p99`, ms, lower is
 * better). Scenarios that did not finish are left out.
 */
export function runMetrics(summary: RunSummary, betterOf: (claimId: string) => Better): Record<string, HistoryMetric> {
  const metrics: Record<string, HistoryMetric> = {};
  for (const scenario of summary.scenarios) {
    if (scenario.status !== 'ok') continue;
    for (const verdict of scenario.verdicts) {
      if (verdict.measured === null || !Number.isFinite(verdict.measured)) continue;
      metrics[`claim.${verdict.claimId}`] = {
        value: verdict.measured,
        unit: verdict.unit,
        better: betterOf(verdict.claimId),
        ...(verdict.interval === null ? {} : { low: verdict.interval.low, high: verdict.interval.high }),
      };
    }
    for (const [name, metric] of Object.entries(scenario.metrics)) {
      for (const label of ['p50', 'p99'] as const) {
        const ns = metric.summary[`${label}Ns`];
        if (typeof ns !== 'number' || !Number.isFinite(ns) || metric.summary.count === 0) continue;
        const perTrial = metric.trials
          .map((t) => t[`${label}Ns`])
          .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
        metrics[`${scenario.id}.${name}.${label}`] = {
          value: ns / 1e6,
          unit: 'ms',
          better: 'lower',
          ...(perTrial.length === 0 ? {} : { low: Math.min(...perTrial) / 1e6, high: Math.max(...perTrial) / 1e6 }),
        };
      }
    }
  }
  return metrics;
}

const COMMIT_PATTERN = /^[\w.\-/]{1,80}$/;

export function checkCommit(commit: string): string {
  if (!COMMIT_PATTERN.test(commit))
    throw new ConfigError(`--commit "${commit}" is not a commit id or name`, {
      hint: 'give the commit hash (e.g. `--commit $(git rev-parse HEAD)`) or a tag; letters, digits, . _ - / only',
    });
  return commit;
}

export function checkTime(time: string, role: string): string {
  const ms = Date.parse(time);
  if (!Number.isFinite(ms) || !/^\d{4}-\d{2}-\d{2}/.test(time))
    throw new ConfigError(`${role} "${time}" is not an ISO 8601 time`, {
      hint: 'give a time like 2026-12-07T10:00:00Z (the commit time orders the series)',
    });
  return new Date(ms).toISOString();
}

/**
 * Files the entry as a new file (written under a temporary name, then renamed): two `rpb history add`
 * at once never write the same file and a reader never sees half an entry.
 */
export async function addEntry(store: string, entry: HistoryEntry): Promise<string> {
  const runs = path.join(store, 'runs');
  try {
    await mkdir(runs, { recursive: true });
  } catch (error) {
    throw new ConfigError(`cannot create the history store ${runs}: ${(error as Error).message}`, {
      hint: '--store must be a folder you can write (it is created when missing)',
      cause: error,
    });
  }
  const stamp = entry.time.replace(/[:.]/g, '-');
  const name = `${stamp}_${entry.commit.replace(/[^\w.-]/g, '_')}_${randomBytes(4).toString('hex')}.json`;
  const file = path.join(runs, name);
  const temporary = path.join(runs, `.${name}.tmp`);
  await writeFile(temporary, `${JSON.stringify(entry, null, 2)}\n`);
  await rename(temporary, file);
  return file;
}

function isEntry(value: unknown): value is HistoryEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    entry.schema === HISTORY_SCHEMA &&
    typeof entry.commit === 'string' &&
    typeof entry.time === 'string' &&
    typeof entry.metrics === 'object' &&
    entry.metrics !== null
  );
}

/** Every entry of the store, oldest first (by run time, then by when it was added). */
export async function loadEntries(store: string): Promise<{ entries: HistoryEntry[]; skipped: string[] }> {
  const runs = path.join(store, 'runs');
  let names: string[];
  try {
    names = (await readdir(runs)).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
  } catch (error) {
    throw new ConfigError(`${store} is not a history store: ${runs} cannot be read`, {
      hint: 'create it with `rpb history add RUN_DIR --store DIR` (the store is a plain folder)',
      cause: error,
    });
  }
  const entries: HistoryEntry[] = [];
  const skipped: string[] = [];
  for (const name of names) {
    try {
      const data: unknown = JSON.parse(await readFile(path.join(runs, name), 'utf8'));
      if (isEntry(data)) entries.push(data);
      else skipped.push(`${name}: not a ${HISTORY_SCHEMA} entry`);
    } catch (error) {
      skipped.push(`${name}: ${(error as Error).message}`);
    }
  }
  entries.sort((a, b) => a.time.localeCompare(b.time) || a.addedAt.localeCompare(b.addedAt));
  return { entries, skipped };
}

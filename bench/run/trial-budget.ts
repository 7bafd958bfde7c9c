import { ConfigError } from '../errors.ts';
import { MS_PER_S } from '../core/units.ts';
import type { TrialPart } from './scenario.ts';

/**
 * Sequential trials within a time budget (`rpb validate --budget`): every scenario runs once (a block
 * of at least 6 trials); then, while the budget allows, the scenario with the most undecided claims per
 * second of its last block runs again and its claims are judged on the pooled trials. A claim far from
 * its threshold is decided by the first block; a borderline one gets more trials; one still open when
 * the budget is spent stays "inconclusive" with its figure.
 */
export interface TrialBudget {
  readonly totalMs: number;
  /** Most blocks (whole runs) of one scenario: the number of looks at one claim. */
  readonly maxBlocks: number;
}

/**
 * Defaults of `rpb validate`: 10 minutes (`npm run bench`), 2 with --quick; at most 4 looks per claim.
 * --quick's first pass (every scenario once, 6 trials per claim) takes about 105 s on the 2-core
 * machine of docs/results (the registry's expected times): it fits, with room for a few more blocks.
 */
export const DEFAULT_BUDGET_MS = { full: 10 * 60 * MS_PER_S, quick: 2 * 60 * MS_PER_S } as const;
export const DEFAULT_MAX_BLOCKS = 4;

/** Where one scenario stands between blocks. */
export interface ScenarioStanding {
  readonly id: string;
  readonly blocks: number;
  readonly lastBlockMs: number;
  /** Claims of the scenario still inconclusive after its last block. */
  readonly undecided: number;
  /** A failed or interrupted block: never run again. */
  readonly failed: boolean;
}

/**
 * The scenario that gets the next block, or null: none has an undecided claim, or none fits in what is
 * left of the budget (its last block, plus 10% for noise) within its maximum of blocks.
 */
export function nextBlock(
  standings: readonly ScenarioStanding[],
  remainingMs: number,
  maxBlocks: number,
): string | null {
  const eligible = standings.filter(
    (s) => !s.failed && s.undecided > 0 && s.blocks < maxBlocks && s.lastBlockMs * 1.1 <= remainingMs,
  );
  if (eligible.length === 0) return null;
  const worth = (s: ScenarioStanding): number => s.undecided / Math.max(s.lastBlockMs, 1);
  return eligible.reduce((best, s) => (worth(s) > worth(best) ? s : best)).id;
}

/** One entry of a budgeted validation's first pass: a scenario, or one part of its planned trials. */
export interface ScheduledBlock {
  readonly id: string;
  readonly part?: TrialPart;
}

/**
 * The first pass of a budgeted validation: every scenario of `order` once, where it stands, except
 * that a scenario split into N parts (Scenario.spreadParts) runs part 1 where it stands and parts
 * 2..N at evenly spaced points from there to the end of the pass (part N last), so that its trials
 * sample the machine over the whole run.
 */
export function firstPassSchedule(order: readonly string[], partsOf: (id: string) => number): ScheduledBlock[] {
  const last = order.length - 1;
  const keyed: { key: number; block: ScheduledBlock }[] = [];
  order.forEach((id, at) => {
    const parts = Math.max(1, Math.floor(partsOf(id)));
    if (parts === 1) {
      keyed.push({ key: at, block: { id } });
      return;
    }
    for (let index = 1; index <= parts; index += 1) {
      // part 1 at its own place; the others just after the scenario at their share of the rest
      const key = index === 1 ? at : at + ((index - 1) * (last - at)) / (parts - 1) + 0.5;
      keyed.push({ key, block: { id, part: { index, of: parts } } });
    }
  });
  return keyed.sort((a, b) => a.key - b.key).map((k) => k.block);
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: MS_PER_S, m: 60 * MS_PER_S, h: 3600 * MS_PER_S };

/** `--budget 10m` / `90s` / `1h` / `none` (no limit: one block per scenario). */
export function parseBudget(text: string): number | null {
  if (text === 'none') return null;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  const ms = match === null ? Number.NaN : Number(match[1]) * UNIT_MS[match[2]!]!;
  if (!Number.isFinite(ms) || ms < 10 * MS_PER_S || ms > 24 * 3600 * MS_PER_S)
    throw new ConfigError(
      `--budget ${JSON.stringify(text)}: expected a duration from 10s to 24h with its unit, or none`,
      {
        hint: 'e.g. --budget 10m (the default), --budget 2m (the --quick default), --budget 90s, --budget none (one run per scenario)',
      },
    );
  return ms;
}

/** A duration as "2 min 05 s" or "42 s", for progress lines and notes. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / MS_PER_S));
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** The debug-tools scenario's parameters: defaults, the --quick set and what `--set` may change. */
import type { TunableSpec } from '../../bench/core/tunables.ts';

export interface DebugToolsParams {
  /** Trials of the MONITOR check: a pair of GET segments (MONITOR off / on) each. */
  readonly trials: number;
  /** Trials of the SLOWLOG check: one slow command each (a KEYS * over 1M keys takes about a second). */
  readonly slowTrials: number;
  /** Length of one GET segment. */
  readonly segmentMs: number;
  readonly warmupMs: number;
  /** Closed-loop workers (concurrent GETs) over `connections` lean RESP connections. */
  readonly workers: number;
  readonly connections: number;
  /** Keys the GETs read (uniform), and their value size. */
  readonly keyCount: number;
  readonly valueBytes: number;
  /** Keys DEBUG POPULATE makes for the deliberately slow KEYS * (the issue asks for 1M). */
  readonly slowKeyCount: number;
}

/**
 * 8 MONITOR trials give a 95% interval that drops the lowest and the highest trial; the SLOWLOG
 * check takes the fewest that give a verdict (6), each KEYS * costing about a second. DEBUG POPULATE of 1M
 * keys takes seconds on a loaded 2-core machine, and a KEYS * over them most of a second: the
 * default run pays that, --quick runs the same check over 200k keys (still tens of ms, far above
 * the 10 ms slowlog threshold).
 */
export const DEFAULT_DEBUG_TOOLS_PARAMS: DebugToolsParams = {
  trials: 8,
  slowTrials: 6,
  segmentMs: 750,
  warmupMs: 500,
  workers: 16,
  connections: 2,
  keyCount: 10_000,
  valueBytes: 100,
  slowKeyCount: 1_000_000,
};

export const QUICK_DEBUG_TOOLS_PARAMS: DebugToolsParams = {
  ...DEFAULT_DEBUG_TOOLS_PARAMS,
  trials: 6,
  segmentMs: 200,
  warmupMs: 200,
  keyCount: 1_000,
  slowKeyCount: 200_000,
};

export const DEBUG_TOOLS_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  trials: { kind: 'integer', min: 1, max: 100, description: 'trials of the MONITOR check (pairs of GET segments)' },
  slowTrials: { kind: 'integer', min: 1, max: 100, description: 'trials of the SLOWLOG check (one KEYS * each)' },
  segmentMs: { kind: 'integer', min: 50, max: 600_000, description: 'length of one GET segment (MONITOR off or on)' },
  warmupMs: { kind: 'integer', min: 0, max: 600_000, description: 'GET warm-up before the first segment' },
  workers: { kind: 'integer', min: 1, max: 1_024, description: 'concurrent GETs (closed loop)' },
  connections: { kind: 'integer', min: 1, max: 64, description: 'RESP connections the GETs share' },
  keyCount: { kind: 'integer', min: 1, max: 1_000_000, description: 'keys the GETs read' },
  slowKeyCount: {
    kind: 'integer',
    min: 10_000,
    max: 10_000_000,
    description: 'keys made with DEBUG POPULATE for the slow KEYS *',
  },
};

/**
 * How busy the load generator itself was during a load phase, and whether that makes the phase's
 * figures the generator's rather than the server's: what the design asks of a figure "measured
 * while the load generator itself was saturated". The probe that measures it is
 * generator-load-probe.ts; this module holds the figures, the bounds and the words.
 */

/** One load phase's generator load (or several threads' merged: the busiest thread's). */
export interface GeneratorLoad {
  /**
   * p99 of how late the generator's event loop ran a due timer, in ms, past the monitor's own 1 ms
   * tick (perf_hooks.monitorEventLoopDelay); with worker threads, the worst thread's.
   */
  readonly eventLoopDelayP99Ms: number;
  /**
   * The generator's CPU time over the phase as a share of one core (1 = a full core), the open
   * loop's busy-wait before a send left out. In the main thread: process.cpuUsage (user + system,
   * the whole process); in a worker thread, where that counts every thread, the thread's own CPU
   * time (process.threadCpuUsage, Node >= 23.9) or else its event-loop utilization (wall-clock
   * busy time: on a crowded machine it counts time off the CPU too); with worker threads, the
   * busiest thread's.
   */
  readonly harnessCpuShare: number;
  /** redis-server's CPU time (INFO cpu: used_cpu_user + used_cpu_sys) per second of the phase; null: unread. */
  readonly redisCpuShare: number | null;
  readonly generatorLimited: boolean;
  /** Why it is flagged, in words; null when it is not. */
  readonly reason: string | null;
}

/** The three measured figures, before they are judged. */
export type GeneratorLoadFigures = Pick<GeneratorLoad, 'eventLoopDelayP99Ms' | 'harnessCpuShare' | 'redisCpuShare'>;

/** The harness's bounds for calling a phase generator-limited (harness choices; the reasons beside). */
export const GENERATOR_LOAD_BOUNDS = {
  eventLoopDelayP99MaxMs: 5,
  harnessCpuShareMin: 0.9,
  redisCpuShareMax: 0.5,
} as const;

/** Why each bound is where it is, one sentence each. */
export const GENERATOR_LOAD_BOUND_REASONS = {
  eventLoopDelayP99MaxMs:
    "5 ms, the document's command-latency budget: an idle generator's loop runs a due timer within 1-2 ms at p99 on the shared 2-core machine, and a generator whose own callbacks wait longer than the budget at p99 can by itself move a latency figure across what the document judges",
  harnessCpuShareMin:
    '0.9 of a core: a single-threaded generator this busy has no slack left to send and read on time, so its sends and its reply handling queue behind each other',
  redisCpuShareMax:
    'below 0.5 of a core the server still had room, so a rate or latency limit seen then is the generator\u2019s, not the server\u2019s; with both busy the machine itself is the limit',
} as const;

/** The exact word the terminal table looks for in a verdict's conditions. */
export const GENERATOR_LIMITED = 'generator-limited';

const percentText = (share: number | null): string => (share === null ? 'n/a' : `${Math.round(share * 100)}%`);

/** `event-loop p99 X ms, harness CPU Y%, redis CPU Z%`. */
function generatorLoadText(load: GeneratorLoadFigures): string {
  return `event-loop p99 ${load.eventLoopDelayP99Ms.toFixed(1)} ms, harness CPU ${percentText(load.harnessCpuShare)}, redis CPU ${percentText(load.redisCpuShare)}`;
}

/** `generator-limited (event-loop p99 X ms, harness CPU Y%, redis CPU Z%)`. */
export function generatorLimitedText(load: GeneratorLoadFigures): string {
  return `${GENERATOR_LIMITED} (${generatorLoadText(load)})`;
}

/**
 * Flags a phase when the generator's event loop ran late past the bound at p99, or when the
 * generator was near a full core while Redis was not (or Redis's CPU was not read).
 */
export function judgeGeneratorLoad(figures: GeneratorLoadFigures): GeneratorLoad {
  const bounds = GENERATOR_LOAD_BOUNDS;
  const reasons: string[] = [];
  if (figures.eventLoopDelayP99Ms > bounds.eventLoopDelayP99MaxMs)
    reasons.push(
      `the generator's event loop ran ${figures.eventLoopDelayP99Ms.toFixed(1)} ms late at p99 (bound ${bounds.eventLoopDelayP99MaxMs} ms)`,
    );
  if (figures.harnessCpuShare >= bounds.harnessCpuShareMin) {
    const harness = `the generator used ${percentText(figures.harnessCpuShare)} of a core (bound ${percentText(bounds.harnessCpuShareMin)})`;
    if (figures.redisCpuShare === null) reasons.push(`${harness}; Redis's CPU was not read`);
    else if (figures.redisCpuShare < bounds.redisCpuShareMax)
      reasons.push(
        `${harness} while Redis used ${percentText(figures.redisCpuShare)} (below ${percentText(bounds.redisCpuShareMax)})`,
      );
  }
  return { ...figures, generatorLimited: reasons.length > 0, reason: reasons.length > 0 ? reasons.join('; ') : null };
}

/**
 * Several threads' loads of one phase as one: the worst event-loop delay, the busiest thread, and
 * Redis's share as read over the whole phase (`redisCpuShare`) or else the highest any thread read;
 * undefined when none is given.
 */
export function mergeGeneratorLoads(
  loads: readonly (GeneratorLoad | undefined)[],
  redisCpuShare: number | null = null,
): GeneratorLoad | undefined {
  const present = loads.filter((l): l is GeneratorLoad => l !== undefined);
  if (present.length === 0) return undefined;
  const read = present.map((l) => l.redisCpuShare).filter((s): s is number => s !== null);
  return judgeGeneratorLoad({
    eventLoopDelayP99Ms: Math.max(...present.map((l) => l.eventLoopDelayP99Ms)),
    harnessCpuShare: Math.max(...present.map((l) => l.harnessCpuShare)),
    redisCpuShare: redisCpuShare ?? (read.length > 0 ? Math.max(...read) : null),
  });
}

/** The generator load of each phase command-latency runs: three figures per phase, and words for the limited ones. */
import { generatorLimitedText } from '../../bench/measure/generator-load.ts';
import type { GeneratorLoad } from '../../bench/measure/generator-load.ts';
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import { figure } from '../../bench/run/scenario-kit.ts';

/** One phase (a claim round's command, a sweep step, a comparison run) and its generator's load. */
export interface PhaseLoad {
  /** As the notes name it: `claim.GET:2000-ops-s round 1`, `max.resp.GET.c10-p1 round 2`. */
  readonly phase: string;
  /** As value names hold it: `claim.GET:2000-ops-s.round-1`. */
  readonly key: string;
  readonly load: GeneratorLoad;
}

/** At most this many limited phases are named in one line; the rest are counted. */
const NAMED_PHASES = 3;

/** `generator-load.<key>.event-loop-p99-ms`, `.harness-cpu-share` and `.redis-cpu-share` (none when not measured). */
export function addGeneratorLoadValues(
  values: Record<string, ScenarioValue>,
  key: string,
  what: string,
  load: GeneratorLoad | undefined,
): void {
  if (load === undefined) return;
  const name = `generator-load.${key}`;
  const limited = load.generatorLimited ? `; ${generatorLimitedText(load)}: ${load.reason}` : '';
  values[`${name}.event-loop-p99-ms`] = figure(
    load.eventLoopDelayP99Ms,
    'ms',
    `${what}: p99 of the load generator's event-loop delay (past its 1 ms timer tick)${limited}`,
  );
  values[`${name}.harness-cpu-share`] = figure(
    load.harnessCpuShare,
    'cores',
    `${what}: the load generator's CPU time per second of the phase (its busy-wait before a send left out)${limited}`,
  );
  values[`${name}.redis-cpu-share`] = figure(
    load.redisCpuShare,
    'cores',
    `${what}: redis-server's CPU time per second of the phase (INFO cpu, user + sys)${limited}`,
  );
}

/** For a figure measured in that phase: `; generator-limited (...)`, or '' when the generator kept up. */
export function limitedSuffix(load: GeneratorLoad | undefined): string {
  return load?.generatorLimited === true ? `; ${generatorLimitedText(load)}` : '';
}

/** `<phase>: generator-limited (...): <reason>`, for the notes. */
export function limitedNote(entry: PhaseLoad): string {
  return `${entry.phase}: ${generatorLimitedText(entry.load)}: ${entry.load.reason}; its figures hold the load generator's own delay, not only Redis's`;
}

/**
 * For a verdict's conditions: `generator-limited (...) in claim.GET:2000-ops-s round 1; ... (2 of 18
 * claim phases)`, or null when the generator kept up in every phase.
 */
export function limitedPhasesText(phases: readonly PhaseLoad[], what: string): string | null {
  const limited = phases.filter((p) => p.load.generatorLimited);
  if (limited.length === 0) return null;
  const named = limited.slice(0, NAMED_PHASES).map((p) => `${generatorLimitedText(p.load)} in ${p.phase}`);
  const more = limited.length > NAMED_PHASES ? `, and ${limited.length - NAMED_PHASES} more` : '';
  return `${named.join('; ')}${more} (${limited.length} of ${phases.length} ${what})`;
}

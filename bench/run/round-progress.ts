import type { ProgressEvent } from './progress-reporter.ts';
import type { RoundPlan } from './round-runner.ts';

/** The phase events of a round-based scenario, for the status line: warm-up, round k/N, done. */
export function roundProgress(
  emit: (event: ProgressEvent) => void,
  scenario: string,
  plan: Pick<RoundPlan, 'rounds' | 'roundDurationMs' | 'warmupDurationMs'>,
) {
  const plannedMs = plan.rounds * plan.roundDurationMs;
  const measuring = (round: number): void =>
    emit({
      kind: 'phase',
      scenario,
      phase: 'measure',
      round: Math.min(round, plan.rounds),
      rounds: plan.rounds,
      plannedMs,
    });
  return {
    warmUp: (): void => emit({ kind: 'phase', scenario, phase: 'warm-up', plannedMs: plan.warmupDurationMs }),
    /** Warm-up is over: round 1 starts. */
    measureStarted: (): void => measuring(1),
    /** `round` (0-based, as runRounds reports it) is done: the next one starts. */
    roundDone: (round: number): void => measuring(round + 2),
    done: (): void => emit({ kind: 'phase', scenario, phase: 'done' }),
  };
}

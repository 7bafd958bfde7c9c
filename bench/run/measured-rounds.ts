import { roundProgress } from './round-progress.ts';
import { runRounds } from './round-runner.ts';
import type { RoundPlan, RoundsResult } from './round-runner.ts';
import type { ScenarioContext } from './scenario.ts';

export interface MeasuredRoundHooks {
  /** One unit of work; `round` is -1 during warm-up. */
  iterate(round: number): Promise<void>;
  /** After the recorders closed a per-second interval (between iterations), e.g. for live stats. */
  onIntervalCut?(): void;
  /** After round `round` (0-based) became a trial: collect its per-round data here. */
  onRoundDone?(round: number, iterations: number): void;
}

/**
 * The measurement discipline every round-based scenario shares: warm-up dropped (recorders reset,
 * `measuring` false until then), per-second intervals cut between iterations only, one trial per
 * finished round, phase events for the status line and a progress line per round.
 */
export class MeasuredRounds {
  #measuring = false;

  constructor(
    private readonly context: ScenarioContext,
    private readonly scenarioId: string,
    private readonly plan: RoundPlan,
    /** What one iteration is, for the progress line ("iterations", "cell visits"). */
    private readonly unit = 'iterations',
  ) {}

  /** False during warm-up: sinks drop what they see then. */
  get measuring(): boolean {
    return this.#measuring;
  }

  async run(hooks: MeasuredRoundHooks): Promise<RoundsResult> {
    const { context, plan } = this;
    const phases = roundProgress(context.progressEvent, this.scenarioId, plan);
    phases.warmUp();
    const result = await runRounds(plan, context.signal, {
      iterate: async (round) => {
        await hooks.iterate(round);
        // Intervals are cut between iterations, never inside a timed operation.
        if (this.#measuring && context.recorders.cutIfDue()) hooks.onIntervalCut?.();
      },
      onWarmupDone: () => {
        context.recorders.resetAll();
        this.#measuring = true;
        phases.measureStarted();
      },
      onRoundDone: (round, iterations) => {
        context.recorders.markTrial();
        phases.roundDone(round);
        hooks.onRoundDone?.(round, iterations);
        context.progress(`round ${round + 1}/${plan.rounds}: ${iterations} ${this.unit}`);
      },
    });
    phases.done();
    return result;
  }
}

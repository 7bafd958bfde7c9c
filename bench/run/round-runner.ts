/** Rounds are the trials of a scenario: each is duration-based, with a floor and a cap on iterations. */
export interface RoundPlan {
  readonly rounds: number;
  readonly roundDurationMs: number;
  readonly minIterationsPerRound: number;
  readonly maxIterationsPerRound: number;
  readonly warmupDurationMs: number;
  readonly warmupIterations: number;
}

export interface RoundHooks {
  /** One unit of work; `round` is -1 during warm-up. */
  iterate(round: number): Promise<void>;
  /** Called once warm-up is over, before round 0 (drop anything recorded so far). */
  onWarmupDone(): void;
  onRoundDone(round: number, iterations: number): void;
}

export interface RoundsResult {
  readonly warmupIterations: number;
  readonly iterationsPerRound: readonly number[];
  readonly interrupted: boolean;
}

async function phase(
  durationMs: number,
  minIterations: number,
  maxIterations: number,
  signal: AbortSignal,
  step: () => Promise<void>,
): Promise<number> {
  const deadline = performance.now() + durationMs;
  let iterations = 0;
  while (
    !signal.aborted &&
    iterations < maxIterations &&
    (iterations < minIterations || performance.now() < deadline)
  ) {
    await step();
    iterations += 1;
  }
  return iterations;
}

/** Warm-up, then the rounds; stops early (and says so) when the signal is aborted. Always terminates. */
export async function runRounds(plan: RoundPlan, signal: AbortSignal, hooks: RoundHooks): Promise<RoundsResult> {
  const warmupIterations = await phase(
    plan.warmupDurationMs,
    plan.warmupIterations,
    plan.maxIterationsPerRound,
    signal,
    () => hooks.iterate(-1),
  );
  hooks.onWarmupDone();
  const iterationsPerRound: number[] = [];
  for (let round = 0; round < plan.rounds && !signal.aborted; round += 1) {
    const n = await phase(plan.roundDurationMs, plan.minIterationsPerRound, plan.maxIterationsPerRound, signal, () =>
      hooks.iterate(round),
    );
    // A round cut short by Ctrl-C is not a trial: it would feed verdicts with a few iterations.
    if (signal.aborted) break;
    iterationsPerRound.push(n);
    hooks.onRoundDone(round, n);
  }
  return { warmupIterations, iterationsPerRound, interrupted: signal.aborted };
}

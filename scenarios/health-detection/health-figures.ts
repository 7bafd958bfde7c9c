/** Pure figures of the health-detection trials: when /health changed its answer, relative to the fault. */

/** One GET /health: when it was sent and answered (ms, monotonic) and its redis_connected (null: no answer). */
export interface HealthObservation {
  readonly sentMs: number;
  readonly receivedMs: number;
  readonly connected: boolean | null;
}

/** When one trial's fault was injected and healed (ms, same clock as the observations). */
export interface FaultWindow {
  /** Just before the fault was injected (SIGKILL sent, SIGSTOP sent, black hole switched on). */
  readonly faultAtMs: number;
  /** When the heal returned: Redis answering again (restart), SIGCONT sent, black hole switched off. */
  readonly healedAtMs: number;
  /** When /health had said connected for the settle time after the heal (or the wait for that ended). */
  readonly endMs: number;
}

export interface TrialTimes {
  /** Fault to the answer of the first poll sent after it that said redis_connected false; null: none before heal. */
  readonly detectMs: number | null;
  /**
   * Heal to the answer of the first poll that said true after the last one that did not (a lag that
   * shows only after the heal counts); null: /health did not settle on true before the window ended.
   */
  readonly recoverMs: number | null;
}

/**
 * Upper bounds, as an operator polling /health sees them: the time to the answer that first told the
 * truth for good (a poll in flight at the change is not counted, so the error is at most one poll
 * period and one HTTP round trip, on the late side).
 */
export function trialTimes(observations: readonly HealthObservation[], window: FaultWindow): TrialTimes {
  const detected = observations.find(
    (o) => o.sentMs >= window.faultAtMs && o.receivedMs <= window.healedAtMs && o.connected === false,
  );
  const after = observations.filter((o) => o.sentMs >= window.healedAtMs && o.receivedMs <= window.endMs);
  let lastWrong = -1;
  after.forEach((o, i) => {
    if (o.connected !== true) lastWrong = i;
  });
  const recovered = after.slice(lastWrong + 1).find((o) => o.connected === true);
  return {
    detectMs: detected === undefined ? null : detected.receivedMs - window.faultAtMs,
    recoverMs: recovered === undefined ? null : recovered.receivedMs - window.healedAtMs,
  };
}

/**
 * The claim's figure of one trial: the longer of the two times /health lagged the truth; a time that
 * never came counts as its wait bound (censored: the real figure is at least that).
 */
export function staleFigureMs(times: TrialTimes, detectTimeoutMs: number, recoverTimeoutMs: number): number {
  return Math.max(times.detectMs ?? detectTimeoutMs, times.recoverMs ?? recoverTimeoutMs);
}

/** Answers that said false (or failed) while Redis was healthy: outside every window's [fault, end of recovery]. */
export function falseWhileHealthy(
  observations: readonly HealthObservation[],
  windows: readonly FaultWindow[],
  fromMs: number,
): HealthObservation[] {
  return observations.filter(
    (o) =>
      o.sentMs >= fromMs &&
      o.connected !== true &&
      !windows.some((w) => o.receivedMs >= w.faultAtMs && o.sentMs <= w.endMs),
  );
}

/** p50 (nearest rank) and max of the finite values; nulls when there are none. */
export function p50AndMax(values: readonly (number | null)[]): { p50: number | null; max: number | null } {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return { p50: null, max: null };
  return { p50: finite[Math.ceil(finite.length / 2) - 1]!, max: finite[finite.length - 1]! };
}

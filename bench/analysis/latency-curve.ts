/** One step of a throughput-latency sweep: an open-loop run at a fixed target rate. */
export interface CurvePoint {
  readonly targetRate: number;
  readonly achievedRate: number;
  /** Coordinated-omission corrected percentiles of the step, ms; null when nothing succeeded. */
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
  /** Achieved within the tolerance of the target and every due operation sent. */
  readonly rateHeld: boolean;
  /** Failed or timed-out operations. */
  readonly failures: number;
  /** Operations due in the step but never sent (the in-flight bound stayed full); absent: 0. */
  readonly unsent?: number;
}

/** Within budget: the rate was held, nothing failed and the corrected p99 is at most the budget. */
export function withinBudget(point: CurvePoint, budgetMs: number): boolean {
  return point.rateHeld && point.failures === 0 && point.p99Ms !== null && point.p99Ms <= budgetMs;
}

/**
 * The knee: the highest target rate whose step stayed within budget, or null when none did. A
 * sweep stops at the first step past it (see withinBudget), so the knee is the last good step.
 */
export function kneeRate(points: readonly CurvePoint[], budgetMs: number): number | null {
  let knee: number | null = null;
  for (const point of points)
    if (withinBudget(point, budgetMs) && (knee === null || point.targetRate > knee)) knee = point.targetRate;
  return knee;
}

/** Why a step ends the sweep, or null when the next rate should be tried. */
export function saturationReason(point: CurvePoint, budgetMs: number): string | null {
  if (!point.rateHeld && (point.unsent ?? 0) > 0) {
    return `${point.unsent} operations due were never sent: the in-flight bound (connections x pipeline depth) stayed full (achieved ${Math.round(point.achievedRate)} ops/s of ${Math.round(point.targetRate)} target)`;
  }
  if (!point.rateHeld)
    return `achieved ${Math.round(point.achievedRate)} ops/s of ${Math.round(point.targetRate)} target (generator or server saturated)`;
  if (point.failures > 0) return `${point.failures} operations failed`;
  if (point.p99Ms === null) return 'no operation succeeded';
  if (point.p99Ms > budgetMs) return `p99 ${point.p99Ms.toFixed(3)} ms above the ${budgetMs} ms budget`;
  return null;
}

const ms = (value: number | null): string => (value === null ? 'n/a' : value.toFixed(3));

/** The curve as one readable line, the knee marked. */
export function formatCurve(label: string, points: readonly CurvePoint[], budgetMs: number): string {
  const knee = kneeRate(points, budgetMs);
  const steps = points.map((p) => {
    const mark = p.targetRate === knee ? ' <- knee' : '';
    return `${Math.round(p.targetRate)}/s (achieved ${Math.round(p.achievedRate)}/s): p50 ${ms(p.p50Ms)} ms, p99 ${ms(p.p99Ms)} ms, max ${ms(p.maxMs)} ms${p.failures > 0 ? `, ${p.failures} failed` : ''}${mark}`;
  });
  const kneeText =
    knee === null
      ? `no rate kept p99 within ${budgetMs} ms`
      : `knee ${Math.round(knee)} ops/s (highest rate with p99 <= ${budgetMs} ms, rate held, no failures)`;
  return `${label} throughput-latency curve (corrected): ${steps.join('; ')}; ${kneeText}`;
}

import { describe, expect, it } from 'vitest';
import { judgeClaim } from '../../bench/analysis/verdict.ts';
import { HEALTH_DETECTION_CLAIMS } from './claims.ts';
import type { HealthObservation } from './health-figures.ts';
import { falseWhileHealthy, p50AndMax, staleFigureMs, trialTimes } from './health-figures.ts';

/** Polls every 10 ms from t = 0, each answered 2 ms later, connected unless `down(t)`. */
function polls(untilMs: number, down: (sentMs: number) => boolean): HealthObservation[] {
  const out: HealthObservation[] = [];
  for (let t = 0; t < untilMs; t += 10) out.push({ sentMs: t, receivedMs: t + 2, connected: !down(t) });
  return out;
}

describe('health-detection figures', () => {
  it('times the first answer that told the truth after the fault and after the heal', () => {
    // Fault at 105, /health says false from the poll sent at 250; heal at 400, true again from 520.
    const observations = polls(1_000, (t) => t >= 250 && t < 520);
    const times = trialTimes(observations, { faultAtMs: 105, healedAtMs: 400, endMs: 900 });
    expect(times.detectMs).toBe(252 - 105);
    expect(times.recoverMs).toBe(522 - 400);
    expect(staleFigureMs(times, 3_000, 3_000)).toBe(147);
  });

  it('ignores a poll in flight at the fault, and counts a change never seen as its wait (censored)', () => {
    const observations: HealthObservation[] = [
      { sentMs: 95, receivedMs: 130, connected: false }, // sent before the fault: not a detection
      { sentMs: 140, receivedMs: 150, connected: true },
    ];
    const times = trialTimes(observations, { faultAtMs: 100, healedAtMs: 200, endMs: 300 });
    expect(times).toEqual({ detectMs: null, recoverMs: null });
    expect(staleFigureMs(times, 1_200, 3_000)).toBe(3_000);
    expect(staleFigureMs({ detectMs: null, recoverMs: 20 }, 1_200, 3_000)).toBe(1_200);
  });

  it('counts a lag that shows only after the heal in the recovery', () => {
    // Fault at 105, healed at 300 before /health noticed; it says false from 400 to 520, then true.
    const observations = polls(1_000, (t) => t >= 400 && t < 520);
    const times = trialTimes(observations, { faultAtMs: 105, healedAtMs: 300, endMs: 900 });
    expect(times).toEqual({ detectMs: null, recoverMs: 522 - 300 });
    expect(staleFigureMs(times, 1_200, 3_000)).toBe(1_200);
    // Still false when the window ended: not recovered.
    expect(
      trialTimes(
        polls(1_000, (t) => t >= 400),
        { faultAtMs: 105, healedAtMs: 300, endMs: 900 },
      ).recoverMs,
    ).toBeNull();
  });

  it('counts false answers outside every fault window as false alarms', () => {
    const observations = polls(1_000, (t) => (t >= 250 && t < 520) || t === 800);
    const window = { faultAtMs: 105, healedAtMs: 400, endMs: 600 };
    expect(falseWhileHealthy(observations, [window], 0)).toEqual([{ sentMs: 800, receivedMs: 802, connected: false }]);
    expect(falseWhileHealthy(observations, [window], 900)).toEqual([]);
  });

  it('gives p50 and max of what was seen', () => {
    expect(p50AndMax([30, null, 10, 20, 40])).toEqual({ p50: 20, max: 40 });
    expect(p50AndMax([null])).toEqual({ p50: null, max: null });
  });

  it('judges each kind on its trial figures against the 1 s bound', () => {
    const claim = HEALTH_DETECTION_CLAIMS.find((c) => c.id === 'monitoring.health-pause')!;
    expect(judgeClaim(claim, [120, 150, 130, 160, 140, 135], 'test').outcome).toBe('holds');
    expect(judgeClaim(claim, [2_100, 2_120, 2_090, 2_130, 2_110, 2_115], 'test').outcome).toBe('does not hold');
    expect(judgeClaim(claim, [120, 150, 130], 'test').outcome).toBe('inconclusive');
    expect(HEALTH_DETECTION_CLAIMS.map((c) => c.id)).toEqual([
      'monitoring.health-kill',
      'monitoring.health-pause',
      'monitoring.health-blackhole',
    ]);
  });
});

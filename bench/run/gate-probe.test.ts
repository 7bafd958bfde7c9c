import { describe, expect, it } from 'vitest';
import { PROBE_DEFAULTS, trialGoesOn, trialLimits } from './gate-probe.ts';

const ms = (x: number): bigint => BigInt(Math.round(x * 1e6));

describe('trialGoesOn', () => {
  const options = { ...PROBE_DEFAULTS, trialMs: 150, minRequestsPerTrial: 1_000, maxTrialFactor: 2 };

  it('runs for trialMs, then until the requests a p99 needs, never past maxTrialFactor x trialMs', () => {
    expect(trialGoesOn(trialLimits(options, 0n), ms(100), 5_000)).toBe(true);
    expect(trialGoesOn(trialLimits(options, 0n), ms(100), 10)).toBe(true);
    expect(trialGoesOn(trialLimits(options, 0n), ms(150), 1_000)).toBe(false);
    expect(trialGoesOn(trialLimits(options, 0n), ms(200), 880)).toBe(true);
    expect(trialGoesOn(trialLimits(options, 0n), ms(290), 990)).toBe(true);
    expect(trialGoesOn(trialLimits(options, 0n), ms(300), 999)).toBe(false);
  });

  it('goes on past trialMs only while its pace so far reaches the requests a p99 needs by the hard end', () => {
    // 300 ms hard end: 500 requests at 150 ms reach 1000 by then, 499 do not.
    expect(trialGoesOn(trialLimits(options, 0n), ms(150), 500)).toBe(true);
    expect(trialGoesOn(trialLimits(options, 0n), ms(150), 499)).toBe(false);
    // The +1 ms canary by default: about 125 requests in 150 ms, 1000 only at 1.2 s, the hard end.
    const limits = trialLimits(PROBE_DEFAULTS, ms(10));
    expect(trialGoesOn(limits, ms(160), 120)).toBe(false);
    expect(trialGoesOn(limits, ms(160), 125)).toBe(true);
  });

  it('by default lets a trial three times slower than usual reach the requests a p99 needs', () => {
    // 400 µs a request (a disturbed run on the slow machine): 750 requests at 300 ms, 1000 at 400 ms.
    const limits = trialLimits(PROBE_DEFAULTS, 0n);
    expect(trialGoesOn(limits, ms(300), 750)).toBe(true);
    expect(trialGoesOn(limits, ms(400), 1_000)).toBe(false);
    expect(trialGoesOn(limits, ms(PROBE_DEFAULTS.trialMs * PROBE_DEFAULTS.maxTrialFactor), 10)).toBe(false);
  });

  it('stops at maxRequestsPerTrial whatever the time', () => {
    expect(trialGoesOn(trialLimits({ ...options, maxRequestsPerTrial: 10 }, 0n), ms(1), 10)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import type { BreakerState } from '../cache/cache-health.ts';
import { CircuitBreaker } from './circuit-breaker.ts';

function setup(options: { failureThreshold?: number; openDurationMs?: number; halfOpenMaxProbes?: number } = {}) {
  let nowMs = 1_000;
  const transitions: [BreakerState, BreakerState][] = [];
  const breaker = new CircuitBreaker({
    failureThreshold: 3,
    openDurationMs: 500,
    halfOpenMaxProbes: 1,
    ...options,
    clock: () => nowMs,
    onTransition: (from, to) => transitions.push([from, to]),
  });
  const fail = (): void => breaker.tryAcquire()!.failure();
  return { breaker, transitions, fail, advance: (ms: number) => (nowMs += ms) };
}

describe('CircuitBreaker', () => {
  it('starts closed and lets calls through', () => {
    const { breaker } = setup();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).not.toBeNull();
  });

  it('closed -> open after failureThreshold consecutive failures, not before', () => {
    const { breaker, transitions, fail } = setup();
    fail();
    fail();
    expect(breaker.state).toBe('closed');
    fail();
    expect(breaker.state).toBe('open');
    expect(transitions).toEqual([['closed', 'open']]);
  });

  it('a success in between resets the count of consecutive failures', () => {
    const { breaker, fail } = setup();
    fail();
    fail();
    breaker.tryAcquire()!.success();
    fail();
    fail();
    expect(breaker.state).toBe('closed');
  });

  it('open refuses every call until openDurationMs has passed', () => {
    const { breaker, fail, advance } = setup();
    for (let i = 0; i < 3; i++) fail();
    expect(breaker.tryAcquire()).toBeNull();
    advance(499);
    expect(breaker.tryAcquire()).toBeNull();
    expect(breaker.state).toBe('open');
  });

  it('open -> half-open after openDurationMs; only halfOpenMaxProbes calls go through', () => {
    const { breaker, transitions, fail, advance } = setup({ halfOpenMaxProbes: 2 });
    for (let i = 0; i < 3; i++) fail();
    advance(500);
    expect(breaker.state).toBe('half-open');
    const first = breaker.tryAcquire();
    const second = breaker.tryAcquire();
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    expect(breaker.tryAcquire()).toBeNull();
    expect(transitions).toEqual([
      ['closed', 'open'],
      ['open', 'half-open'],
    ]);
  });

  it('half-open -> closed when the probe succeeds', () => {
    const { breaker, transitions, fail, advance } = setup();
    for (let i = 0; i < 3; i++) fail();
    advance(600);
    breaker.tryAcquire()!.success();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).not.toBeNull();
    expect(transitions.at(-1)).toEqual(['half-open', 'closed']);
  });

  it('half-open -> open when the probe fails, for another full openDurationMs', () => {
    const { breaker, transitions, fail, advance } = setup();
    for (let i = 0; i < 3; i++) fail();
    advance(600);
    breaker.tryAcquire()!.failure();
    expect(breaker.state).toBe('open');
    advance(499);
    expect(breaker.tryAcquire()).toBeNull();
    advance(1);
    expect(breaker.state).toBe('half-open');
    expect(transitions).toEqual([
      ['closed', 'open'],
      ['open', 'half-open'],
      ['half-open', 'open'],
      ['open', 'half-open'],
    ]);
    expect(breaker.transitions).toBe(4);
  });

  it('a permit counts once, and a late result of a call let through while closed does not reopen or close a probe', () => {
    const { breaker, fail, advance } = setup({ failureThreshold: 1 });
    const early = breaker.tryAcquire()!;
    fail();
    expect(breaker.state).toBe('open');
    advance(500);
    const probe = breaker.tryAcquire()!;
    early.failure();
    early.failure();
    expect(breaker.state).toBe('half-open');
    early.success();
    expect(breaker.state).toBe('half-open');
    probe.success();
    probe.failure();
    expect(breaker.state).toBe('closed');
  });

  it('probeNow: open -> half-open at once (the connection is back); no effect when closed', () => {
    const { breaker, transitions, fail } = setup();
    breaker.probeNow();
    expect(breaker.state).toBe('closed');
    for (let i = 0; i < 3; i++) fail();
    breaker.probeNow();
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).not.toBeNull();
    breaker.probeNow();
    expect(breaker.tryAcquire()).toBeNull();
    expect(transitions).toEqual([
      ['closed', 'open'],
      ['open', 'half-open'],
    ]);
  });

  it('rejects impossible options, naming each', () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0, openDurationMs: -1, halfOpenMaxProbes: 1.5 })).toThrow(
      /failureThreshold.*openDurationMs.*halfOpenMaxProbes/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import {
  GENERATOR_LIMITED,
  GENERATOR_LOAD_BOUNDS,
  GENERATOR_LOAD_BOUND_REASONS,
  generatorLimitedText,
  judgeGeneratorLoad,
  mergeGeneratorLoads,
} from './generator-load.ts';

const calm = { eventLoopDelayP99Ms: 1.2, harnessCpuShare: 0.3, redisCpuShare: 0.1 };

describe('judgeGeneratorLoad', () => {
  it('leaves a generator with slack unflagged', () => {
    expect(judgeGeneratorLoad(calm)).toEqual({ ...calm, generatorLimited: false, reason: null });
  });

  it('flags an event loop late past the bound at p99, and not at the bound', () => {
    const bound = GENERATOR_LOAD_BOUNDS.eventLoopDelayP99MaxMs;
    expect(judgeGeneratorLoad({ ...calm, eventLoopDelayP99Ms: bound }).generatorLimited).toBe(false);
    const late = judgeGeneratorLoad({ ...calm, eventLoopDelayP99Ms: bound + 0.1 });
    expect(late.generatorLimited).toBe(true);
    expect(late.reason).toMatch(/event loop ran 5\.1 ms late at p99 \(bound 5 ms\)/);
  });

  it('flags a generator near a full core while Redis has room, not when Redis is busy too', () => {
    const busy = { ...calm, harnessCpuShare: GENERATOR_LOAD_BOUNDS.harnessCpuShareMin };
    const limited = judgeGeneratorLoad(busy);
    expect(limited.generatorLimited).toBe(true);
    expect(limited.reason).toMatch(/used 90% of a core \(bound 90%\) while Redis used 10% \(below 50%\)/);
    const bothBusy = judgeGeneratorLoad({ ...busy, redisCpuShare: GENERATOR_LOAD_BOUNDS.redisCpuShareMax });
    expect(bothBusy.generatorLimited).toBe(false);
    // Unread, Redis cannot clear the generator: a full core alone flags it.
    expect(judgeGeneratorLoad({ ...busy, redisCpuShare: null }).reason).toMatch(/Redis's CPU was not read/);
  });

  it('gives every bound a reason', () => {
    expect(Object.keys(GENERATOR_LOAD_BOUND_REASONS).sort()).toEqual(Object.keys(GENERATOR_LOAD_BOUNDS).sort());
  });
});

describe('generatorLimitedText', () => {
  it('says "generator-limited" with the three figures', () => {
    expect(generatorLimitedText({ eventLoopDelayP99Ms: 12.34, harnessCpuShare: 0.97, redisCpuShare: 0.081 })).toBe(
      `${GENERATOR_LIMITED} (event-loop p99 12.3 ms, harness CPU 97%, redis CPU 8%)`,
    );
    expect(generatorLimitedText({ ...calm, redisCpuShare: null })).toMatch(/redis CPU n\/a\)$/);
  });
});

describe('mergeGeneratorLoads', () => {
  it("takes the worst thread's delay and CPU, Redis's share as read over the phase, and judges again", () => {
    const a = judgeGeneratorLoad({ eventLoopDelayP99Ms: 6, harnessCpuShare: 0.2, redisCpuShare: null });
    const b = judgeGeneratorLoad({ eventLoopDelayP99Ms: 1, harnessCpuShare: 0.95, redisCpuShare: null });
    const merged = mergeGeneratorLoads([a, undefined, b], 0.3);
    expect(merged).toMatchObject({
      eventLoopDelayP99Ms: 6,
      harnessCpuShare: 0.95,
      redisCpuShare: 0.3,
      generatorLimited: true,
    });
    expect(merged?.reason).toMatch(/late at p99.*; the generator used 95%/);
    expect(mergeGeneratorLoads([undefined])).toBeUndefined();
    expect(mergeGeneratorLoads([{ ...a, redisCpuShare: 0.2 }, b])?.redisCpuShare).toBe(0.2);
  });
});

import { describe, expect, it } from 'vitest';
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import { judgeGeneratorLoad } from '../../bench/measure/generator-load.ts';
import { addGeneratorLoadValues, limitedPhasesText, limitedSuffix } from './generator-load-figures.ts';
import { roundOrder } from './claim-rounds.ts';

const calm = judgeGeneratorLoad({ eventLoopDelayP99Ms: 0.8, harnessCpuShare: 0.2, redisCpuShare: 0.05 });
const late = judgeGeneratorLoad({ eventLoopDelayP99Ms: 12.34, harnessCpuShare: 0.4, redisCpuShare: 0.05 });
const phase = (round: number, load = calm) => ({
  phase: `claim.GET:2000-ops-s round ${round}`,
  key: `claim.GET:2000-ops-s.round-${round}`,
  load,
});

describe("a phase's generator load in command-latency's figures", () => {
  it('adds the three figures per phase, and the words "generator-limited (...)" to a limited one', () => {
    const values: Record<string, ScenarioValue> = {};
    addGeneratorLoadValues(values, 'GET:4000-ops-s', 'GET at 4000 ops/s', late);
    addGeneratorLoadValues(values, 'SET:4000-ops-s', 'SET at 4000 ops/s', calm);
    addGeneratorLoadValues(values, 'MGET5:4000-ops-s', 'MGET5 at 4000 ops/s', undefined);
    expect(Object.keys(values)).toEqual([
      'generator-load.GET:4000-ops-s.event-loop-p99-ms',
      'generator-load.GET:4000-ops-s.harness-cpu-share',
      'generator-load.GET:4000-ops-s.redis-cpu-share',
      'generator-load.SET:4000-ops-s.event-loop-p99-ms',
      'generator-load.SET:4000-ops-s.harness-cpu-share',
      'generator-load.SET:4000-ops-s.redis-cpu-share',
    ]);
    expect(values['generator-load.GET:4000-ops-s.event-loop-p99-ms']).toMatchObject({ value: 12.34, unit: 'ms' });
    expect(values['generator-load.GET:4000-ops-s.redis-cpu-share'].description).toMatch(
      /generator-limited \(event-loop p99 12\.3 ms, harness CPU 40%, redis CPU 5%\)/,
    );
    expect(values['generator-load.SET:4000-ops-s.harness-cpu-share'].description).not.toMatch(/generator-limited/);
    expect(limitedSuffix(late)).toBe('; generator-limited (event-loop p99 12.3 ms, harness CPU 40%, redis CPU 5%)');
    expect(limitedSuffix(calm)).toBe('');
    expect(limitedSuffix(undefined)).toBe('');
  });

  it('names the limited phases for the conditions, at most three, and counts them; null when none was', () => {
    expect(limitedPhasesText([phase(1), phase(2)], 'claim phases')).toBeNull();
    expect(limitedPhasesText([phase(1), phase(2, late)], 'claim phases')).toBe(
      'generator-limited (event-loop p99 12.3 ms, harness CPU 40%, redis CPU 5%) in claim.GET:2000-ops-s round 2 (1 of 2 claim phases)',
    );
    const many = [1, 2, 3, 4, 5].map((r) => phase(r, late));
    expect(limitedPhasesText(many, 'claim phases')).toMatch(/round 3, and 2 more \(5 of 5 claim phases\)$/);
  });
});

describe('roundOrder', () => {
  it('rotates the commands from round to round, each once per round', () => {
    expect([0, 1, 2, 3].map((round) => roundOrder(3, round))).toEqual([
      [0, 1, 2],
      [1, 2, 0],
      [2, 0, 1],
      [0, 1, 2],
    ]);
  });
});

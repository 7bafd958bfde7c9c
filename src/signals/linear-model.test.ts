import { describe, expect, it } from 'vitest';
import { LinearModel } from './linear-model.ts';
import { ModelRegistry } from './model-registry.ts';

const model = new LinearModel({
  name: 't',
  version: '1.0.0',
  featureNames: ['a', 'b', 'c'],
  weights: Float64Array.from([0.5, -2, 1]),
  bias: 0.25,
});

describe('LinearModel.predict', () => {
  it('is bias + w·x', () => {
    expect(model.predict(Float64Array.from([2, 1, 3]))).toBe(0.25 + 1 - 2 + 3);
  });

  it('lets NaN and infinite features contribute 0 (nan_policy zero)', () => {
    expect(model.predict(Float64Array.from([Number.NaN, 1, Infinity]))).toBe(0.25 - 2);
    expect(model.predict(Float64Array.from([Number.NaN, Number.NaN, -Infinity]))).toBe(0.25);
  });

  it('refuses a vector of the wrong length and never returns a non-finite score', () => {
    expect(() => model.predict(Float64Array.from([1, 2]))).toThrow(/expects 3 features, got 2/);
    expect(() => model.predict(Float64Array.from([1e308, -1e308, 1e308]))).toThrow(/non-finite/);
  });

  it('scores an all-NaN Alpha158 vector with the committed model as its bias', async () => {
    const loaded = await ModelRegistry.load();
    const score = loaded.predict(new Float64Array(158).fill(Number.NaN));
    expect(Number.isFinite(score)).toBe(true);
    expect(score).toBe(loaded.predict(new Float64Array(158)));
  });
});

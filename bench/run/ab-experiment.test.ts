import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { parseVariant } from './ab-experiment.ts';
import type { Scenario } from './scenario.ts';

const scenario: Scenario = {
  id: 's',
  description: '',
  claims: [],
  tunables: {
    codec: { kind: 'choice', values: ['json-array', 'json-object'], description: '' },
    rounds: { kind: 'integer', min: 3, max: 9, description: '' },
  },
  run: async () => ({ values: {}, trials: {}, verdicts: [], parameters: {}, notes: [] }),
};

describe('parseVariant', () => {
  it('splits scenario parameters from run-level keys', () => {
    expect(parseVariant('B', 'codec=json-object,added-latency-ms=1,miss-extra-ms=40', scenario)).toEqual({
      label: 'B',
      text: 'codec=json-object,added-latency-ms=1,miss-extra-ms=40',
      overrides: { codec: 'json-object' },
      addedLatencyMs: '1',
      missExtraMs: '40',
    });
    expect(parseVariant('A', '', scenario).overrides).toEqual({});
  });

  it('reports every bad key and value of a variant at once', () => {
    const error = (() => {
      try {
        parseVariant('A', 'codec=gzip,nope=1,rounds=99', scenario);
      } catch (e) {
        return e as ConfigError;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toBe('invalid --a variant');
    expect(error?.problems).toHaveLength(3);
  });
});

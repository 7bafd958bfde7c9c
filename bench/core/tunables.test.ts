import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { parseAssignments, resolveTunables, tunableProblems } from './tunables.ts';
import type { TunableSpec } from './tunables.ts';

const specs: Record<string, TunableSpec> = {
  rounds: { kind: 'integer', min: 3, max: 99, description: 'trials' },
  roundDurationMs: { kind: 'number', min: 50, max: 60_000, description: 'round length' },
  codec: { kind: 'choice', values: ['json-array', 'json-object'], description: 'codec' },
};

describe('parseAssignments', () => {
  it('reads comma lists and repeated flags', () => {
    expect(parseAssignments(['rounds=9,codec=json-object', ' roundDurationMs = 500 '], '--set')).toEqual({
      rounds: '9',
      codec: 'json-object',
      roundDurationMs: '500',
    });
  });

  it('reports every malformed part and repeated keys at once', () => {
    try {
      parseAssignments(['rounds', 'x=', 'rounds=3,rounds=4'], '--set');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        '--set "rounds": expected key=value, e.g. rounds=9',
        '--set "x=": expected key=value, e.g. rounds=9',
        '--set rounds is given twice',
      ]);
    }
  });
});

describe('tunableProblems / resolveTunables', () => {
  it('accepts valid values and types them', () => {
    const raw = { rounds: '9', roundDurationMs: '250.5', codec: 'json-object' };
    expect(tunableProblems('s', specs, raw)).toEqual([]);
    expect(resolveTunables(specs, raw)).toEqual({ rounds: 9, roundDurationMs: 250.5, codec: 'json-object' });
  });

  it('names unknown keys with the known ones, and out-of-range or malformed values with what is expected', () => {
    expect(tunableProblems('s', specs, { nope: '1', rounds: '2.5', roundDurationMs: '10', codec: 'gzip' })).toEqual([
      's has no parameter nope; it has: rounds, roundDurationMs, codec',
      's.rounds=2.5: expected an integer from 3 to 99',
      's.roundDurationMs=10: expected a number from 50 to 60000',
      's.codec=gzip: expected one of json-array, json-object',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { NO_TOXICS, resolveToxics } from './toxic.ts';

describe('resolveToxics', () => {
  it('resolves each toxic onto its directions, downstream by default', () => {
    expect(resolveToxics([])).toEqual(NO_TOXICS);
    const resolved = resolveToxics([
      { kind: 'latency', latencyMs: 5, jitterMs: 1, direction: 'both' },
      { kind: 'bandwidth', kbPerSecond: 100 },
      { kind: 'reset-peer' },
    ]);
    expect(resolved.upstream).toEqual({ latencyMs: 5, jitterMs: 1, bytesPerMs: undefined, blackHole: false });
    expect(resolved.downstream).toEqual({ latencyMs: 5, jitterMs: 1, bytesPerMs: 100, blackHole: false });
    expect(resolved.resetPeer).toEqual({ afterMs: 0 });
    expect(resolveToxics([{ kind: 'black-hole' }]).upstream.blackHole).toBe(true);
  });

  it('lists every problem, in toxic order, in one ConfigError', () => {
    let error: unknown;
    try {
      resolveToxics([
        { kind: 'latency', latencyMs: -1, direction: 'sideways' },
        'nonsense',
        { kind: 'black-hole' },
        { kind: 'reset-peer', afterMs: 1 },
        { kind: 'reset-peer' },
      ]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringContaining('toxics[0].latencyMs must be a non-negative number'),
      expect.stringContaining('toxics[0].direction must be one of'),
      expect.stringContaining('toxics[1] must be an object'),
      expect.stringContaining('toxics[4]: a second reset-peer toxic (toxics[3] is the first)'),
      expect.stringContaining('toxics[2]: black-hole and reset-peer contradict each other'),
    ]);
  });
});

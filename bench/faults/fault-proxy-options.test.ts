import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { namedTargetUpstream, resolveFaultProxyOptions } from './fault-proxy-options.ts';
import type { FaultProxyOptions } from './fault-proxy-options.ts';

function problems(options: FaultProxyOptions): readonly string[] {
  try {
    resolveFaultProxyOptions(options);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('the fault proxy upstream rule', () => {
  it('forwards to loopback without a named target, and to nothing else', () => {
    expect(problems({ upstreamHost: '127.0.0.1', upstreamPort: 6379 })).toEqual([]);
    expect(problems({ upstreamHost: 'redis', upstreamPort: 6379 }).join('\n')).toMatch(
      /upstreamHost "redis" is not a loopback address/,
    );
  });

  it("forwards off loopback only to exactly the run's named target, host and port", () => {
    const named = { host: 'redis', port: 6379 };
    expect(resolveFaultProxyOptions({ upstreamHost: 'redis', upstreamPort: 6379, namedTarget: named })).toMatchObject({
      upstreamHost: 'redis',
      upstreamPort: 6379,
      listenHost: '127.0.0.1',
    });
    expect(problems({ upstreamHost: 'REDIS', upstreamPort: 6379, namedTarget: named })).toEqual([]);
    expect(problems({ upstreamHost: 'other', upstreamPort: 6379, namedTarget: named }).join('\n')).toMatch(
      /neither a loopback address nor the run's named target redis:6379/,
    );
    expect(problems({ upstreamHost: 'redis', upstreamPort: 6380, namedTarget: named }).join('\n')).toMatch(
      /port 6380 is neither/,
    );
    expect(problems({ upstreamHost: '', upstreamPort: 6379, namedTarget: { host: '', port: 6379 } })).not.toEqual([]);
  });

  it('listens on loopback only when it forwards off loopback', () => {
    const named = { host: '10.1.2.3', port: 6379 };
    expect(
      problems({ upstreamHost: '10.1.2.3', upstreamPort: 6379, namedTarget: named, listenHost: '0.0.0.0' }).join('\n'),
    ).toMatch(/listenHost "0.0.0.0" is not a loopback address/);
    expect(problems({ upstreamHost: '10.1.2.3', upstreamPort: 6379, namedTarget: named, listenHost: '::1' })).toEqual(
      [],
    );
  });

  it('takes host and port of the target URL as the named target', () => {
    expect(namedTargetUpstream('redis://:secret@redis:6379/15')).toEqual({
      upstreamHost: 'redis',
      upstreamPort: 6379,
      namedTarget: { host: 'redis', port: 6379 },
    });
    expect(namedTargetUpstream('redis://[fd00::5]/0')).toEqual({
      upstreamHost: 'fd00::5',
      upstreamPort: 6379,
      namedTarget: { host: 'fd00::5', port: 6379 },
    });
    const viaUrl = namedTargetUpstream('redis://10.0.0.7:7000');
    expect(problems(viaUrl)).toEqual([]);
  });
});

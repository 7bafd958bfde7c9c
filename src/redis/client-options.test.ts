import { describe, expect, it } from 'vitest';
import { DEFAULT_CACHE_CLIENT_OPTIONS, resolveCacheClientOptions } from './client-options.ts';

describe('resolveCacheClientOptions', () => {
  it('defaults fail fast', () => {
    const resolved = resolveCacheClientOptions();
    expect(resolved).toEqual(DEFAULT_CACHE_CLIENT_OPTIONS);
    expect(resolved.enableOfflineQueue).toBe(false);
    expect(resolved.commandTimeoutMs).toBeLessThanOrEqual(250);
    expect(resolved.maxRetriesPerRequest).toBeLessThanOrEqual(1);
    // A restarted Redis must be picked up well within the 1 s "first hit after restart" bound.
    expect(resolved.reconnectMaxDelayMs).toBeLessThanOrEqual(500);
  });

  it('applies overrides and ignores undefined ones', () => {
    expect(resolveCacheClientOptions({ commandTimeoutMs: 250, connectionName: undefined })).toMatchObject({
      commandTimeoutMs: 250,
      connectionName: DEFAULT_CACHE_CLIENT_OPTIONS.connectionName,
    });
  });

  it('names every invalid option at once', () => {
    expect(() =>
      resolveCacheClientOptions({
        commandTimeoutMs: 0,
        connectTimeoutMs: 1.5,
        maxRetriesPerRequest: -1,
        connectionName: 'has space',
      }),
    ).toThrow(/commandTimeoutMs.*connectTimeoutMs.*maxRetriesPerRequest.*connectionName/);
    expect(() => resolveCacheClientOptions({ reconnectBaseDelayMs: 500, reconnectMaxDelayMs: 100 })).toThrow(
      /reconnectMaxDelayMs/,
    );
  });
});

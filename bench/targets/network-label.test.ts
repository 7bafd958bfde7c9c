import { describe, expect, it } from 'vitest';
import { networkLabel } from './network-label.ts';

describe('networkLabel', () => {
  it('names loopback targets as loopback and others as network, without credentials', () => {
    expect(networkLabel('redis://127.0.0.1:6380')).toBe('loopback (127.0.0.1)');
    expect(networkLabel('redis://:pw@[::1]:6380')).toBe('loopback (::1)');
    expect(networkLabel('rediss://user:pw@cache.internal:6380/1')).toBe('network (cache.internal)');
    expect(networkLabel('not a url')).toBe('network (unknown host)');
  });
});

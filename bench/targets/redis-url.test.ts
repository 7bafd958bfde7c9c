import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { connectOptionsFromUrl, validateRedisUrl } from './redis-url.ts';

// The parser and redaction themselves are tested beside src/redis/redis-url.ts; these tests cover
// what the harness adds: ioredis options, and a bad URL as a ConfigError.
describe('validateRedisUrl', () => {
  it('turns TLS on for rediss', () => {
    expect(validateRedisUrl('rediss://h:1').tls).toBe(true);
    expect(connectOptionsFromUrl('rediss://:pw@h:1/2')).toEqual({
      host: 'h',
      port: 1,
      db: 2,
      password: 'pw',
      tls: { servername: 'h' },
      disableClientInfo: true,
    });
    expect(connectOptionsFromUrl('rediss://127.0.0.1:1').tls).toEqual({});
    expect(connectOptionsFromUrl('redis://h').tls).toBeUndefined();
  });

  it.each([
    ['http://user:topsecret@host:6379', /scheme must be redis: or rediss:/],
    ['garbage', /not a URL/],
    ['redis://:topsecret@host/abc', /database number/],
    ['redis://:topsecret@host:6379/0?family=6', /query parameters/],
    ['redis://:topsecret@:6379', /.+/],
  ])('rejects %s with a ConfigError showing the URL redacted', (url, reason) => {
    let caught: unknown;
    try {
      validateRedisUrl(url);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.message).toMatch(reason);
    expect(`${error.message} ${error.hint} ${error.problems.join(' ')}`).not.toContain('topsecret');
    if (url.includes('@')) expect(error.message).toContain(':***@');
  });
});

import { describe, expect, it } from 'vitest';
import { endpointOptions } from './endpoint-options.ts';
import { parseRedisUrl, RedisUrlError } from './redis-url.ts';

describe('endpointOptions', () => {
  it('gives host, port, db and credentials, and turns CLIENT SETINFO off', () => {
    expect(endpointOptions('redis://app:p%40ss@cache.internal:6390/3')).toEqual({
      host: 'cache.internal',
      port: 6390,
      db: 3,
      username: 'app',
      password: 'p@ss',
      tls: undefined,
      disableClientInfo: true,
    });
  });

  it('sends SNI for a host name only, and merges the caller TLS settings over it', () => {
    expect(endpointOptions('rediss://redis.example:6380').tls).toEqual({ servername: 'redis.example' });
    expect(endpointOptions('rediss://127.0.0.1:6380').tls).toEqual({});
    expect(endpointOptions('rediss://[::1]:6380').tls).toEqual({});
    expect(endpointOptions('rediss://redis.example', { ca: 'CA', servername: 'other.example' }).tls).toEqual({
      ca: 'CA',
      servername: 'other.example',
    });
    expect(endpointOptions('redis://redis.example', { ca: 'CA' }).tls).toBeUndefined();
  });

  it('takes a parsed endpoint as well as a URL, and rejects a bad URL', () => {
    expect(endpointOptions(parseRedisUrl('rediss://h:1'))).toEqual(endpointOptions('rediss://h:1'));
    expect(() => endpointOptions('http://h:1')).toThrow(RedisUrlError);
  });
});

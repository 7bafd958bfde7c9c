import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { connectOptionsFromUrl, parseRedisUrl, redactRedisUrl } from './redis-url.ts';

describe('redactRedisUrl', () => {
  it.each([
    ['redis://user:secret@host:6380/2', 'redis://user:***@host:6380/2'],
    ['redis://:secret@host', 'redis://:***@host'],
    ['rediss://:p%40ss@host:1', 'rediss://:***@host:1'],
    ['redis://:pa/ss@word@host', 'redis://:***@host'],
    ['redis://host:6379', 'redis://host:6379'],
    ['redis://justuser@host', 'redis://justuser@host'],
    ['http://u:secret@x', 'http://u:***@x'],
    ['not a url :secret@', 'not a url :***@'],
  ])('%s -> %s', (url, redacted) => {
    expect(redactRedisUrl(url)).toBe(redacted);
  });
});

describe('parseRedisUrl', () => {
  it('reads host, port, db and credentials', () => {
    expect(parseRedisUrl('redis://alice:s%3Acret@example.com:6380/3')).toEqual({
      tls: false,
      host: 'example.com',
      port: 6380,
      db: 3,
      username: 'alice',
      password: 's:cret',
    });
  });

  it('defaults the port and db, and takes a password without a user', () => {
    expect(parseRedisUrl('redis://:pw@localhost')).toMatchObject({
      port: 6379,
      db: 0,
      username: undefined,
      password: 'pw',
    });
    expect(parseRedisUrl('redis://[::1]:7000/')).toMatchObject({ host: '::1', port: 7000, db: 0 });
  });

  it('turns TLS on for rediss', () => {
    expect(parseRedisUrl('rediss://h:1').tls).toBe(true);
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
      parseRedisUrl(url);
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

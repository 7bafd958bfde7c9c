import { describe, expect, it } from 'vitest';
import { parseRedisUrl, redactRedisUrl } from './redis-url.ts';

describe('parseRedisUrl', () => {
  it('takes a redis URL apart', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6390/2')).toEqual({
      host: '127.0.0.1',
      port: 6390,
      db: 2,
      username: undefined,
      password: undefined,
      tls: false,
    });
    expect(parseRedisUrl('redis://cache.internal')).toMatchObject({ host: 'cache.internal', port: 6379, db: 0 });
    expect(parseRedisUrl('redis://[::1]:7000')).toMatchObject({ host: '::1', port: 7000 });
  });

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

  it('turns on TLS for rediss and decodes credentials', () => {
    expect(parseRedisUrl('rediss://app:p%40ss@redis.example:6380')).toEqual({
      host: 'redis.example',
      port: 6380,
      db: 0,
      username: 'app',
      password: 'p@ss',
      tls: true,
    });
    expect(parseRedisUrl('redis://:secret@h')).toMatchObject({ username: undefined, password: 'secret' });
  });

  it.each([
    ['http://h:6379', /scheme/],
    ['localhost:6379', /scheme|not a URL/],
    ['not a url', /not a URL/],
    ['redis://h/abc', /database number/],
    ['redis://h/0?family=6', /query parameters/],
  ])('rejects %s', (url, message) => {
    expect(() => parseRedisUrl(url)).toThrow(message);
  });

  it('never puts a password in an error message, not even one in the query string', () => {
    expect(() => parseRedisUrl('redis://h:6380/0?password=hunter2')).toThrow(/query parameters/);
    try {
      parseRedisUrl('redis://h:6380/0?password=hunter2');
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
    expect(() => parseRedisUrl('redis://u:hunter2@h/x')).toThrow(/\*\*\*/);
    try {
      parseRedisUrl('redis://u:hunter2@h/x');
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});

describe('redactRedisUrl', () => {
  it('masks the password and keeps the rest', () => {
    expect(redactRedisUrl('rediss://app:hunter2@h:6380/1')).toBe('rediss://app:***@h:6380/1');
    expect(redactRedisUrl('redis://h:6379')).toBe('redis://h:6379');
    // Malformed input is masked too, so an error can show what was given without the secret.
    expect(redactRedisUrl('not a url :hunter2@')).toBe('not a url :***@');
    // ioredis also reads a password from the query string: the whole query is hidden.
    expect(redactRedisUrl('redis://h:6380/0?password=hunter2&db=1')).toBe('redis://h:6380/0?***');
    expect(redactRedisUrl('redis://:a@h/0#hunter2')).toBe('redis://:***@h/0#***');
  });

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

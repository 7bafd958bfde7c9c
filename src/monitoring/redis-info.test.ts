import { describe, expect, it } from 'vitest';
import { infoField, parseRedisInfo } from './redis-info.ts';

const SAMPLE = [
  '# Server',
  'redis_version:7.0.15',
  'tcp_port:6380',
  'executable:/usr/bin/redis-server',
  '',
  '# Stats',
  'keyspace_hits:1000',
  'keyspace_misses:200',
  'instantaneous_input_kbps:0.12',
  '',
  '# Commandstats',
  'cmdstat_get:calls=10,usec=50,usec_per_call=5.00,rejected_calls=0,failed_calls=0',
  '',
  '# Keyspace',
  'db0:keys=500,expires=500,avg_ttl=3599000',
  '',
].join('\r\n');

describe('parseRedisInfo', () => {
  it('splits sections and converts numbers', () => {
    const info = parseRedisInfo(SAMPLE);
    expect(info.server.redis_version).toBe('7.0.15');
    expect(info.server.tcp_port).toBe(6380);
    expect(info.stats.keyspace_hits).toBe(1000);
    expect(info.stats.instantaneous_input_kbps).toBe(0.12);
    expect(info.server.executable).toBe('/usr/bin/redis-server');
  });

  it('parses compound values into objects', () => {
    const info = parseRedisInfo(SAMPLE);
    expect(info.keyspace.db0).toEqual({ keys: 500, expires: 500, avg_ttl: 3599000 });
    expect(info.commandstats.cmdstat_get).toMatchObject({ calls: 10, usec_per_call: 5 });
  });

  it('finds a field in any section', () => {
    const info = parseRedisInfo(SAMPLE);
    expect(infoField(info, 'keyspace_misses')).toBe(200);
    expect(infoField(info, 'nope')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { evaluateAlerts, healthFigures, overallSeverity, unreachableAlert } from './alert-thresholds.ts';
import { parseRedisInfo } from './redis-info.ts';

/** INFO text in the server's own layout, with the fields the alerts read. */
function infoText(fields: {
  hits?: number;
  misses?: number;
  used?: number;
  max?: number;
  policy?: string;
  clients?: number;
  errors?: number;
}): string {
  return [
    '# Server',
    'redis_version:7.0.15',
    'uptime_in_seconds:42',
    '# Clients',
    `connected_clients:${fields.clients ?? 3}`,
    '# Memory',
    `used_memory:${fields.used ?? 1_000_000}`,
    'used_memory_human:976.56K',
    `maxmemory:${fields.max ?? 536_870_912}`,
    `maxmemory_policy:${fields.policy ?? 'volatile-lru'}`,
    '# Errorstats',
    'errorstat_ERR:count=2',
    '# Stats',
    `keyspace_hits:${fields.hits ?? 1000}`,
    `keyspace_misses:${fields.misses ?? 200}`,
    'evicted_keys:0',
    `total_error_replies:${fields.errors ?? 0}`,
    '# Keyspace',
    'db0:keys=500,expires=500,avg_ttl=3500000',
    'db1:keys=2,expires=0,avg_ttl=0',
  ].join('\r\n');
}

const alertsFor = (fields: Parameters<typeof infoText>[0]) =>
  evaluateAlerts(healthFigures(parseRedisInfo(infoText(fields))));
const ids = (fields: Parameters<typeof infoText>[0]) => alertsFor(fields).map((a) => `${a.severity}:${a.id}`);

describe("the document's alert thresholds over INFO", () => {
  it("reads the document's example figures: 1000 hits / 200 misses = 83.3%, keys across databases, own connection left out", () => {
    const figures = healthFigures(parseRedisInfo(infoText({})));
    expect(figures.hitRate).toBeCloseTo(1000 / 1200, 6);
    expect(figures.keys).toBe(502);
    expect(figures.connectedClients).toBe(2);
    expect(figures.memoryRatio).toBeCloseTo(1_000_000 / 536_870_912, 9);
    expect(ids({})).toEqual([]);
    expect(overallSeverity(alertsFor({}))).toBe('ok');
  });

  it('warns below 50% hit rate, but not at 50% nor with too few lookups to judge', () => {
    expect(ids({ hits: 49, misses: 51 })).toEqual(['warning:hit-rate']);
    expect(ids({ hits: 50, misses: 50 })).toEqual([]);
    expect(ids({ hits: 0, misses: 99 })).toEqual([]);
    expect(alertsFor({ hits: 10, misses: 190 })[0]!.message).toMatch(/hit rate 5\.0% over 200 lookups/);
  });

  it('warns above 80% of maxmemory and is critical above 95%, with the boundaries exclusive', () => {
    expect(ids({ used: 800, max: 1000 })).toEqual([]);
    expect(ids({ used: 801, max: 1000 })).toEqual(['warning:memory']);
    expect(ids({ used: 950, max: 1000 })).toEqual(['warning:memory']);
    expect(ids({ used: 951, max: 1000 })).toEqual(['critical:memory']);
  });

  it('warns above 50 connected clients (not counting the monitor itself)', () => {
    expect(ids({ clients: 51 })).toEqual([]);
    expect(ids({ clients: 52 })).toEqual(['warning:connected-clients']);
  });

  it('warns on error replies (the document\'s "keyspace errors > 0")', () => {
    expect(ids({ errors: 1 })).toEqual(['warning:error-replies']);
    expect(alertsFor({ errors: 2 })[0]!.message).toMatch(
      /2 commands answered with an error since the server started \(all error replies by prefix: ERR 2\) \(total_error_replies/,
    );
  });

  it('counts as keyspace errors the failed and rejected calls of known commands, not replies to unknown ones', () => {
    const withCommandstats = (failed: number, rejected: number, total: number) =>
      evaluateAlerts(
        healthFigures(
          parseRedisInfo(
            [
              infoText({ errors: total }),
              '# Commandstats',
              `cmdstat_get:calls=10,usec=20,usec_per_call=2.00,rejected_calls=0,failed_calls=${failed}`,
              `cmdstat_set:calls=4,usec=8,usec_per_call=2.00,rejected_calls=${rejected},failed_calls=0`,
            ].join('\r\n'),
          ),
        ),
      );
    // Two ERR replies to CLIENT SETINFO (unknown before Redis 7.2) count in total_error_replies only.
    expect(withCommandstats(0, 0, 2)).toEqual([]);
    const alerts = withCommandstats(1, 1, 4);
    expect(alerts.map((a) => `${a.severity}:${a.id}`)).toEqual(['warning:error-replies']);
    expect(alerts[0]!.message).toMatch(/^2 commands answered with an error .*failed_calls \+ rejected_calls/);
    expect(healthFigures(parseRedisInfo(infoText({ errors: 3 }))).commandErrors).toBeNull();
  });

  it('is critical when no eviction policy applies: noeviction, or no maxmemory at all', () => {
    expect(ids({ policy: 'noeviction' })).toEqual(['critical:eviction-policy']);
    const unlimited = alertsFor({ max: 0 });
    expect(unlimited.map((a) => a.id)).toEqual(['eviction-policy']);
    expect(unlimited[0]!.message).toMatch(/maxmemory is 0/);
  });

  it('puts critical alerts first and takes the worst severity', () => {
    const alerts = alertsFor({
      hits: 1,
      misses: 200,
      used: 990,
      max: 1000,
      policy: 'noeviction',
      clients: 80,
      errors: 3,
    });
    expect(alerts.map((a) => `${a.severity}:${a.id}`)).toEqual([
      'critical:memory',
      'critical:eviction-policy',
      'warning:hit-rate',
      'warning:connected-clients',
      'warning:error-replies',
    ]);
    expect(overallSeverity(alerts)).toBe('critical');
    expect(overallSeverity([unreachableAlert('ECONNREFUSED')])).toBe('critical');
    expect(overallSeverity(alertsFor({ clients: 99 }))).toBe('warning');
  });
});

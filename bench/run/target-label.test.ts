import { describe, expect, it } from 'vitest';
import type { RedisInfo } from '../../src/monitoring/redis-info.ts';
import { ConfigError } from '../errors.ts';
import type { RedisTarget } from '../targets/redis-target.ts';
import { resolveRunParams } from './run-params.ts';
import type { ScenarioContext } from './scenario.ts';
import { environmentConditions } from './scenario-kit.ts';
import { scenarioTarget, targetReport } from './target-session.ts';

const INFO = { server: { redis_version: '7.0.15' } } as unknown as RedisInfo;
const given = (url: string, redactedUrl: string, origin?: RedisTarget['origin']): RedisTarget => ({
  url,
  redactedUrl,
  version: '7.0.15',
  kind: 'url',
  ignoredConfigOverrides: [],
  close: async () => {},
  ...(origin === undefined ? {} : { origin }),
});
const CONTAINER = given('redis://:pw@localhost:32768', 'redis://localhost:32768', {
  kind: 'container',
  image: 'redis:7.0',
});
const COMPOSE = given('redis://:pw@redis:6379/15', 'redis://redis:6379/15', {
  kind: 'compose-service',
  service: 'redis',
});
const PLAIN = given('redis://:pw@10.0.0.5:6379', 'redis://10.0.0.5:6379');

function conditions(target: RedisTarget): string {
  const context = {
    network: 'network (x)',
    redisVersion: '7.0.15',
    target: scenarioTarget(target, target.url),
  } as unknown as ScenarioContext;
  return environmentConditions(context);
}

describe('the target labelled as what it is', () => {
  it('a --target container run: summary kind container with the image, conditions say container and image', () => {
    expect(targetReport(CONTAINER, INFO, false, 0)).toMatchObject({
      kind: 'container',
      image: 'redis:7.0',
      redisVersion: '7.0.15',
    });
    expect(targetReport(CONTAINER, INFO, false, 0)).not.toHaveProperty('composeService');
    expect(conditions(CONTAINER)).toMatch(/^network \(x\), container \(redis:7\.0\) Redis 7\.0\.15, Node /);
    expect(scenarioTarget(CONTAINER, CONTAINER.url)).toMatchObject({ kind: 'url', label: 'container (redis:7.0)' });
  });

  it('a compose run: kind url, naming the compose service in the summary and the conditions', () => {
    const report = targetReport(COMPOSE, INFO, false, 0);
    expect(report).toMatchObject({ kind: 'url', composeService: 'redis' });
    expect(report).not.toHaveProperty('image');
    expect(conditions(COMPOSE)).toMatch(/, compose service redis Redis 7\.0\.15, /);
  });

  it('any other URL stays "url", and a managed target "managed"', () => {
    expect(targetReport(PLAIN, INFO, false, 0)).toMatchObject({ kind: 'url' });
    expect(targetReport(PLAIN, INFO, false, 0)).not.toHaveProperty('image');
    expect(conditions(PLAIN)).toMatch(/, url Redis 7\.0\.15, /);
    expect(scenarioTarget(PLAIN, PLAIN.url)).not.toHaveProperty('label');
  });

  it('RPB_COMPOSE_SERVICE is taken only with a REDIS_URL whose host is that service', () => {
    const out = '/tmp/rpb-never-created-target-label';
    expect(
      resolveRunParams({ out }, { REDIS_URL: 'redis://:pw@redis:6379/15', RPB_COMPOSE_SERVICE: 'redis' })
        .composeService,
    ).toBe('redis');
    expect(resolveRunParams({ out }, { REDIS_URL: 'redis://:pw@redis:6379/15' }).composeService).toBeUndefined();
    for (const env of [
      { RPB_COMPOSE_SERVICE: 'redis' },
      { REDIS_URL: 'redis://10.0.0.5:6379', RPB_COMPOSE_SERVICE: 'redis' },
    ]) {
      const error = (() => {
        try {
          resolveRunParams({ out }, env);
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.join('\n')).toMatch(/RPB_COMPOSE_SERVICE=redis names the compose service/);
    }
  });
});

import type { Redis } from 'ioredis';
import { ConfigError } from '../../bench/errors.ts';
import { managedServer, scenarioParams } from '../../bench/run/scenario-kit.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import { InvalidationKeyspace } from './invalidation-keyspace.ts';
import {
  DEFAULT_INVALIDATION_PARAMS,
  INVALIDATION_TUNABLES,
  QUICK_INVALIDATION_PARAMS,
} from './invalidation-params.ts';
import type { InvalidationParams } from './invalidation-params.ts';
import { SCENARIO_ID, measureInvalidations } from './invalidation-rounds.ts';
import { invalidationOutcome } from './invalidation-summary.ts';

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const params: InvalidationParams = scenarioParams(context, DEFAULT_INVALIDATION_PARAMS, QUICK_INVALIDATION_PARAMS);
  if (managedServer(context.target) === null) {
    throw new ConfigError(
      `invalidation runs KEYS over ${params.keys} keys, which blocks the whole server: it runs only on a Redis the harness starts, not on ${context.target.redactedUrl}`,
      {
        hint: 'run invalidation without --redis-url (the harness starts its own redis-server)',
      },
    );
  }
  const keyspace = new InvalidationKeyspace({
    totalKeys: params.keys,
    datesPerSymbol: params.datesPerSymbol,
    valueBytes: params.valueBytes,
    ttlSeconds: params.ttlSeconds,
    fillBatch: params.fillBatch,
  });
  const opened: Redis[] = [];
  let measurement;
  try {
    measurement = await measureInvalidations(context, params, keyspace, opened);
  } finally {
    for (const client of opened) client.disconnect();
    // Best effort: the keys carry a TTL if Redis is gone; the run's own error matters more.
    await keyspace.remove(context.admin).catch(() => 0);
  }
  return invalidationOutcome(context, params, measurement);
}

export const invalidation: Scenario = {
  id: SCENARIO_ID,
  description:
    "Invalidating one symbol's keys among 100k-1M: KEYS+DEL (the document's code) vs SCAN+UNLINK, with the p99 and max of a concurrent GET load during each.",
  claims: [],
  tunables: INVALIDATION_TUNABLES,
  run,
};

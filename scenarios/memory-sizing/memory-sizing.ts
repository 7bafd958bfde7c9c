import { ConfigError } from '../../bench/errors.ts';
import { requireManaged, scenarioParams } from '../../bench/run/scenario-kit.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import { MEMORY_SIZING_CLAIMS } from './claims.ts';
import {
  DEFAULT_MEMORY_SIZING_PARAMS,
  MEMORY_SIZING_TUNABLES,
  QUICK_MEMORY_SIZING_PARAMS,
} from './memory-sizing-params.ts';
import type { MemorySizingParams } from './memory-sizing-params.ts';
import { measureMemory } from './memory-sizing-run.ts';
import { memoryOutcome } from './memory-sizing-summary.ts';

const SCENARIO_ID = 'memory-sizing';

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  requireManaged(context, SCENARIO_ID, 'sets maxmemory and its policy and flushes its Redis between replays');
  const p: MemorySizingParams = scenarioParams(context, DEFAULT_MEMORY_SIZING_PARAMS, QUICK_MEMORY_SIZING_PARAMS);
  if (p.sessionSeconds <= p.ttlSeconds)
    throw new ConfigError(
      `sessionSeconds (${p.sessionSeconds}) must exceed ttlSeconds (${p.ttlSeconds}): the first TTL of a day is its warm-up, so nothing would be counted`,
      { hint: `raise --set sessionSeconds above ${p.ttlSeconds}` },
    );
  if (p.streamCapacityDates >= p.streamDates)
    throw new ConfigError(
      `streamCapacityDates (${p.streamCapacityDates}) must be below streamDates (${p.streamDates}): the no-TTL stream must outgrow maxmemory`,
      { hint: 'raise --set streamDates or lower --set streamCapacityDates' },
    );
  return memoryOutcome(context, await measureMemory(context, p));
}

export const memorySizing: Scenario = {
  id: SCENARIO_ID,
  description:
    "The document's redis.conf sizing (maxmemory 512mb, volatile-lru): bytes per feature key, symbol-days per 512mb, peak memory and evictions of simulated trading days, the maxmemory where evictions start; and anti-pattern 2 (a stream of new dates without TTL vs with TTL).",
  claims: MEMORY_SIZING_CLAIMS.map((c) => c.id),
  tunables: MEMORY_SIZING_TUNABLES,
  run,
};

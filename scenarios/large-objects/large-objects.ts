import { scenarioParams } from '../../bench/run/scenario-kit.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import { LARGE_OBJECTS_CLAIMS } from './claims.ts';
import {
  DEFAULT_LARGE_OBJECTS_PARAMS,
  LARGE_OBJECTS_TUNABLES,
  QUICK_LARGE_OBJECTS_PARAMS,
} from './large-objects-params.ts';
import type { LargeObjectsParams } from './large-objects-params.ts';
import { measureLargeObjects } from './large-objects-run.ts';
import { largeObjectsOutcome } from './large-objects-summary.ts';

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const p: LargeObjectsParams = scenarioParams(context, DEFAULT_LARGE_OBJECTS_PARAMS, QUICK_LARGE_OBJECTS_PARAMS);
  return largeObjectsOutcome(context, await measureLargeObjects(context, p));
}

export const largeObjects: Scenario = {
  id: 'large-objects',
  description:
    "Anti-pattern 5: the document's 10 MB dataframe.to_json() vs the ~5 KB feature vector: serialise and parse time, SET/GET latency, MEMORY USAGE, and other clients' GET p99 while each value moves.",
  claims: LARGE_OBJECTS_CLAIMS.map((c) => c.id),
  tunables: LARGE_OBJECTS_TUNABLES,
  run,
};

import type { Scenario } from '../bench/run/scenario.ts';
import { connections } from './connections.ts';
import { missVsHit } from './miss-vs-hit.ts';
import { pipelining } from './pipelining.ts';

/** Every scenario, in the order `rpb run all` runs them. */
export const SCENARIOS: readonly Scenario[] = [missVsHit, pipelining, connections];

export function findScenario(id: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.id === id);
}

// The set-up every scenario integration test repeated: a temp folder for the file, RunParams for one
// run, runScenarios on one scenario, and a wrapper that looks at the scenario's context (its Redis
// port or pids, the keys it left). RunParams come from RUN_PARAM_DEFAULTS, so a new run option
// never has to be added to every test again.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { RegisteredClaim } from '../core/claim.ts';
import type { RunSummary } from '../core/run-summary.ts';
import { RUN_PARAM_DEFAULTS } from '../run/run-params.ts';
import type { RunParams } from '../run/run-params.ts';
import { runScenarios } from '../run/runner.ts';
import type { Scenario, ScenarioContext } from '../run/scenario.ts';

/**
 * A temp folder made before the file's tests and removed after them; returns a function that joins
 * paths inside it (call it inside a test or hook: the folder exists only from beforeAll on).
 */
export function useTempDir(prefix: string): (...parts: string[]) => string {
  let dir: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  });
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });
  return (...parts) => {
    if (dir === undefined) throw new Error(`useTempDir(${prefix}): the folder is made in beforeAll; use it in a test`);
    return path.join(dir, ...parts);
  };
}

/** What scenario tests run unless they say otherwise: smoke sizes and a fixed seed. */
const TEST_RUN_DEFAULTS = { quick: true, seed: 1 } as const;

/** Resolved RunParams for a test: RUN_PARAM_DEFAULTS, then quick with seed 1, then the test's own fields. */
export function testRunParams(given: Partial<RunParams> & Pick<RunParams, 'outDir'>): RunParams {
  return { ...RUN_PARAM_DEFAULTS, ...TEST_RUN_DEFAULTS, ...given };
}

export interface ScenarioTestRun {
  readonly scenario: Scenario;
  /** The document's claims (scenarios/claims.ts), passed in: bench/ does not import scenarios/. */
  readonly claims: readonly RegisteredClaim[];
  /** outDir and the fields the test sets (overrides, seed, redisUrl, ...); see testRunParams. */
  readonly params: Partial<RunParams> & Pick<RunParams, 'outDir'>;
  /** Default: a signal that is never aborted. */
  readonly signal?: AbortSignal;
}

export interface ScenarioTestResult {
  readonly summary: RunSummary;
  readonly failures: unknown[];
  readonly outDir: string;
}

/** Runs one scenario through runScenarios as `rpb run` would, progress discarded. */
export async function runScenarioForTest(run: ScenarioTestRun): Promise<ScenarioTestResult> {
  const params = testRunParams(run.params);
  const { summary, failures } = await runScenarios({
    scenarios: [run.scenario],
    params,
    command: 'test',
    signal: run.signal ?? new AbortController().signal,
    progress: () => {},
    claims: run.claims,
    knownScenarioIds: [run.scenario.id],
  });
  return { summary, failures, outDir: params.outDir };
}

export interface RunWatch {
  /** Called with the context before the scenario runs, e.g. to learn its Redis's port or pids. */
  readonly before?: (ctx: ScenarioContext) => unknown;
  /** Called once the scenario has returned or thrown, e.g. to count the keys it left behind. */
  readonly after?: (ctx: ScenarioContext) => Promise<unknown>;
}

/** The same scenario, its run wrapped so a test can check what it started is gone and what it wrote is removed. */
export function watchedScenario(scenario: Scenario, watch: RunWatch): Scenario {
  return {
    ...scenario,
    run: async (ctx: ScenarioContext) => {
      watch.before?.(ctx);
      try {
        return await scenario.run(ctx);
      } finally {
        await watch.after?.(ctx);
      }
    },
  };
}

/** The port of the Redis the scenario ran on, to check with isListening that it is gone afterwards. */
export function targetPort(ctx: ScenarioContext): number {
  return Number(new URL(ctx.target.url).port);
}

/** The scenario watched only to learn its Redis's port (one per run), to check it is gone afterwards. */
export function watchTargetPorts(scenario: Scenario): { scenario: Scenario; ports: number[] } {
  const ports: number[] = [];
  return { scenario: watchedScenario(scenario, { before: (ctx) => ports.push(targetPort(ctx)) }), ports };
}

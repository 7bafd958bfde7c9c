import path from 'node:path';
import { ConfigError } from '../errors.ts';
import { resolveRunParams } from './run-params.ts';
import type { RawRunOptions } from './run-params.ts';
import type { RegisteredClaim } from '../core/claim.ts';
import type { RunSummary } from '../core/run-summary.ts';
import { runScenarios } from './runner.ts';
import type { Scenario } from './scenario.ts';
import { parseAssignments, tunableProblems } from '../core/tunables.ts';

/** A variant: scenario parameters plus the run-level knobs an A/B test may vary. */
export interface Variant {
  readonly label: 'A' | 'B';
  readonly text: string;
  readonly overrides: Readonly<Record<string, string>>;
  readonly addedLatencyMs?: string;
  readonly missExtraMs?: string;
}

/** Run-level keys a variant may set besides the scenario's tunables. */
const RUN_LEVEL_KEYS = { 'added-latency-ms': 'addedLatencyMs', 'miss-extra-ms': 'missExtraMs' } as const;

/** Parses `--a "codec=json-array,rounds=9"`; every problem (syntax, unknown key, bad value) at once. */
export function parseVariant(label: 'A' | 'B', text: string, scenario: Scenario): Variant {
  const flag = `--${label.toLowerCase()}`;
  const all = parseAssignments([text], flag);
  const overrides: Record<string, string> = {};
  const runLevel: { addedLatencyMs?: string; missExtraMs?: string } = {};
  for (const [key, value] of Object.entries(all)) {
    if (key in RUN_LEVEL_KEYS) runLevel[RUN_LEVEL_KEYS[key as keyof typeof RUN_LEVEL_KEYS]] = value;
    else overrides[key] = value;
  }
  const problems = tunableProblems(scenario.id, scenario.tunables ?? {}, overrides);
  if (problems.length > 0) {
    throw new ConfigError(`invalid ${flag} variant`, {
      problems,
      hint: `scenario parameters are listed by \`rpb list\`; run-level keys: ${Object.keys(RUN_LEVEL_KEYS).join(', ')}`,
    });
  }
  return { label, text, overrides, ...runLevel };
}

export interface AbExperimentRequest {
  readonly scenario: Scenario;
  readonly claims: readonly RegisteredClaim[];
  readonly knownScenarioIds: readonly string[];
  /** Options shared by both variants (--quick, --seed, --redis-url, --data-dir, --set). */
  readonly base: RawRunOptions;
  readonly a: Variant;
  readonly b: Variant;
  readonly pairs: number;
  readonly outDir: string;
  readonly signal: AbortSignal;
  readonly progress: (message: string) => void;
}

export interface AbExperimentResult {
  readonly a: readonly RunSummary[];
  readonly b: readonly RunSummary[];
  /** The run folders of each side, in the order of `a` and `b`. */
  readonly aDirs: readonly string[];
  readonly bDirs: readonly string[];
  /** The order each pair ran in (alternating, so neither variant always goes first). */
  readonly orders: readonly string[];
  readonly interrupted: boolean;
}

function variantOptions(base: RawRunOptions, variant: Variant, outDir: string): RawRunOptions {
  const baseSet = base.set ?? [];
  const sets = [...baseSet, ...Object.entries(variant.overrides).map(([k, v]) => `${k}=${v}`)];
  return {
    ...base,
    out: outDir,
    set: sets,
    addedLatencyMs: variant.addedLatencyMs ?? base.addedLatencyMs,
    missExtraMs: variant.missExtraMs ?? base.missExtraMs,
  };
}

/**
 * Runs A and B as alternating whole runs (AB, BA, AB, ...), each on a fresh Redis, so slow drift
 * of the machine falls on both sides. Each run's rounds are its trials. A failed run stops the
 * experiment with its error: comparing against a broken side would mean nothing.
 */
export async function runAbExperiment(request: AbExperimentRequest): Promise<AbExperimentResult> {
  const a: RunSummary[] = [];
  const b: RunSummary[] = [];
  const aDirs: string[] = [];
  const bDirs: string[] = [];
  const orders: string[] = [];
  for (let pair = 0; pair < request.pairs && !request.signal.aborted; pair += 1) {
    const sequence = pair % 2 === 0 ? [request.a, request.b] : [request.b, request.a];
    orders.push(sequence.map((v) => v.label).join(''));
    for (const variant of sequence) {
      if (request.signal.aborted) break;
      const label = `pair-${String(pair + 1).padStart(2, '0')}-${variant.label.toLowerCase()}`;
      const params = resolveRunParams(
        variantOptions(request.base, variant, path.join(request.outDir, label)),
        process.env,
      );
      const { summary, failures } = await runScenarios({
        scenarios: [request.scenario],
        params,
        command: `ab ${label}: ${variant.text || '(defaults)'}`,
        signal: request.signal,
        progress: (message) => request.progress(`pair ${pair + 1}/${request.pairs} ${variant.label}: ${message}`),
        claims: request.claims,
        knownScenarioIds: request.knownScenarioIds,
      });
      if (failures.length > 0 && !request.signal.aborted) throw failures[0];
      (variant.label === 'A' ? a : b).push(summary);
      (variant.label === 'A' ? aDirs : bDirs).push(params.outDir);
    }
  }
  return { a, b, aDirs, bDirs, orders, interrupted: request.signal.aborted };
}

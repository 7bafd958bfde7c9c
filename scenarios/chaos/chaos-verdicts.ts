/**
 * The document's degradation rows, one verdict per claim and client: the safe client's windows under
 * the claim's own id, and the document's code as written (the 'naive' windows) under
 * `<id>.document-client`, on the same figure and rule. A trial is one fault window: one injection,
 * on a fresh client with the cache re-warmed; a claim gets one figure per window of its faults.
 */
import type { ClaimVerdict } from '../../bench/core/claim.ts';
import { judgeClaim, notMeasuredVerdict } from '../../bench/analysis/verdict.ts';
import { claimIn, environmentConditions } from '../../bench/run/scenario-kit.ts';
import type { ScenarioContext } from '../../bench/run/scenario.ts';
import { CHAOS_CLAIMS } from './claims.ts';
import {
  beforeFault,
  completedShare,
  fmt,
  hitRate,
  latenciesFrom,
  percentile,
  settledBetween,
} from './chaos-figures.ts';
import type { ChaosTrial, FaultResult } from './chaos-figures.ts';
import type { ChaosFaultId } from './chaos-faults.ts';
import type { ChaosParams } from './chaos-types.ts';
import { CACHE_FULL, cacheFullDecreasePoints, cacheFullMaxmemory } from '../shared-readings.ts';
import { loggedKindShare, maxLinesPerKindPerSecond, suppressedWarnings } from './chaos-warnings.ts';

/** The per-window figure a claim is judged on. */
export type TrialFigure = 'completed' | 'added-p99' | 'hit-drop' | 'kinds-logged' | 'warning-rate';

export interface ClaimFaults {
  readonly claim: string;
  /** The faults whose windows give the claim its trials (one figure per window of each). */
  readonly faults: readonly ChaosFaultId[];
  readonly figure: TrialFigure;
}

/** Each claim, the faults it is judged under, and the per-window figure. */
export const CLAIM_FAULTS: readonly ClaimFaults[] = [
  { claim: 'degradation.redis-crash', faults: ['kill'], figure: 'completed' },
  { claim: 'degradation.crash-slowdown', faults: ['kill'], figure: 'added-p99' },
  { claim: 'degradation.redis-not-installed', faults: ['absent'], figure: 'completed' },
  { claim: 'degradation.connection-fails', faults: ['blackhole'], figure: 'completed' },
  { claim: 'degradation.log-warning', faults: ['blackhole', 'kill', 'absent'], figure: 'kinds-logged' },
  { claim: 'degradation.log-warning-rate', faults: ['blackhole', 'kill', 'absent'], figure: 'warning-rate' },
  { claim: 'degradation.cache-full-under-load', faults: ['full-lru'], figure: 'hit-drop' },
];

/** The faults some claim is judged on. */
export const JUDGED_FAULTS: readonly ChaosFaultId[] = [...new Set(CLAIM_FAULTS.flatMap((c) => c.faults))];

/** Suffix of the claim judged on the document's code as written (the 'naive' windows of the same faults). */
export const DOCUMENT_CLIENT_SUFFIX = '.document-client';

type JudgedVariant = 'safe' | 'naive';

/** The clients each claim is judged on, and the claim id each verdict goes under. */
const JUDGED_CLIENTS: readonly { readonly variant: JudgedVariant; readonly suffix: string }[] = [
  { variant: 'safe', suffix: '' },
  { variant: 'naive', suffix: DOCUMENT_CLIENT_SUFFIX },
];

/** The claim ids a degradation claim is judged under: the safe client's, then the document's code's. */
export const judgedClaimIds = (claimId: string): string[] => JUDGED_CLIENTS.map(({ suffix }) => claimId + suffix);

const CLIENT_LABEL: Readonly<Record<JudgedVariant, string>> = {
  safe: 'safe client',
  naive:
    "the document's code as written: naive client, ioredis defaults (no command timeout, offline queue on) + the document's try/except",
};

/** Windows of one fault for one client, in the order they ran. */
const windowsOf = (result: FaultResult, variant: JudgedVariant): ChaosTrial[] =>
  result.runs.filter((t) => t.run.variant === variant);

/**
 * Verdicts for the faults and clients that ran, and the per-window trials behind each. `suiteFaults`:
 * the faults the chaos suite planned (null for a chaos-<fault> scenario, which declares only its own
 * claims); a suite claim none of whose faults was planned is "not measured", with the reason.
 */
export function degradationVerdicts(
  context: ScenarioContext,
  params: ChaosParams,
  results: readonly FaultResult[],
  faultCmd: string | undefined,
  suiteFaults: readonly ChaosFaultId[] | null,
): { verdicts: ClaimVerdict[]; trials: Record<string, number[]> } {
  const verdicts: ClaimVerdict[] = [];
  const trials: Record<string, number[]> = {};
  for (const judged of CLAIM_FAULTS) {
    if (suiteFaults !== null && !judged.faults.some((f) => suiteFaults.includes(f))) {
      const reason = `its fault (${judged.faults.join(', ')}) was not in this run: fault=${params.fault} runs ${suiteFaults.join(', ')}${params.fault === 'kill-and-blackhole' ? ' (--quick; the default run has every fault)' : ''}`;
      for (const id of judgedClaimIds(judged.claim))
        verdicts.push(notMeasuredVerdict(claimIn(CHAOS_CLAIMS, id), reason));
      continue;
    }
    const ran = results.filter((r) => judged.faults.includes(r.spec.id));
    for (const { variant, suffix } of JUDGED_CLIENTS) {
      const perFault = ran.map((result) => ({ result, windows: windowsOf(result, variant) }));
      // A client whose windows did not run (an aborted run, a fault not in this run) leaves its claim "not measured".
      if (perFault.every(({ windows }) => windows.length === 0)) continue;
      const claimId = judged.claim + suffix;
      const figures = perFault.flatMap(({ windows }) => trialFigures(windows, judged.figure));
      trials[claimId] = figures;
      const conditions = verdictConditions(context, params, perFault, judged.figure, variant, faultCmd);
      verdicts.push(judgeClaim(claimIn(CHAOS_CLAIMS, claimId), figures, conditions));
    }
  }
  return { verdicts, trials };
}

/**
 * One figure per window of one fault and client (NaN: the window gave none, a failed trial). The
 * latency and hit-rate figures are against the healthy stretch before the inject, pooled over that
 * client's windows of the fault (one window's pre-fault requests are too few for a p99 or a rate).
 */
export function trialFigures(windows: readonly ChaosTrial[], figure: TrialFigure): number[] {
  const injectOf = (t: ChaosTrial): number => Math.max(0, t.run.injectMs ?? 0);
  const healthy = windows.flatMap((t) => beforeFault(t.run.records, injectOf(t)));
  const orNaN = (value: number | null): number => value ?? Number.NaN;
  switch (figure) {
    case 'completed':
      return windows.map((t) => orNaN(completedShare(t.run.records, injectOf(t))));
    case 'added-p99': {
      const baseline = percentile(
        healthy.map((r) => r.latencyMs),
        99,
      );
      return windows.map((t) => {
        const p99 = percentile(latenciesFrom(t.run.records, injectOf(t)), 99);
        return p99 === null || baseline === null ? Number.NaN : p99 - baseline;
      });
    }
    case 'hit-drop': {
      const reference = hitRate(healthy);
      return windows.map((t) => {
        const during = hitRate(settledBetween(t.run.records, injectOf(t), t.run.healedMs ?? injectOf(t)));
        return during === null || reference === null
          ? Number.NaN
          : cacheFullDecreasePoints(reference * 100, during * 100);
      });
    }
    case 'kinds-logged':
      return windows.map((t) => orNaN(loggedKindShare(t.run.events, t.run.failuresByKind)));
    case 'warning-rate':
      return windows.map((t) => orNaN(maxLinesPerKindPerSecond(t.run.events, t.run.failuresByKind)));
  }
}

const TRIALS_TEXT: Readonly<Record<TrialFigure, string>> = {
  completed:
    "share of the requests intended from the inject to the end of the window that completed with the right answer (a score from another key's features counts as not completed)",
  'added-p99':
    "p99 latency of the requests intended from the inject to the end of the window, minus the p99 before the inject pooled over the client's windows",
  'hit-drop':
    "hit rate before the inject (pooled over the client's windows) minus the hit rate of the requests settled while maxmemory was lowered, in points",
  'kinds-logged':
    'share of the kinds of cache failure in the window with at least one warning line (windows without a failure give no figure)',
  'warning-rate': 'most warning lines of one kind within 1 s of the window (windows without a failure give no figure)',
};

function verdictConditions(
  context: ScenarioContext,
  params: ChaosParams,
  perFault: readonly { readonly result: FaultResult; readonly windows: readonly ChaosTrial[] }[],
  figure: TrialFigure,
  variant: JudgedVariant,
  faultCmd: string | undefined,
): string {
  const faults = perFault
    .filter(({ windows }) => windows.length > 0)
    .map(({ result, windows }) => `${windows.length} x "${result.spec.title}"`)
    .join(', ');
  return [
    // The system under test reaches Redis through the harness's fault proxy: the network says so.
    environmentConditions({ ...context, network: `${context.network} through the harness fault proxy` }),
    `trials = fault windows, one injection each (${faults})${faultCmd === undefined ? '' : ' via --fault-cmd'}, each on a fresh client with only the hot keys cached (Redis restarted if it was down): ${params.preMs} ms before, ${params.faultMs} ms fault, ${params.postMs} ms after the heal, open loop ${params.rateOpsPerSecond} req/s, requests capped at ${params.requestCapMs} ms; figure per window: ${TRIALS_TEXT[figure]} (${CLIENT_LABEL[variant]})`,
    ...perFault.map(({ result }) =>
      figure === 'kinds-logged' || figure === 'warning-rate'
        ? logFigures(result, variant)
        : clientFigures(result, variant, params) + faultExtra(result),
    ),
  ].join('; ');
}

/** Per fault: the judged client's totals over its windows first, then the other client's for comparison. */
function clientFigures(result: FaultResult, judged: JudgedVariant, params: ChaosParams): string {
  const text = (variant: JudgedVariant): string => {
    const windows = windowsOf(result, variant);
    if (windows.length === 0) return '';
    const sum = (pick: (t: ChaosTrial) => number): number => windows.reduce((total, t) => total + pick(t), 0);
    const maxMs = Math.max(...windows.map((t) => t.figures.windowMaxMs ?? 0));
    const label = variant === 'safe' ? 'safe client' : 'naive client (ioredis defaults)';
    return `${result.spec.id}, ${label}: ${sum((t) => t.figures.failed)} failed, ${sum((t) => t.figures.capped)} capped at ${params.requestCapMs} ms of ${sum((t) => t.figures.requests)}, max ${fmt(maxMs)} ms in the windows, wrong answers ${sum((t) => t.figures.wrong)}, warning lines ${sum((t) => t.run.warnings)}`;
  };
  const other: JudgedVariant = judged === 'safe' ? 'naive' : 'safe';
  return [text(judged), text(other)].filter((s) => s !== '').join('; ');
}

/** Per fault, for the log claims: the judged client's failures by kind and its warning lines over the windows. */
function logFigures(result: FaultResult, variant: JudgedVariant): string {
  const windows = windowsOf(result, variant);
  const failures: Record<string, number> = {};
  for (const t of windows)
    for (const [kind, n] of Object.entries(t.run.failuresByKind)) failures[kind] = (failures[kind] ?? 0) + n;
  const lines = windows.reduce((total, t) => total + t.run.warnings, 0);
  const suppressed = windows.reduce((total, t) => total + suppressedWarnings(t.run.events), 0);
  return `${result.spec.id}, ${CLIENT_LABEL[variant].split(':')[0]}: cache failures ${JSON.stringify(failures)}, ${lines} warning lines, ${suppressed} counted as suppressed`;
}

/** The cache-full windows: the shared definition, the working set it was sized from here, the failures. */
function faultExtra(result: FaultResult): string {
  if (result.spec.id !== 'full-lru') return '';
  const failures: Record<string, number> = {};
  for (const t of result.runs)
    for (const [kind, n] of Object.entries(t.run.failuresByKind)) failures[kind] = (failures[kind] ?? 0) + n;
  const keys = median(result.runs.map((t) => t.workingSet.distinctKeys));
  const perKey = median(result.runs.map((t) => t.workingSet.usedMemoryPerKey));
  const limits = result.runs.map((t) => cacheFullMaxmemory(t.workingSet));
  return `; ${CACHE_FULL.definition}; unlimited reference: the same load before maxmemory was lowered; here: working set ${fmt(keys)} keys x ${fmt(perKey)} bytes (medians of the windows) -> maxmemory ${fmt(Math.min(...limits) / 1024)}..${fmt(Math.max(...limits) / 1024)} KiB; cache failures in the windows: ${JSON.stringify(failures)}; compare full-noeviction and full-no-ttl, where new keys are not cached`;
}

function median(values: readonly number[]): number | null {
  return values.length === 0 ? null : percentile(values, 50);
}

import { describe, expect, it } from 'vitest';
import type { ScenarioContext } from '../../bench/run/scenario.ts';
import { CHAOS_CLAIMS } from './claims.ts';
import { CHAOS_FAULTS } from './chaos-faults.ts';
import type { ChaosFaultId } from './chaos-faults.ts';
import { chaosFigures } from './chaos-figures.ts';
import type { ChaosTrial, FaultResult } from './chaos-figures.ts';
import { DEFAULT_CHAOS_PARAMS } from './chaos-params.ts';
import type { ChaosParams, LoggedEvent, RequestRecord, VariantRun } from './chaos-types.ts';
import { CLAIM_FAULTS, degradationVerdicts, judgedClaimIds, trialFigures } from './chaos-verdicts.ts';

const PARAMS: ChaosParams = DEFAULT_CHAOS_PARAMS;
const CONTEXT = {
  network: 'loopback',
  target: { kind: 'managed' },
  redisVersion: '7.2.0',
} as unknown as ScenarioContext;
const INJECT = 1_000;
const HEAL = 2_000;

/** One request every 10 ms for 3 s; `during` decides the requests intended inside [inject, heal). */
function records(during: Partial<RequestRecord>, before: Partial<RequestRecord> = {}): RequestRecord[] {
  const out: RequestRecord[] = [];
  for (let t = 0; t < 3_000; t += 10) {
    const base: RequestRecord = {
      intendedMs: t,
      settledMs: t + 5,
      latencyMs: 5,
      outcome: 'ok',
      hits: 1,
      misses: 0,
      cacheErrors: 0,
      wrong: false,
      checked: true,
    };
    out.push(t >= INJECT && t < HEAL ? { ...base, ...during } : t < INJECT ? { ...base, ...before } : base);
  }
  return out;
}

interface WindowSpec {
  readonly records?: RequestRecord[];
  readonly events?: LoggedEvent[];
  readonly failuresByKind?: Record<string, number>;
}

/** One fault window of one client. */
function window(fault: ChaosFaultId, variant: 'safe' | 'naive', trial: number, spec: WindowSpec = {}): ChaosTrial {
  const recs = spec.records ?? records({});
  const run = {
    fault: CHAOS_FAULTS[fault],
    variant,
    trial,
    injectMs: INJECT,
    healedMs: HEAL,
    records: recs,
    samples: [],
    events: spec.events ?? [],
    warnings: (spec.events ?? []).length,
    failuresByKind: spec.failuresByKind ?? {},
    health: null,
  } as unknown as VariantRun;
  const figures = chaosFigures({
    records: recs,
    samples: [],
    injectMs: INJECT,
    healedMs: HEAL,
    steadyWindowMs: PARAMS.steadyWindowMs,
    steadyHitRateTolerance: 0.1,
  });
  const workingSet = { baselineUsedMemory: 1_000_000, usedMemoryPerKey: 3_000, distinctKeys: 150 };
  return { run, figures, workingSet };
}

/** Six windows per client, ABBA as the scenario runs them. */
function sixEach(fault: ChaosFaultId, safe: WindowSpec, naive: WindowSpec | null): FaultResult {
  const runs: ChaosTrial[] = [];
  for (let trial = 0; trial < 6; trial++) {
    runs.push(window(fault, 'safe', trial, safe));
    if (naive !== null) runs.push(window(fault, 'naive', trial, naive));
  }
  return { spec: CHAOS_FAULTS[fault], runs };
}

// The naive client waits on the dead Redis: every request intended in the fault window is capped.
const CAPPED: Partial<RequestRecord> = { outcome: 'capped', hits: 0, misses: 0, latencyMs: 1_000 };

describe('degradation verdicts on both clients, one trial per fault window', () => {
  it('declares every degradation claim twice, the document-client one right after its original', () => {
    const ids = CHAOS_CLAIMS.map((c) => c.id);
    for (const { claim } of CLAIM_FAULTS) {
      const [safe, documentClient] = judgedClaimIds(claim);
      expect(documentClient).toBe(`${claim}.document-client`);
      expect(ids.indexOf(documentClient!), claim).toBe(ids.indexOf(safe!) + 1);
      const original = CHAOS_CLAIMS.find((c) => c.id === safe)!;
      const copy = CHAOS_CLAIMS.find((c) => c.id === documentClient)!;
      expect({ ...copy, id: original.id, measuredAs: original.measuredAs }).toEqual(original);
      expect(copy.measuredAs).toMatch(/document's code as written/);
      expect(original.measuredAs, claim).toMatch(/one figure per fault window/);
    }
  });

  it('judges each client on one figure per window: the naive windows under .document-client', () => {
    const result = sixEach('kill', {}, { records: records(CAPPED) });
    const { verdicts, trials } = degradationVerdicts(CONTEXT, PARAMS, [result], undefined, null);
    expect(verdicts.map((v) => v.claimId)).toEqual([
      'degradation.redis-crash',
      'degradation.redis-crash.document-client',
      'degradation.crash-slowdown',
      'degradation.crash-slowdown.document-client',
      'degradation.log-warning',
      'degradation.log-warning.document-client',
      'degradation.log-warning-rate',
      'degradation.log-warning-rate.document-client',
    ]);
    expect(trials['degradation.redis-crash']).toEqual([100, 100, 100, 100, 100, 100]);
    // From the inject to the end of the window: 100 capped of 200.
    expect(trials['degradation.redis-crash.document-client']).toEqual([50, 50, 50, 50, 50, 50]);
    const byId = (id: string) => verdicts.find((v) => v.claimId === id)!;
    expect(byId('degradation.redis-crash').outcome).toBe('holds');
    expect(byId('degradation.redis-crash.document-client').outcome).toBe('does not hold');
    expect(byId('degradation.redis-crash').conditions).toMatch(
      /trials = fault windows, one injection each \(6 x "SIGKILL/,
    );
    expect(byId('degradation.redis-crash.document-client').conditions).toMatch(
      /\(the document's code as written: [^)]*\)[^;]*; kill, naive client .*: 0 failed, 600 capped/,
    );
  });

  it('leaves the document-client claims unjudged when the naive windows did not run', () => {
    const { verdicts, trials } = degradationVerdicts(
      CONTEXT,
      PARAMS,
      [sixEach('blackhole', {}, null)],
      undefined,
      null,
    );
    expect(verdicts.map((v) => v.claimId)).toEqual([
      'degradation.connection-fails',
      'degradation.log-warning',
      'degradation.log-warning-rate',
    ]);
    expect(Object.keys(trials)).toHaveLength(3);
  });

  it('in the suite, a claim whose fault was not run is "not measured" with the reason', () => {
    const { verdicts } = degradationVerdicts(CONTEXT, { ...PARAMS, fault: 'kill-and-blackhole' }, [], undefined, [
      'kill',
      'blackhole',
    ]);
    const notInstalled = verdicts.find((v) => v.claimId === 'degradation.redis-not-installed.document-client')!;
    expect(notInstalled.outcome).toBe('not measured');
    expect(notInstalled.explanation).toMatch(
      /absent\) was not in this run: fault=kill-and-blackhole runs kill, blackhole/,
    );
    expect(verdicts.filter((v) => v.outcome === 'not measured').map((v) => v.claimId)).toEqual([
      'degradation.redis-not-installed',
      'degradation.redis-not-installed.document-client',
      'degradation.cache-full-under-load',
      'degradation.cache-full-under-load.document-client',
    ]);
  });

  it('added p99: each window against the healthy p99 before the inject, pooled over the windows', () => {
    const slowWindow = (ms: number) => window('kill', 'safe', 0, { records: records({ latencyMs: ms }) });
    // Healthy requests take 5 ms; in the window 100 or 400 ms.
    expect(trialFigures([slowWindow(100), slowWindow(400)], 'added-p99')).toEqual([95, 395]);
  });

  it('hit-rate drop: the pooled hit rate before the inject minus the rate while full; capped requests made no lookup', () => {
    const halfMissed = window('full-lru', 'naive', 0, { records: records({ hits: 1, misses: 1 }) });
    // Every other request in the window capped, the rest hits: counted as misses, they would drop it by 50 points.
    const hitOrCapped = window('full-lru', 'naive', 1, {
      records: records({}).map((r, i) =>
        r.intendedMs >= INJECT && r.intendedMs < HEAL && i % 2 === 0 ? { ...r, ...CAPPED } : r,
      ),
    });
    expect(trialFigures([halfMissed, hitOrCapped], 'hit-drop')).toEqual([50, 0]);
  });

  it('log claims take one figure per window of each connection fault; a window without a failure gives none', () => {
    const oneLine: LoggedEvent = {
      tMs: 1_100,
      level: 'warn',
      message: 'Cache call failed; continuing without the cache',
      fields: { kind: 'timeout' },
      atClose: false,
    };
    const logged: WindowSpec = { events: [oneLine], failuresByKind: { timeout: 30, 'breaker-open': 200 } };
    const results = [sixEach('blackhole', logged, {}), sixEach('kill', logged, {}), sixEach('absent', logged, {})];
    const { trials, verdicts } = degradationVerdicts(CONTEXT, PARAMS, results, undefined, null);
    // breaker-open failed but logged nothing: half the kinds.
    expect(trials['degradation.log-warning']).toEqual(Array(18).fill(50));
    expect(trials['degradation.log-warning-rate']).toEqual(Array(18).fill(1));
    expect(trials['degradation.log-warning.document-client']).toEqual(Array(18).fill(Number.NaN));
    // 18 windows ran and none had a failure to log: measured, no figure, so inconclusive (n < 6),
    // the same verdict as when one window of 18 gives a figure
    const naive = verdicts.find((v) => v.claimId === 'degradation.log-warning-rate.document-client')!;
    expect(naive.outcome).toBe('inconclusive');
    expect(naive.failedTrials).toBe(18);
  });
});

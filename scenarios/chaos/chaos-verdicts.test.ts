import { describe, expect, it } from 'vitest';
import type { ScenarioContext } from '../../bench/run/scenario.ts';
import { CHAOS_CLAIMS } from './claims.ts';
import { CHAOS_FAULTS } from './chaos-faults.ts';
import type { ChaosFaultId } from './chaos-faults.ts';
import { chaosFigures } from './chaos-figures.ts';
import type { FaultResult } from './chaos-figures.ts';
import { DEFAULT_CHAOS_PARAMS } from './chaos-params.ts';
import type { ChaosParams, RequestRecord, VariantRun } from './chaos-types.ts';
import { CLAIM_FAULTS, degradationVerdicts, judgedClaimIds, trialsOf } from './chaos-verdicts.ts';

const PARAMS: ChaosParams = { ...DEFAULT_CHAOS_PARAMS, bucketMs: 500, steadyWindowMs: 500 };
const CONTEXT = {
  network: 'loopback',
  target: { kind: 'managed' },
  redisVersion: '7.2.0',
} as unknown as ScenarioContext;
const INJECT = 1_000;
const HEAL = 2_000;

/** One request every 10 ms for 3 s; `during` decides the requests intended inside [inject, heal). */
function records(during: Partial<RequestRecord>): RequestRecord[] {
  const out: RequestRecord[] = [];
  for (let t = 0; t < 3_000; t += 10) {
    const inside = t >= INJECT && t < HEAL;
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
    out.push(inside ? { ...base, ...during } : base);
  }
  return out;
}

function variantRun(
  fault: ChaosFaultId,
  variant: 'safe' | 'naive',
  recs: RequestRecord[],
): FaultResult['runs'][number] {
  const run = {
    fault: CHAOS_FAULTS[fault],
    variant,
    injectMs: INJECT,
    healedMs: HEAL,
    records: recs,
    samples: [],
    warnings: 0,
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
  return { run, figures };
}

// The naive client waits on the dead Redis: every request intended in the fault window is capped.
const CAPPED: Partial<RequestRecord> = { outcome: 'capped', hits: 0, misses: 0 };

describe('degradation verdicts on both clients', () => {
  it('declares every degradation claim twice, the document-client one right after its original', () => {
    const ids = CHAOS_CLAIMS.map((c) => c.id);
    for (const [claimId] of CLAIM_FAULTS) {
      const [safe, documentClient] = judgedClaimIds(claimId);
      expect(documentClient).toBe(`${claimId}.document-client`);
      expect(ids.indexOf(documentClient!), claimId).toBe(ids.indexOf(safe!) + 1);
      const original = CHAOS_CLAIMS.find((c) => c.id === safe)!;
      const copy = CHAOS_CLAIMS.find((c) => c.id === documentClient)!;
      expect({ ...copy, id: original.id, measuredAs: original.measuredAs }).toEqual(original);
      expect(copy.measuredAs).toMatch(/document's code as written/);
    }
  });

  it('judges the naive run under .document-client, counting a capped request as not completed', () => {
    const result: FaultResult = {
      spec: CHAOS_FAULTS.kill,
      runs: [variantRun('kill', 'safe', records({})), variantRun('kill', 'naive', records(CAPPED))],
    };
    const { verdicts, trials } = degradationVerdicts(CONTEXT, PARAMS, [result], undefined);
    expect(verdicts.map((v) => v.claimId)).toEqual([
      'degradation.redis-crash',
      'degradation.redis-crash.document-client',
    ]);
    expect(trials['degradation.redis-crash']).toEqual([100, 100, 100, 100]);
    // Buckets from the inject to the last intended send: two fully capped, two fully completed.
    expect(trials['degradation.redis-crash.document-client']).toEqual([0, 0, 100, 100]);
    const [safe, naive] = verdicts;
    expect(safe!.outcome).toBe('holds');
    expect(naive!.measured).toBe(50);
    expect(naive!.outcome).not.toBe('holds');
    expect(safe!.conditions).toMatch(/\(safe client\); safe client: 0 failed/);
    expect(naive!.conditions).toMatch(
      /\(the document's code as written: [^)]*\)[^;]*; naive client .*: 0 failed and 100 capped/,
    );
  });

  it('leaves the document-client claim unjudged when the naive run did not run', () => {
    const result: FaultResult = { spec: CHAOS_FAULTS.kill, runs: [variantRun('kill', 'safe', records({}))] };
    const { verdicts, trials } = degradationVerdicts(CONTEXT, PARAMS, [result], undefined);
    expect(verdicts.map((v) => v.claimId)).toEqual(['degradation.redis-crash']);
    expect(Object.keys(trials)).toEqual(['degradation.redis-crash']);
  });

  it('leaves capped requests out of the hit-rate drop: they made no lookup', () => {
    const halfMissed = records({ hits: 1, misses: 1 });
    // Every other request in the window capped, the rest hits: counted as misses, they would drop it by 50 points.
    const hitOrCapped = records({}).map((r, i) =>
      r.intendedMs >= INJECT && r.intendedMs < HEAL && i % 2 === 0 ? { ...r, ...CAPPED } : r,
    );
    // Drop by completion time from the inject to the heal plus one steady window.
    expect(trialsOf(variantRun('full-lru', 'naive', halfMissed), 'hit-drop', PARAMS)).toEqual([50, 50, 0]);
    expect(trialsOf(variantRun('full-lru', 'naive', hitOrCapped), 'hit-drop', PARAMS)).toEqual([0, 0, 0]);
  });
});

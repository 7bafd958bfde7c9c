import type { TunableSpec } from '../../bench/core/tunables.ts';
import type { SignalWorkload } from '../../bench/workload/signal-workload.ts';

/**
 * Parameters of the hit-rate scenario (trace, replay, sweeps). The trace's shape is the workload
 * model's own; its request rate is also the replay rate (Redis's LRU clock and TTLs run on wall time).
 */
export interface HitRateParams extends Pick<
  SignalWorkload,
  'symbols' | 'dates' | 'symbolTheta' | 'dateTheta' | 'requestsPerSecond' | 'accesses'
> {
  /** Share of the trace that warms the cache before hit rates count. */
  readonly warmupFraction: number;
  /** The document's TTL (3600 s) unless a sweep point says otherwise. */
  readonly ttlSeconds: number;
  readonly codec: string;
  /** Trials behind the verdicts: the counted part of a replay cut into this many segments. */
  readonly segments: number;
  /**
   * maxmemory of the "cache full" point, as a share of the bytes of the working set (the distinct keys
   * the trace requests).
   */
  readonly fullCacheFraction: number;
  /** Which sweeps run: all, or one group (document + cache-full always run). */
  readonly sweeps: 'all' | 'maxmemory' | 'policy' | 'ttl' | 'skew' | 'none';
  /** maxmemory points of the sweep, as shares of the working set's bytes. */
  readonly memoryFractions: readonly number[];
  /** Share of the working set's bytes at which policies and skews are compared. */
  readonly compareFraction: number;
  readonly policies: readonly string[];
  readonly samples: readonly number[];
  /** TTL sweep, as shares of the trace's duration. */
  readonly ttlFractions: readonly number[];
  readonly symbolThetas: readonly number[];
}

export const DEFAULT_HIT_RATE_PARAMS: HitRateParams = {
  symbols: 500,
  dates: 40,
  symbolTheta: 0.99,
  dateTheta: 0.99,
  requestsPerSecond: 2_000,
  accesses: 40_000,
  warmupFraction: 0.3,
  ttlSeconds: 3_600,
  codec: 'json-array',
  segments: 5,
  fullCacheFraction: 0.5,
  sweeps: 'all',
  memoryFractions: [0.05, 0.1, 0.25, 0.5, 0.75, 1],
  compareFraction: 0.25,
  policies: ['volatile-lru', 'allkeys-lru', 'allkeys-lfu', 'volatile-ttl'],
  samples: [5, 10],
  ttlFractions: [0.05, 0.1, 0.25, 0.5],
  symbolThetas: [0.5, 0.8, 1.2, 1.5],
};

/** --quick: a small universe, a short trace, the fewest points that still draw each curve. */
export const QUICK_HIT_RATE_PARAMS: HitRateParams = {
  ...DEFAULT_HIT_RATE_PARAMS,
  symbols: 500,
  dates: 10,
  requestsPerSecond: 3_000,
  accesses: 9_000,
  segments: 3,
  memoryFractions: [0.1, 0.25, 0.5, 1],
  samples: [5],
  ttlFractions: [0.1, 0.3],
  symbolThetas: [0.6, 1.3],
};

export const HIT_RATE_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  symbols: { kind: 'integer', min: 1, max: 5_000, description: 'universe of symbols' },
  dates: { kind: 'integer', min: 1, max: 2_520, description: 'trading dates a request may ask for' },
  symbolTheta: { kind: 'number', min: 0.01, max: 3, description: 'zipfian constant over symbols (not 1)' },
  dateTheta: { kind: 'number', min: 0.01, max: 3, description: '"latest" constant over dates (not 1)' },
  requestsPerSecond: {
    kind: 'integer',
    min: 10,
    max: 20_000,
    description: 'replay rate (the trace is replayed in real time: LRU clock and TTLs see wall time)',
  },
  accesses: { kind: 'integer', min: 1_000, max: 2_000_000, description: 'accesses per replay' },
  ttlSeconds: {
    kind: 'integer',
    min: 1,
    max: 86_400,
    description: "TTL of every fill outside the TTL sweep (the document's 3600)",
  },
  codec: {
    kind: 'choice',
    values: ['json-array', 'json-object', 'json-array-gzip', 'json-object-gzip'],
    description: 'codec of the stored feature vectors (json-array: the service default)',
  },
  segments: {
    kind: 'integer',
    min: 3,
    max: 20,
    description: 'segments of the counted replay (the trials behind the verdicts)',
  },
  fullCacheFraction: {
    kind: 'number',
    min: 0.05,
    max: 0.95,
    description:
      'maxmemory of the "cache full" point, as a share of the bytes of the working set (distinct keys the trace requests)',
  },
  sweeps: {
    kind: 'choice',
    values: ['all', 'maxmemory', 'policy', 'ttl', 'skew', 'none'],
    description: 'which sweeps run (document and cache-full points always run)',
  },
};

export type PointGroup = 'document' | 'cache-full' | 'maxmemory' | 'policy' | 'ttl' | 'skew';

/**
 * One replay: a Redis configuration and a trace. maxmemory is a share of the working set's bytes, or a
 * fixed byte count.
 */
export interface SweepPoint {
  /** Short name for values and notes (the first sweep that asked for it). */
  readonly label: string;
  /** The configuration, as text: two sweeps asking for the same one share a replay. */
  readonly key: string;
  readonly group: PointGroup;
  readonly policy: string;
  readonly samples: number;
  readonly maxmemory:
    { readonly kind: 'fraction'; readonly fraction: number } | { readonly kind: 'bytes'; readonly bytes: number };
  readonly ttlSeconds: number;
  readonly symbolTheta: number;
}

export const DOCUMENT_MAXMEMORY_BYTES = 512 * 1024 * 1024;

/** The points a run replays, in order; points shared by two sweeps are replayed once. */
export function buildSweepPlan(p: HitRateParams, traceDurationS: number): SweepPoint[] {
  const points: SweepPoint[] = [];
  const add = (point: Omit<SweepPoint, 'label' | 'key'>): void => {
    const key = pointKey(point);
    const labels: Record<PointGroup, string> = {
      document: 'document',
      'cache-full': 'cache-full',
      maxmemory: `maxmemory-${point.maxmemory.kind === 'fraction' ? point.maxmemory.fraction : point.maxmemory.bytes}`,
      policy: `${point.policy}-s${point.samples}`,
      ttl: `ttl-${point.ttlSeconds}s`,
      skew: `theta-${point.symbolTheta}`,
    };
    if (!points.some((q) => q.key === key)) points.push({ ...point, key, label: labels[point.group] });
  };
  const base = { ttlSeconds: p.ttlSeconds, symbolTheta: p.symbolTheta };
  add({
    group: 'document',
    policy: 'volatile-lru',
    samples: 5,
    maxmemory: { kind: 'bytes', bytes: DOCUMENT_MAXMEMORY_BYTES },
    ...base,
  });
  add({
    group: 'cache-full',
    policy: 'volatile-lru',
    samples: 5,
    maxmemory: { kind: 'fraction', fraction: p.fullCacheFraction },
    ...base,
  });
  const run = (group: HitRateParams['sweeps']): boolean => p.sweeps === 'all' || p.sweeps === group;
  if (run('maxmemory'))
    for (const fraction of p.memoryFractions)
      add({
        group: 'maxmemory',
        policy: 'allkeys-lru',
        samples: 10,
        maxmemory: { kind: 'fraction', fraction },
        ...base,
      });
  if (run('policy')) {
    for (const policy of p.policies) {
      for (const samples of p.samples)
        add({
          group: 'policy',
          policy,
          samples,
          maxmemory: { kind: 'fraction', fraction: p.compareFraction },
          ...base,
        });
    }
  }
  if (run('ttl')) {
    for (const f of p.ttlFractions) {
      add({
        group: 'ttl',
        policy: 'allkeys-lru',
        samples: 10,
        maxmemory: { kind: 'fraction', fraction: 1 },
        ttlSeconds: Math.max(0.1, Math.round(f * traceDurationS * 10) / 10),
        symbolTheta: p.symbolTheta,
      });
    }
  }
  if (run('skew')) {
    for (const symbolTheta of p.symbolThetas)
      add({
        group: 'skew',
        policy: 'allkeys-lru',
        samples: 10,
        maxmemory: { kind: 'fraction', fraction: p.compareFraction },
        ttlSeconds: p.ttlSeconds,
        symbolTheta,
      });
  }
  return points;
}

export function pointKey(
  point: Pick<SweepPoint, 'policy' | 'samples' | 'maxmemory' | 'ttlSeconds' | 'symbolTheta'>,
): string {
  const size = point.maxmemory.kind === 'bytes' ? `${point.maxmemory.bytes}b` : `${point.maxmemory.fraction}`;
  return `${point.policy}/s${point.samples}/mem-${size}/ttl-${point.ttlSeconds}/theta-${point.symbolTheta}`;
}

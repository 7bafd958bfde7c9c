import { SeededRandom } from '../../src/market/seeded-random.ts';
import { ConfigError } from '../errors.ts';

/**
 * One machine's part of a load split over several machines (`rpb run --shard k/N`). Shards are
 * numbered from 1: `--shard 1/4` .. `--shard 4/4`. Kubernetes Indexed Jobs number their pods from 0
 * (JOB_COMPLETION_INDEX), so `--shard env/N` takes k = $JOB_COMPLETION_INDEX + 1.
 */
export interface ShardSpec {
  /** 1-based: 1 <= index <= count. */
  readonly index: number;
  readonly count: number;
}

export const MAX_SHARDS = 1024;
/** What `--shard env/N` reads: Kubernetes sets it in every pod of an Indexed Job (0-based). */
export const SHARD_INDEX_ENV = 'JOB_COMPLETION_INDEX';

const SHARD_HINT = `use --shard k/N with 1 <= k <= N <= ${MAX_SHARDS} (shards are numbered from 1, e.g. --shard 1/4 .. --shard 4/4), or --shard env/N in a Kubernetes Indexed Job (k = $${SHARD_INDEX_ENV} + 1)`;

/** Reads `k/N` or `env/N`; every problem is a ConfigError naming the option and the fix. */
export function parseShard(text: string, env: NodeJS.ProcessEnv = process.env): ShardSpec {
  const problem = (what: string): ConfigError =>
    new ConfigError(`--shard ${JSON.stringify(text)}: ${what}`, { hint: SHARD_HINT });
  const match = /^\s*(env|\d{1,4})\s*\/\s*(\d{1,4})\s*$/.exec(text);
  if (match === null) throw problem('expected k/N, e.g. --shard 1/4');
  const count = Number(match[2]);
  if (count < 1 || count > MAX_SHARDS) throw problem(`N must be from 1 to ${MAX_SHARDS}, got ${count}`);
  let index: number;
  if (match[1] === 'env') {
    const raw = env[SHARD_INDEX_ENV];
    if (raw === undefined || !/^\d{1,4}$/.test(raw.trim())) {
      throw problem(
        `$${SHARD_INDEX_ENV} must hold the pod's 0-based completion index (Kubernetes sets it in Indexed Jobs), got ${raw === undefined ? 'nothing' : JSON.stringify(raw)}`,
      );
    }
    index = Number(raw.trim()) + 1;
    if (index > count)
      throw problem(
        `$${SHARD_INDEX_ENV}=${raw.trim()} is outside 0..${count - 1}: set completions: ${count} in the Job and N=${count} here`,
      );
  } else {
    index = Number(match[1]);
    if (index === 0)
      throw problem(
        `shards are numbered from 1, so k=0 is not a shard; with Kubernetes' 0-based index use --shard env/${count}`,
      );
    if (index > count) throw problem(`k=${index} is larger than N=${count}`);
  }
  return { index, count };
}

/** The text `parseShard` reads back (and what reports show). */
export function formatShard(shard: ShardSpec): string {
  return `${shard.index}/${shard.count}`;
}

/** What a scenario needs to know about the run's split: RunParams satisfies it (resolved there, once). */
export interface LoadSplitParams {
  /** null: the whole load runs here. */
  readonly shard: ShardSpec | null;
  /** Worker threads on this machine (`--workers`, 1 when not given). */
  readonly workers: number;
  readonly seed: number;
}

/** This shard's part of an open-loop rate: rate / N (the whole rate when unsharded). */
export function shardedRate(rateOpsPerSecond: number, params: Pick<LoadSplitParams, 'shard'>): number {
  return params.shard === null ? rateOpsPerSecond : rateOpsPerSecond / params.shard.count;
}

/**
 * This shard's part of a count cap: the N parts differ by at most one and add up to the total
 * exactly (Infinity stays Infinity).
 */
export function shardedCount(total: number, params: Pick<LoadSplitParams, 'shard'>): number {
  const { shard } = params;
  return shard === null ? total : splitCount(total, shard.count, shard.index - 1);
}

/** Part `part` (0-based) of `total` split in `parts`: floor, with the remainder given to the first parts. */
export function splitCount(total: number, parts: number, part: number): number {
  if (total === Infinity) return Infinity;
  const base = Math.floor(total / parts);
  return base + (part < total - base * parts ? 1 : 0);
}

/**
 * The seed for key choices: the run's seed when unsharded, else one derived from (seed, k, N), so
 * shards draw different keys. Data sets keep using params.seed, so every shard loads the same data.
 */
export function loadSeed(params: Pick<LoadSplitParams, 'seed' | 'shard'>, purpose = 'load'): number {
  const { shard } = params;
  if (shard === null) return params.seed;
  return SeededRandom.forKey(params.seed, `${purpose}:shard:${formatShard(shard)}`).nextUint32();
}

/** A worker thread's seed under a load seed: distinct per worker, the same for the same (seed, index). */
export function workerSeed(seed: number, workerIndex: number): number {
  return workerIndex === 0 ? seed : SeededRandom.forKey(seed, `worker:${workerIndex}`).nextUint32();
}

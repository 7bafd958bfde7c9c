import { NS_PER_MS, NS_PER_S } from '../core/units.ts';
import { createLatencyHistogram } from '../measure/histogram-bounds.ts';
import { nowNs } from '../measure/clock.ts';

export interface ThroughputLevel {
  readonly concurrency: number;
  readonly opsPerSecond: number;
  readonly p99Ms: number;
}

export interface ThroughputProbeResult {
  readonly levels: readonly ThroughputLevel[];
  /** Highest ops/s among the levels whose p99 is within the budget (null: none is). */
  readonly best: ThroughputLevel | null;
}

/**
 * A short built-in measurement (not a knee search): one client, `concurrency` commands in flight
 * (ioredis pipelines them on its connection), each level run for levelMs and at most maxOps
 * commands. One Node client saturates before a Redis server does, so the result is a lower bound
 * of what the node sustains.
 */
export async function probeThroughput(
  command: (i: number) => Promise<unknown>,
  options: {
    readonly concurrencies: readonly number[];
    readonly levelMs: number;
    readonly maxOps: number;
    readonly budgetMs: number;
    readonly signal?: AbortSignal;
  },
): Promise<ThroughputProbeResult> {
  const levels: ThroughputLevel[] = [];
  for (const concurrency of options.concurrencies) {
    if (options.signal?.aborted === true) break;
    const histogram = createLatencyHistogram();
    let ops = 0;
    const start = nowNs();
    const deadline = start + BigInt(options.levelMs * NS_PER_MS);
    const worker = async (): Promise<void> => {
      while (ops < options.maxOps && nowNs() < deadline && options.signal?.aborted !== true) {
        const i = ops;
        ops += 1;
        const t0 = nowNs();
        await command(i);
        histogram.recordValue(Math.max(1, Number(nowNs() - t0)));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = Number(nowNs() - start) / NS_PER_S;
    levels.push({ concurrency, opsPerSecond: ops / seconds, p99Ms: histogram.getValueAtPercentile(99) / NS_PER_MS });
    if (typeof (histogram as { destroy?: () => void }).destroy === 'function')
      (histogram as { destroy: () => void }).destroy();
  }
  const within = levels.filter((l) => l.p99Ms <= options.budgetMs);
  const best = within.length === 0 ? null : within.reduce((a, b) => (b.opsPerSecond > a.opsPerSecond ? b : a));
  return { levels, best };
}

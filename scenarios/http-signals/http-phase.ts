/** One measured HTTP phase of the http-signals scenario: load, HDR recording, and its per-phase figures. */
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import { MS_PER_S, NS_PER_MS } from '../../bench/core/units.ts';
import type { ScenarioContext } from '../../bench/run/scenario.ts';
import { hitRate } from '../../src/cache/cache-health.ts';
import type { SignalService } from '../../src/service/signal-service.ts';
import { SIGNALS_PATH } from './combo-source.ts';
import type { ComboSource } from './combo-source.ts';
import { runHttpPhase } from './http-load.ts';
import type { HttpPhaseResult } from './http-load.ts';
import type { HttpSignalsParams } from './http-signals-params.ts';

export interface PhaseOptions {
  readonly connections: number;
  readonly durationMs: number;
  readonly maxRequests: number;
  readonly onResponse?: (status: number, ns: number, atMs: number) => void;
}

export interface PhaseFigures {
  readonly result: HttpPhaseResult;
  readonly okLatenciesNs: number[];
}

/** Runs one phase named `name` against `service`, each request's body from `bodies`. */
export type Phase = (
  name: string,
  service: SignalService,
  bodies: () => string,
  options: PhaseOptions,
) => Promise<PhaseFigures>;

/** The latency at quantile q (0..1) of latencies in ns sorted ascending, in ms; null when there are none. */
export function sortedQuantileMs(sortedNs: readonly number[], q: number): number | null {
  return sortedNs.length === 0
    ? null
    : sortedNs[Math.min(sortedNs.length - 1, Math.floor(q * sortedNs.length))]! / NS_PER_MS;
}

export interface CacheCounts {
  readonly hits: number;
  readonly misses: number;
  /** Lookups the service gave up (error, timeout, breaker open) and answered by computing. */
  readonly fallbacks: number;
}

export function snapshot(service: SignalService): CacheCounts {
  return service.cacheHealth.health();
}

/** The feature cache's hit rate between two snapshots; null when nothing was looked up. */
export function rate(before: CacheCounts, after: CacheCounts): number | null {
  return hitRate({ hits: after.hits - before.hits, misses: after.misses - before.misses });
}

/** The figures of a phase: rate, p50, p99, errors, requests; and its progress line. */
function summarizePhase(
  context: ScenarioContext,
  values: Record<string, ScenarioValue>,
  name: string,
  options: PhaseOptions,
  figures: PhaseFigures,
): void {
  const { result, okLatenciesNs } = figures;
  const sorted = [...okLatenciesNs].sort((a, b) => a - b);
  const pick = (q: number): number | null => sortedQuantileMs(sorted, q);
  const rps = result.durationMs > 0 ? ((result.completed - result.non2xx) * MS_PER_S) / result.durationMs : 0;
  values[`${name}.requests-per-second`] = {
    value: rps,
    unit: 'req/s',
    description: `${name}: 2xx responses per second (${options.connections} connection(s), loopback, service and load generator in one process)`,
  };
  values[`${name}.p50-ms`] = {
    value: pick(0.5),
    unit: 'ms',
    description: `${name}: median latency of 2xx responses, client side`,
  };
  values[`${name}.p99-ms`] = {
    value: pick(0.99),
    unit: 'ms',
    description: `${name}: p99 latency of 2xx responses, client side`,
  };
  values[`${name}.errors`] = {
    value: result.non2xx + result.errors,
    unit: 'count',
    description: `${name}: non-2xx responses (${result.non2xx}) + requests with no answer (${result.errors}, of which ${result.timeouts} timeouts)`,
  };
  values[`${name}.requests`] = {
    value: result.completed,
    unit: 'count',
    description: `${name}: responses received in ${result.durationMs} ms`,
  };
  context.progress(
    `${name}: ${rps.toFixed(0)} req/s, p50 ${pick(0.5)?.toFixed(2) ?? '-'} ms, p99 ${pick(0.99)?.toFixed(2) ?? '-'} ms, ${result.non2xx + result.errors} errors`,
  );
}

/**
 * The phase runner of one scenario run: 2xx latencies go to the metric `http.<name>` and the
 * phase's figures to `values`.
 */
export function phaseRunner(context: ScenarioContext, values: Record<string, ScenarioValue>): Phase {
  const { recorders, progress, signal } = context;
  return async (name, service, bodies, options) => {
    const okLatenciesNs: number[] = [];
    const metric = recorders.metric(`http.${name}`);
    progress(
      `${name}: ${options.connections} connection(s), up to ${options.durationMs} ms / ${options.maxRequests} requests`,
    );
    const result = await runHttpPhase({
      url: service.url,
      path: SIGNALS_PATH,
      connections: options.connections,
      durationMs: options.durationMs,
      maxRequests: options.maxRequests,
      nextBody: bodies,
      signal,
      onResponse: (status, ns, atMs) => {
        if (status === 200) {
          metric.recordNs(ns);
          okLatenciesNs.push(ns);
        }
        options.onResponse?.(status, ns, atMs);
      },
    });
    recorders.cutAll();
    summarizePhase(context, values, name, options, { result, okLatenciesNs });
    return { result, okLatenciesNs };
  };
}

/** What every phase of one run shares: the two services, the requests, the phase runner and the outputs. */
export interface HttpSignalsRun {
  readonly context: ScenarioContext;
  readonly params: HttpSignalsParams;
  readonly combos: ComboSource;
  /** The service with the Redis feature cache, and the same service with REDIS_ENABLED=false. */
  readonly cached: SignalService;
  readonly uncached: SignalService;
  readonly phase: Phase;
  readonly values: Record<string, ScenarioValue>;
  readonly notes: string[];
}

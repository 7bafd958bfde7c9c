/** The document's degradation row over HTTP: warm traffic while the managed redis-server is SIGKILLed. */
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import { MS_PER_S } from '../../bench/core/units.ts';
import type { MetricRecorder } from '../../bench/measure/metric-recorder.ts';
import { managedServer } from '../../bench/run/scenario-kit.ts';
import type { SignalService } from '../../src/service/signal-service.ts';
import type { Combo } from './combo-source.ts';
import { sortedQuantileMs } from './http-phase.ts';
import type { HttpSignalsRun } from './http-phase.ts';

/** Responses split at the kill: counts before it, and after it the failures and the 2xx latencies. */
class KillTally {
  killedAtMs: number | null = null;
  before = 0;
  after = 0;
  failedAfter = 0;
  readonly afterLatenciesNs: number[] = [];

  constructor(private readonly afterMetric: MetricRecorder) {}

  readonly onResponse = (status: number, ns: number, atMs: number): void => {
    if (this.killedAtMs === null || atMs < this.killedAtMs) this.before += 1;
    else {
      this.after += 1;
      if (status !== 200) this.failedAfter += 1;
      else {
        this.afterMetric.recordNs(ns);
        this.afterLatenciesNs.push(ns);
      }
    }
  };
}

function killValues(
  values: Record<string, ScenarioValue>,
  tally: KillTally,
  endedAtMs: number,
  service: SignalService,
): void {
  const { before, after, failedAfter, killedAtMs } = tally;
  values['redis-killed.completed-after-kill'] = {
    value: after === 0 ? null : (after - failedAfter) / after,
    unit: 'ratio',
    description: `share of responses after the kill that were 2xx (${after - failedAfter} of ${after}; ${before} responses before it)`,
  };
  const sorted = tally.afterLatenciesNs.sort((x, y) => x - y);
  const afterSeconds = killedAtMs !== null ? (endedAtMs - killedAtMs) / MS_PER_S : 0;
  values['redis-killed.after-kill.requests-per-second'] = {
    value: afterSeconds > 0 ? sorted.length / afterSeconds : null,
    unit: 'req/s',
    description: '2xx responses per second after the SIGKILL (Redis gone, every request computes)',
  };
  values['redis-killed.after-kill.p50-ms'] = {
    value: sortedQuantileMs(sorted, 0.5),
    unit: 'ms',
    description: 'median latency after the SIGKILL',
  };
  values['redis-killed.after-kill.p99-ms'] = {
    value: sortedQuantileMs(sorted, 0.99),
    unit: 'ms',
    description: 'p99 latency after the SIGKILL',
  };
  const health = service.cacheHealth.health();
  values['redis-killed.fallbacks'] = {
    value: health.fallbacks,
    unit: 'count',
    description: 'cache lookups the service served without Redis (error, timeout, breaker open; whole scenario)',
  };
}

/** Warm traffic while the managed redis-server is SIGKILLed part-way; Redis is restarted afterwards. */
export async function killPhase(run: HttpSignalsRun, warmSet: readonly Combo[]): Promise<void> {
  const { context, params, cached: service } = run;
  const managed = managedServer(context.target);
  if (managed === null) {
    run.notes.push(
      'redis-killed phase skipped: the target was given by --redis-url, and a Redis the harness did not start is never killed',
    );
    return;
  }
  let cursor = 0;
  const tally = new KillTally(context.recorders.metric('http.redis-killed.after-kill'));
  const timer = setTimeout(
    () => {
      tally.killedAtMs = Date.now();
      context.progress('redis-killed: SIGKILL to redis-server');
      void managed.kill().catch(() => undefined);
    },
    Math.round(params.killPhaseDurationMs * params.killAtFraction),
  );
  let endedAtMs: number;
  try {
    await run.phase(
      'redis-killed',
      service,
      () =>
        JSON.stringify({
          symbols: warmSet[cursor % warmSet.length]!.symbols,
          as_of_date: warmSet[cursor++ % warmSet.length]!.date,
        }),
      {
        connections: params.connections,
        durationMs: params.killPhaseDurationMs,
        maxRequests: params.maxRequestsPerPhase,
        onResponse: tally.onResponse,
      },
    );
    endedAtMs = Date.now();
  } finally {
    clearTimeout(timer);
    if (managed.state === 'killed' || managed.state === 'exited') await managed.restart();
  }
  killValues(run.values, tally, endedAtMs, service);
}

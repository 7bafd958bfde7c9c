/** `rpb monitor --watch` as a loop the scenario can watch: the same evaluation, at a fixed check interval. */
import { sleepMs } from '../../bench/load/precise-wait.ts';
import type { MonitorOptions } from '../../src/monitoring/redis-monitor.ts';
import { monitorRedis } from '../../src/monitoring/redis-monitor.ts';
import type { CheckRecord } from './alert-figures.ts';

/** Checks kept at most (10 minutes at a 50 ms interval). */
const MAX_CHECKS = 12_000;

/**
 * Starts a check every `intervalMs` (a check that overruns delays the next one, counted in `lateStarts`),
 * each one monitorRedis() as `rpb monitor` runs it: its own connection, INFO, SLOWLOG, LATENCY, alerts.
 */
export class MonitorLoop {
  readonly checks: CheckRecord[] = [];
  /** Checks that started more than one interval after the one before (the loop fell behind). */
  lateStarts = 0;
  #stopped = false;
  readonly #stop = new AbortController();
  readonly #loop: Promise<void>;
  #waiters: (() => void)[] = [];

  constructor(
    private readonly url: string,
    private readonly intervalMs: number,
    private readonly options: MonitorOptions,
  ) {
    this.#loop = this.#run();
  }

  async #run(): Promise<void> {
    let dueMs = performance.now();
    while (!this.#stopped) {
      const startMs = performance.now();
      if (startMs - dueMs > this.intervalMs) this.lateStarts += 1;
      const report = await monitorRedis(this.url, this.options);
      const endMs = performance.now();
      if (this.checks.length < MAX_CHECKS)
        this.checks.push({ startMs, endMs, alerts: report.alerts.map((a) => ({ id: a.id, severity: a.severity })) });
      for (const wake of this.#waiters.splice(0)) wake();
      dueMs = Math.max(dueMs + this.intervalMs, endMs);
      await sleepMs(dueMs - performance.now(), this.#stop.signal);
    }
  }

  /** Resolves once a check that started at or after `fromMs` has finished (false: the wait or the run ended first). */
  async checkedSince(fromMs: number, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (!this.checks.some((c) => c.startMs >= fromMs)) {
      if (signal.aborted || this.#stopped || performance.now() >= deadline) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.max(1, deadline - performance.now()));
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.#waiters.push(done);
      });
    }
    return true;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stop.abort();
    for (const wake of this.#waiters.splice(0)) wake();
    await this.#loop;
  }
}

/** The harness's view of the service: GET /health polled at a fixed period, and a trickle of signal requests. */
import { sleepMs } from '../../bench/load/precise-wait.ts';
import type { HealthObservation } from './health-figures.ts';

/** Observations kept at most (a 10 ms poll for 10 minutes); later polls are still sent but not kept. */
const MAX_OBSERVATIONS = 60_000;

/** A GET /health gives up after this: a stuck answer is a finding, never a hang. */
const REQUEST_TIMEOUT_MS = 2_000;
/**
 * A signal request gives up after this: a miss computes 5 symbols' features, which on a loaded
 * 2-core machine can approach the /health bound, and a slow answer is not a failed one.
 */
const SIGNAL_TIMEOUT_MS = 5_000;

async function readConnected(url: string): Promise<boolean | null> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const body = (await response.json()) as { redis_connected?: unknown };
    return typeof body.redis_connected === 'boolean' ? body.redis_connected : null;
  } catch {
    return null;
  }
}

/**
 * A loop in the background: one poll at a time, the next sent `periodMs` after the one before was
 * sent (or at once when its answer came later). stop() ends the loop and waits for it.
 */
export class HealthPoller {
  readonly observations: HealthObservation[] = [];
  #stopped = false;
  readonly #stop = new AbortController();
  readonly #loop: Promise<void>;

  constructor(
    private readonly serviceUrl: string,
    private readonly periodMs: number,
  ) {
    this.#loop = this.#run();
  }

  /** The newest answer, or undefined before the first. */
  get latest(): HealthObservation | undefined {
    return this.observations[this.observations.length - 1];
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      const sentMs = performance.now();
      const connected = await readConnected(this.serviceUrl);
      const receivedMs = performance.now();
      if (this.observations.length < MAX_OBSERVATIONS) this.observations.push({ sentMs, receivedMs, connected });
      const wait = sentMs + this.periodMs - performance.now();
      if (wait > 0) await sleepMs(wait, this.#stop.signal);
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stop.abort();
    await this.#loop;
  }
}

/**
 * One request at a time to POST /api/v1/signals, every `periodMs`: the traffic a service in use sees,
 * which is what makes its cache client notice a Redis that stopped answering.
 */
export class SignalTrickle {
  sent = 0;
  /** Answers other than 200 (the service must keep answering whatever Redis does). */
  failed = 0;
  /** The first few failures: when the request was sent (ms, monotonic) and why (status and body, or the error). */
  readonly failures: { readonly sentMs: number; readonly why: string }[] = [];
  #stopped = false;
  readonly #stop = new AbortController();
  readonly #loop: Promise<void>;

  constructor(
    private readonly serviceUrl: string,
    private readonly body: string,
    private readonly periodMs: number,
  ) {
    this.#loop = this.#run();
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      const sentMs = performance.now();
      this.sent += 1;
      try {
        const response = await fetch(`${this.serviceUrl}/api/v1/signals`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: this.body,
          signal: AbortSignal.timeout(SIGNAL_TIMEOUT_MS),
        });
        const text = await response.text();
        if (response.status !== 200) this.#fail(sentMs, `HTTP ${response.status}: ${text.slice(0, 200)}`);
      } catch (error) {
        this.#fail(sentMs, error instanceof Error ? error.message : String(error));
      }
      const wait = sentMs + this.periodMs - performance.now();
      if (wait > 0) await sleepMs(wait, this.#stop.signal);
    }
  }

  #fail(sentMs: number, why: string): void {
    this.failed += 1;
    if (this.failures.length < 5) this.failures.push({ sentMs, why });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stop.abort();
    await this.#loop;
  }
}

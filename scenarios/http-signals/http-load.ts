import autocannon from 'autocannon';
import { NS_PER_MS } from '../../bench/core/units.ts';

export interface HttpPhaseOptions {
  /** Base URL of the service; loopback only (checked). */
  readonly url: string;
  readonly path: string;
  readonly connections: number;
  /** The phase ends at this duration or at maxRequests, whichever comes first. */
  readonly durationMs: number;
  readonly maxRequests: number;
  /** The JSON body of the next request (called once per request). */
  nextBody(): string;
  /** Every completed response: status and the client-side latency in ns (from autocannon's hrtime). */
  onResponse(statusCode: number, latencyNs: number, atMs: number): void;
  readonly signal: AbortSignal;
  /** Per-request timeout. */
  readonly timeoutS?: number;
}

export interface HttpPhaseResult {
  readonly completed: number;
  readonly non2xx: number;
  /** Socket errors and timeouts (requests with no HTTP answer). */
  readonly errors: number;
  readonly timeouts: number;
  readonly durationMs: number;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

/** Load from the harness goes to loopback only: throws for any other host name. */
export function assertLoopback(hostname: string): void {
  if (!LOOPBACK.has(hostname)) throw new Error(`load goes to loopback only, not ${hostname}`);
}

/**
 * One closed-loop HTTP phase with autocannon's programmatic API: `connections` keep-alive
 * connections, each sending its next request when the previous answer arrives. Bounded by time
 * and count; stops promptly when `signal` aborts. Latencies come per request (autocannon's own
 * aggregate is only a histogram summary), so they land in the harness's HDR recorders.
 */
export async function runHttpPhase(options: HttpPhaseOptions): Promise<HttpPhaseResult> {
  assertLoopback(new URL(options.url).hostname);
  let completed = 0;
  let non2xx = 0;
  const started = Date.now();
  // Without a callback autocannon returns its tracker (an EventEmitter) that is also a promise of the result.
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    amount: options.maxRequests,
    timeout: options.timeoutS ?? 10,
    // autocannon notices the end (amount reached, stop()) on its sampling tick: 100 ms, not 1 s, of idle tail
    // per phase.
    sampleInt: 100,
    requests: [
      {
        method: 'POST',
        path: options.path,
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: options.nextBody() }),
      },
    ],
  }) as unknown as Promise<autocannon.Result> & {
    on(
      event: 'response',
      listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void,
    ): void;
    stop(): void;
  };
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTimeMs: number) => {
    completed += 1;
    if (statusCode < 200 || statusCode >= 300) non2xx += 1;
    options.onResponse(statusCode, Math.max(1, Math.round(responseTimeMs * NS_PER_MS)), Date.now());
  });
  const stop = (): void => instance.stop();
  const timer = setTimeout(stop, options.durationMs);
  options.signal.addEventListener('abort', stop, { once: true });
  try {
    const result = await instance;
    return { completed, non2xx, errors: result.errors, timeouts: result.timeouts, durationMs: Date.now() - started };
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', stop);
  }
}

/** The requests the http-signals phases send: 5-symbol groups x dates, each handed out once. */
import type { Redis } from 'ioredis';
import { featureKey } from '../../src/cache/feature-key.ts';
import type { SignalService } from '../../src/service/signal-service.ts';

export const SIGNALS_PATH = '/api/v1/signals';
/** Symbols per request: the service's MAX_SYMBOLS, and the document's example. */
export const BATCH = 5;

/** A 5-symbol request: one date, one group of symbols. */
export interface Combo {
  readonly date: string;
  readonly symbols: readonly string[];
}

/** Distinct requests in a fixed order; `take` hands out ones never asked before (cold by construction). */
export class ComboSource {
  private next = 0;
  private readonly groups: string[][];

  constructor(
    symbols: readonly string[],
    private readonly dates: readonly string[],
  ) {
    this.groups = [];
    for (let i = 0; i + BATCH <= symbols.length; i += BATCH) this.groups.push(symbols.slice(i, i + BATCH));
  }

  get capacity(): number {
    return this.groups.length * this.dates.length - this.next;
  }

  take(count: number): Combo[] {
    const out: Combo[] = [];
    const total = this.groups.length * this.dates.length;
    for (let i = 0; i < count && this.next < total; i += 1, this.next += 1) {
      out.push({
        date: this.dates[this.next % this.dates.length]!,
        symbols: this.groups[Math.floor(this.next / this.dates.length)]!,
      });
    }
    return out;
  }
}

/** The JSON body of a request for `combo` (or for some of its symbols). */
export const body = (combo: Combo, symbols: readonly string[] = combo.symbols): string =>
  JSON.stringify({ symbols, as_of_date: combo.date });

/** One untimed set-up request (to cache its features); anything but 200 is a failure of the run. */
export async function postOnce(service: SignalService, payload: string): Promise<void> {
  const response = await fetch(`${service.url}${SIGNALS_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: payload,
  });
  if (response.status !== 200)
    throw new Error(`set-up request failed: HTTP ${response.status} ${await response.text()}`);
  await response.arrayBuffer().catch(() => undefined);
}

/** Keys of requests we call cold must not exist (a --redis-url target may hold some from an earlier run). */
export async function forget(admin: Redis, list: readonly Combo[]): Promise<void> {
  const keys = list.flatMap((c) => c.symbols.map((s) => featureKey(s, c.date)));
  for (let i = 0; i < keys.length; i += 500) await admin.unlink(...keys.slice(i, i + 500));
}

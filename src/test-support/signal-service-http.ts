import type { SignalBatch } from '../signals/signal-generator.ts';

/** POST /api/v1/signals as the tests read it (an error answer has neither field). */
export interface SignalsAnswer {
  readonly status: number;
  readonly body: {
    readonly signals: { readonly symbol: string; readonly score: number; readonly source: string }[];
    readonly cache: SignalBatch['cache'];
  };
}

/** GET /health as the tests read it. */
export interface HealthBody {
  readonly status: string;
  readonly model_loaded: boolean;
  readonly redis_enabled: boolean;
  readonly redis_connected: boolean;
  readonly breaker_state: string;
  readonly cache: {
    readonly hits: number;
    readonly misses: number;
    readonly fallbacks: number;
    readonly errors_by_kind: Readonly<Record<string, number>>;
  };
}

export async function postSignals(
  service: { readonly url: string },
  symbols: readonly string[],
  asOfDate: string,
): Promise<SignalsAnswer> {
  const response = await fetch(`${service.url}/api/v1/signals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ symbols, as_of_date: asOfDate }),
  });
  return { status: response.status, body: (await response.json()) as SignalsAnswer['body'] };
}

export async function getHealth(service: { readonly url: string }): Promise<HealthBody> {
  return (await (await fetch(`${service.url}/health`)).json()) as HealthBody;
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { CacheHealthSource } from '../cache/cache-health.ts';
import { hitRate } from '../cache/cache-health.ts';
import { DataFileError, SignalInputError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { SignalBatch } from '../signals/signal-generator.ts';
import type { ServiceMetrics } from './service-metrics.ts';

export interface SignalRoutesOptions {
  /** null: the model did not load; /health says unhealthy and signal requests get 503. */
  readonly generator: { generate(symbols: readonly string[], asOfDate: string): Promise<SignalBatch> } | null;
  readonly model: { readonly name: string; readonly version: string } | null;
  readonly health: CacheHealthSource;
  readonly metrics: ServiceMetrics;
  readonly maxSymbolsPerRequest: number;
  readonly logger: Logger;
  /** Sees every batch served (e.g. to count fallbacks). */
  readonly onBatch?: (batch: SignalBatch) => void;
}

/** An error body: a stable machine-readable code and a message that names the problem and the fix. */
export interface ErrorBody {
  readonly error: string;
  readonly message: string;
}

function requestSchema(maxSymbols: number) {
  return z
    .object(
      {
        symbols: z
          .array(z.string({ message: 'each symbol must be a string, e.g. "AAPL"' }), {
            message: 'symbols must be a list of ticker strings, e.g. ["AAPL","MSFT"]',
          })
          .min(1, 'symbols must hold at least one symbol')
          .max(maxSymbols, `at most ${maxSymbols} symbols per request; split the list`),
        as_of_date: z.string({ message: 'as_of_date must be a date string YYYY-MM-DD, e.g. "2025-01-17"' }),
      },
      { message: 'the body must be a JSON object {"symbols": [...], "as_of_date": "YYYY-MM-DD"}' },
    )
    .strict();
}

function describeIssues(error: z.ZodError, body: unknown): string {
  const given =
    typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys')
        return `unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}: only "symbols" and "as_of_date" are accepted`;
      if (given !== null && issue.path.length === 1 && given[String(issue.path[0])] === undefined)
        return `${String(issue.path[0])} is required`;
      const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      return `${where}${issue.message}`;
    })
    .join('; ');
}

/**
 * POST /api/v1/signals, GET /health and GET /metrics (the document's Pattern 4 health check, plus
 * breaker state and hit rate).
 */
export function registerSignalRoutes(app: FastifyInstance, options: SignalRoutesOptions): void {
  const schema = requestSchema(options.maxSymbolsPerRequest);

  app.post('/api/v1/signals', async (request, reply) => {
    const parsed = schema.safeParse(request.body);
    if (!parsed.success)
      return reply
        .code(400)
        .send({ error: 'invalid-request', message: describeIssues(parsed.error, request.body) } satisfies ErrorBody);
    if (options.generator === null) {
      return reply.code(503).send({
        error: 'model-not-loaded',
        message: 'the model did not load at startup; see the service log and restart it',
      } satisfies ErrorBody);
    }
    const { symbols, as_of_date: asOfDate } = parsed.data;
    try {
      const batch = await options.generator.generate(symbols, asOfDate);
      options.onBatch?.(batch);
      return {
        as_of_date: batch.asOfDate,
        model: { name: batch.modelName, version: batch.modelVersion },
        signals: batch.signals.map((s) => ({ symbol: s.symbol, score: s.score, source: s.source })),
        cache: batch.cache,
      };
    } catch (error) {
      if (error instanceof SignalInputError)
        return reply.code(400).send({ error: error.code, message: error.message } satisfies ErrorBody);
      if (error instanceof DataFileError) {
        options.logger.error('Market data unavailable', { path: error.path, error: error.message });
        return reply.code(503).send({
          error: 'data-unavailable',
          message: 'market data could not be read; see the service log',
        } satisfies ErrorBody);
      }
      throw error;
    }
  });

  app.get('/health', async (_request, reply) => {
    const snapshot = options.health.health();
    // As the document's health check: Redis is asked (PING), not only the connection's state.
    const connected =
      snapshot.enabled && options.health.checkConnection !== undefined
        ? await options.health.checkConnection()
        : snapshot.connected;
    const modelLoaded = options.model !== null;
    const rate = hitRate(snapshot);
    return reply.code(modelLoaded ? 200 : 503).send({
      status: modelLoaded ? 'healthy' : 'unhealthy',
      model_loaded: modelLoaded,
      redis_enabled: snapshot.enabled,
      redis_connected: connected,
      timestamp: new Date().toISOString(),
      breaker_state: snapshot.breakerState,
      hit_rate: rate,
      cache: {
        hits: snapshot.hits,
        misses: snapshot.misses,
        fallbacks: snapshot.fallbacks,
        errors_by_kind: snapshot.errorsByKind,
      },
    });
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await options.metrics.render();
    return reply.type(options.metrics.contentType).send(text);
  });
}

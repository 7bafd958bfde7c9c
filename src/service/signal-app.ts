import Fastify from 'fastify';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { Logger } from '../logger.ts';
import type { ErrorBody, SignalRoutesOptions } from './signal-routes.ts';
import { registerSignalRoutes } from './signal-routes.ts';

export interface SignalAppOptions extends SignalRoutesOptions {
  readonly bodyLimitBytes: number;
  readonly logger: Logger;
}

/** What the client did wrong, by fastify's error code, in words that name the fix. */
const CLIENT_ERROR_MESSAGES: Readonly<Record<string, string>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'send the body as JSON with the header Content-Type: application/json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the body is empty; send {"symbols": [...], "as_of_date": "YYYY-MM-DD"}',
  FST_ERR_CTP_INVALID_JSON_BODY: 'the body is not valid JSON; send {"symbols": [...], "as_of_date": "YYYY-MM-DD"}',
};

/**
 * The HTTP app without a listening socket (tests use inject()). Every error leaves as a JSON body
 * { error, message }: client errors with their 4xx status, anything else as a 500 that is logged
 * and never echoes internals.
 */
export function buildSignalApp(options: SignalAppOptions): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimitBytes,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  });

  // JSON only: fastify would otherwise accept text/plain bodies as strings.
  app.removeContentTypeParser('text/plain');

  app.addHook('onResponse', async (request, reply) => {
    options.metrics.observeRequest(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const message =
        status === 413
          ? `the body is larger than ${options.bodyLimitBytes} bytes; send fewer symbols per request`
          : (CLIENT_ERROR_MESSAGES[error.code] ?? error.message);
      const code = status === 413 ? 'body-too-large' : status === 415 ? 'unsupported-media-type' : 'invalid-request';
      return reply.code(status).send({ error: code, message } satisfies ErrorBody);
    }
    options.logger.error('Request failed', { error: error.message, stack: error.stack });
    return reply
      .code(500)
      .send({ error: 'internal', message: 'internal error; see the service log' } satisfies ErrorBody);
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      error: 'not-found',
      message: `no route ${request.method} ${request.url}; routes: POST /api/v1/signals, GET /health, GET /metrics`,
    } satisfies ErrorBody),
  );

  registerSignalRoutes(app, options);
  return app;
}

import { createStderrLogger } from '../../src/logger.ts';
import { parseServiceConfig, ServiceConfigError } from '../../src/service/service-config.ts';
import type { ServiceConfig } from '../../src/service/service-config.ts';
import type { SignalService } from '../../src/service/signal-service.ts';
import { startSignalService } from '../../src/service/signal-service.ts';
import { ConfigError, InfraError } from '../errors.ts';
import { onInterrupt, registerCleanup } from '../core/cleanup-registry.ts';
import { datasetParams, prepareDataset } from '../run/market-dataset.ts';
import { RUN_PARAM_DEFAULTS } from '../run/run-params.ts';
import { ManagedRedis } from '../targets/managed-redis.ts';

export interface ServeOptions {
  port?: string;
  host?: string;
  redisUrl?: string;
  managedRedis?: boolean;
  symbols?: string;
}

/** The default data set of `rpb run` (500 symbols, 3 years): generated once, then shared with the benchmarks. */
const DEFAULT_SERVE_SYMBOLS = 500;

/** --symbols: the size of the synthetic data set generated when MARKET_DATA_DIR is unset. */
function serveSymbols(options: ServeOptions): number {
  const symbols = options.symbols === undefined ? DEFAULT_SERVE_SYMBOLS : Number(options.symbols);
  if (
    !Number.isSafeInteger(symbols) ||
    symbols < 1 ||
    symbols > 5_000 ||
    !/^\d+$/.test(String(options.symbols ?? symbols))
  ) {
    throw new ConfigError(`--symbols ${JSON.stringify(options.symbols)}: expected an integer from 1 to 5000`, {
      hint: 'e.g. --symbols 60',
    });
  }
  return symbols;
}

/** The service's settings from the environment, with the command-line options written over it. */
function serveConfig(options: ServeOptions): { env: NodeJS.ProcessEnv; config: ServiceConfig } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (options.port !== undefined) env.PORT = options.port;
  if (options.host !== undefined) env.HOST = options.host;
  if (options.redisUrl !== undefined) env.REDIS_URL = options.redisUrl;
  if (options.managedRedis === true) {
    // Redis settings come from the managed server, set once it is up.
    delete env.REDIS_URL;
    env.REDIS_ENABLED = 'false';
  }
  try {
    return { env, config: parseServiceConfig(env) };
  } catch (error) {
    if (!(error instanceof ServiceConfigError)) throw error;
    throw new ConfigError('invalid service configuration', {
      problems: error.problems,
      hint: 'see `rpb serve --help` for the environment variables and options',
    });
  }
}

/** Without MARKET_DATA_DIR: the synthetic data set of `rpb run`, generated once and shared with the benchmarks. */
async function syntheticDataDir(
  symbols: number,
  env: NodeJS.ProcessEnv,
  progress: (message: string) => void,
): Promise<string> {
  const dataset = await prepareDataset(
    datasetParams(symbols, RUN_PARAM_DEFAULTS.seed),
    env.RPB_DATA_DIR?.trim() || null,
    progress,
  );
  progress(
    `market data: ${dataset.symbols.length} symbols (${dataset.symbols.slice(0, 5).join(', ')}, ...), ${dataset.startDate} .. ${dataset.endDate}`,
  );
  return dataset.dir;
}

/** Starts the service; an address it cannot listen on is an infrastructure error naming the fix. */
async function listen(config: ServiceConfig & { readonly marketDataDir: string }): Promise<SignalService> {
  try {
    return await startSignalService(config, { logger: createStderrLogger(config.logLevel) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new InfraError(`cannot listen on ${config.host}:${config.port}: ${code}`, {
        hint: 'choose another --port / PORT (0 picks a free one) or --host',
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * `rpb serve`: the signal service in the foreground until SIGTERM or Ctrl-C. Settings come from the
 * environment (REDIS_ENABLED, REDIS_URL, HOST, PORT, ...); command-line options win over it. Without
 * MARKET_DATA_DIR the synthetic data set is generated (once) and used. `announce` prints the URL.
 */
export async function runServeCommand(
  options: ServeOptions,
  announce: (line: string) => void,
  progress: (message: string) => void,
): Promise<void> {
  if (options.managedRedis === true && options.redisUrl !== undefined) {
    throw new ConfigError('--managed-redis and --redis-url are exclusive', {
      hint: 'pass one: --redis-url to use your Redis, --managed-redis to let rpb start one',
    });
  }
  const symbols = serveSymbols(options);
  const { env, config: configured } = serveConfig(options);
  let config = configured;
  let managed: ManagedRedis | null = null;
  let service: SignalService | null = null;
  const shutdown = async (): Promise<void> => {
    await service?.close();
    await managed?.stop();
  };
  const stopListening = onInterrupt(shutdown);
  const unregister = registerCleanup('rpb serve', shutdown);
  try {
    if (options.managedRedis === true) {
      progress(
        "starting a managed redis-server (the document's redis.conf recommendations, loopback, stopped on exit)",
      );
      managed = await ManagedRedis.start();
      config = { ...config, redisEnabled: true, redisUrl: managed.url };
    }
    const marketDataDir = config.marketDataDir ?? (await syntheticDataDir(symbols, env, progress));
    service = await listen({ ...config, marketDataDir });
    announce(
      `rpb serve: listening on ${service.url} (Redis ${config.redisEnabled ? (managed !== null ? `managed, ${managed.redactedUrl}` : 'enabled') : 'disabled'}); POST /api/v1/signals, GET /health, GET /metrics; Ctrl-C or SIGTERM stops it`,
    );
    // Runs until a signal: the CLI's handler calls shutdown (onInterrupt), then exits 130 / 143.
    await new Promise<never>(() => {});
  } catch (error) {
    await shutdown();
    throw error;
  } finally {
    stopListening();
    unregister();
  }
}

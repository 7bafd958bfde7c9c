import type { Command } from 'commander';
import type { CliIo } from './cli-io.ts';

/** `rpb data generate`: the synthetic market data set. */
export function addDataCommand(program: Command, io: CliIo): void {
  const data = program.command('data').description('market data');
  data
    .command('generate')
    .description('generate the synthetic daily OHLCV data set as one Parquet file per symbol')
    .requiredOption('--dir <dir>', 'output folder')
    .option('--symbols <n>', "number of symbols (default 500, as the run's data set)")
    .option('--days <n>', 'trading days per symbol, ending at --end-date (default 775: 2023-01-01 .. 2025-12-31)')
    .option('--seed <n>', 'seed (default 42)')
    .option('--end-date <date>', 'last date, YYYY-MM-DD (default 2025-12-31)')
    .option('--force', 'regenerate even if a matching data set exists')
    .action(async (options: Record<string, string | boolean | undefined>) => {
      const { runDataGenerate } = await import('./data-generate.ts');
      io.output(await runDataGenerate(options));
    });
}

/** `rpb serve` and `rpb monitor`: the signal service and the document's alert thresholds. */
export function addServiceCommands(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('run the signal service (POST /api/v1/signals, GET /health, GET /metrics) until Ctrl-C or SIGTERM')
    .option('--port <n>', 'port (default $PORT, else 8080; 0 picks a free one)')
    .option('--host <addr>', 'address to listen on (default $HOST, else 127.0.0.1)')
    .option('--redis-url <url>', 'Redis for the feature cache (default $REDIS_URL; none: serve without a cache)')
    .option('--managed-redis', 'start a redis-server of its own for the cache (loopback, stopped on exit)')
    .option(
      '--symbols <n>',
      'symbols of the synthetic market data set used when $MARKET_DATA_DIR is unset (default 500)',
    )
    .addHelpText(
      'after',
      '\nEnvironment: REDIS_ENABLED, REDIS_URL, HOST, PORT, MARKET_DATA_DIR, CACHE_TTL_SECONDS, BODY_LIMIT_BYTES,\nMAX_SYMBOLS, REDIS_COMMAND_TIMEOUT_MS, REDIS_BREAKER_FAILURES, REDIS_BREAKER_OPEN_MS, SHUTDOWN_GRACE_MS, LOG_LEVEL\n(bad values: exit 2).',
    )
    .action(async (options: Record<string, string | boolean | undefined>) => {
      const { runServeCommand } = await import('./serve.ts');
      await runServeCommand(options, io.output, io.progress);
    });

  program
    .command('monitor')
    .description(
      "check a Redis against the document's alert thresholds (INFO, SLOWLOG, LATENCY); exit 0 ok, 10 warning, 11 critical",
    )
    .option(
      '--redis-url <url>',
      'the Redis to check (default $REDIS_URL; none: a fresh managed redis-server, as a demo)',
    )
    .option('--json', 'print the report as JSON')
    .option('--watch <seconds>', 'refresh every N seconds until Ctrl-C')
    .addHelpText(
      'after',
      "\nAlerts (the document's Pattern 4): warning: hit rate < 50%, used memory > 80% of maxmemory, connected clients > 50,\nerror replies > 0; critical: unreachable, used memory > 95%, no eviction policy (noeviction or maxmemory 0).\nExit codes: 0 no alert, 10 worst alert is a warning, 11 a critical alert, 2 bad option; with --watch the last report's code (Ctrl-C: 130).",
    )
    .action(async (options: Record<string, string | boolean | undefined>) => {
      const { runMonitorCommand } = await import('./monitor.ts');
      io.setExitCode(await runMonitorCommand(options, io.output, io.progress));
    });
}

/** `rpb microbench`: the speed targets. */
export function addMicrobenchCommand(program: Command, io: CliIo): void {
  program
    .command('microbench')
    .description('micro-benchmarks behind the speed targets (docs/speed.md); one at a time, medians')
    .option('--time-ms <ms>', 'measuring time per task (default 2000)')
    .option(
      '--suite <name...>',
      'only these suites (alpha158, parquet-read, hit-path, record-value, miss-ratio-curve, open-loop-rate)',
    )
    .option('--json', 'print JSON instead of a table')
    .action(async (options: Record<string, string | string[] | boolean | undefined>) => {
      const { runMicrobench } = await import('./microbench.ts');
      io.output(await runMicrobench(options, io.progress));
    });
}

/** `rpb capacity`: memory, hit rate, shards and network for a workload. */
export function addCapacityCommand(program: Command, io: CliIo): void {
  program
    .command('capacity')
    .description(
      'memory, hit rate, shards and network for a workload, from measurements (bytes per key on a managed Redis, the predicted LRU curve, node ops/s)',
    )
    .option('--config <file>', 'workload settings in a JSON or YAML file (same names; options override it)')
    .option('--symbols <n>', 'symbols in the universe (default 500)')
    .option('--dates-hot <n>', 'trading dates kept hot, newest most requested (default 20)')
    .option('--peak-rps <n>', 'peak requests per second (default 1000)')
    .option('--read-fraction <share>', 'share of requests that are reads, e.g. 0.95 (default 0.95)')
    .option('--target-hit-rate <share>', 'hit rate to size for, e.g. 0.8 (default 0.8)')
    .option('--ttl-seconds <s>', 'TTL of cached values, 0 = none (default 3600)')
    .option('--replicas <n>', 'replicas per shard (default 1)')
    .option('--headroom <share>', 'spare capacity on memory and throughput, e.g. 0.3 (default 0.3)')
    .option('--symbol-theta <t>', 'zipfian skew over symbols (default 0.99)')
    .option('--date-theta <t>', '"latest" skew over dates (default 0.99)')
    .option('--policy <name>', 'maxmemory-policy (default volatile-lru)')
    .option('--codec <name>', 'value codec (default json-array, the service default)')
    .option('--node-memory-mb <mb>', 'maxmemory one node may have (default 512)')
    .option('--latency-budget-ms <ms>', "p99 budget per command at the node's rate (default 5)")
    .option('--max-accesses <n>', 'bound on the generated trace (default 10000000)')
    .option('--seed <n>', 'trace seed (default 42)')
    .option(
      '--from-run <dir>',
      'node ops/s from a command-latency run folder (values knee-ops-per-second.GET/SET); default: a short built-in measurement',
    )
    .option('--out <dir>', 'folder for capacity.md, capacity.html, capacity.json (default reports/capacity-<time>)')
    .option('--json', 'print the answer as JSON')
    .action(async (options: Record<string, string | boolean | undefined>) => {
      const { runCapacityCommand } = await import('./capacity.ts');
      io.output(await runCapacityCommand(options, io.progress));
    });
}

import { Command, CommanderError } from 'commander';
import { ConfigError, ExitCode, RpbError } from './errors.ts';
import type { ExitCodeValue } from './errors.ts';
import type { RawRunOptions } from './run/run-params.ts';
import { TOOL_VERSION } from './run/tool-version.ts';
import { installSignalHandlers, runInterruptHandlers } from './core/cleanup-registry.ts';
import { createProgressReporter } from './run/progress-reporter.ts';
import type { ProgressEvent } from './run/progress-reporter.ts';

type ProgressReporter = ReturnType<typeof createProgressReporter>;
import { redactRedisUrl } from '../src/redis/redis-url.ts';

const EXAMPLES = `
Examples:
  $ rpb list                                   scenarios and the claims each checks
  $ rpb run miss-vs-hit --quick --out /tmp/r   a short run; report in /tmp/r
  $ rpb validate --quick                        every claim of the document, one table (\`npm run bench\`)
  $ rpb run all                                every scenario
  $ rpb run miss-vs-hit --miss-extra-ms 40     reproduce the document's 40 ms Parquet read
  $ rpb run miss-vs-hit --redis-url redis://:secret@127.0.0.1:6380/0
  $ rpb run miss-vs-hit --topology cluster --quick   on a managed 3+3 Redis Cluster
  $ rpb run cluster-failover --quick                  kill a cluster master under load
  $ rpb compare miss-vs-hit --quick --a codec=json-array --b codec=json-object
  $ rpb calibrate miss-vs-hit --quick --set rounds=6 --pairs 20   gate false-positive and canary rates
  $ rpb gate --budget budgets.txt --baseline reports/base reports/new   CI latency gate
  $ rpb data generate --symbols 500 --dir /tmp/market
  $ rpb microbench                             the speed targets (Alpha158, Parquet, hit path, recording)
  $ rpb capacity --symbols 3000 --peak-rps 20000 --target-hit-rate 0.8   memory, shards, network for a workload
  $ rpb serve --managed-redis --port 8080       the signal service with a cache of its own
  $ rpb monitor --redis-url redis://127.0.0.1:6380 --watch 5   the document's alert thresholds, live
  $ rpb run command-latency --workers 2 --shard 1/2 --out /shared/s1   one of 2 load machines
  $ rpb merge /shared/s1 /shared/s2 --out /shared/all                  add the shards' histograms exactly

Exit codes:
  0 success (a claim that does not hold is a finding, not an error)   1 internal error
  2 configuration error   3 infrastructure error (Redis missing, unreachable, port in use)
  10 / 11 rpb monitor: a warning / critical alert   99 gate failed   129 hang-up (SIGHUP)   130 interrupted (Ctrl-C)   143 terminated (SIGTERM)`;

/**
 * Progress is an observer on stderr (a status line on a terminal, plain periodic lines otherwise);
 * stdout carries only results, so `--json` output is never corrupted.
 */
let reporter: ProgressReporter | null = null;

function progress(message: string): void {
  (reporter ??= createProgressReporter()).report({ kind: 'message', text: message });
}

function progressEvent(event: ProgressEvent): void {
  (reporter ??= createProgressReporter()).report(event);
}

/** Results go to stdout once the status line is gone. */
function output(text: string): void {
  reporter?.stop();
  reporter = null;
  process.stdout.write(`${text}\n`);
}

let exitCode: ExitCodeValue = ExitCode.ok;
let argvSeen: readonly string[] = [];

/** The command as typed, for reports; a Redis URL in it is shown without its password. */
function commandLine(): string {
  return [
    'rpb',
    ...argvSeen.map((arg) => (/^rediss?:\/\//.test(arg) || arg.startsWith('--redis-url=') ? redactRedisUrl(arg) : arg)),
  ].join(' ');
}

/** Prints a run's table on stdout and its first error on stderr, and picks the exit code. */
function report(result: { output: string; error: Error | null }): void {
  output(result.output);
  if (result.error === null) {
    exitCode = ExitCode.ok;
  } else if (result.error instanceof RpbError) {
    printError(result.error);
    exitCode = result.error.exitCode;
  } else {
    process.stderr.write(`rpb: internal error: ${result.error.stack ?? result.error.message}\n`);
    exitCode = ExitCode.internal;
  }
}

function buildProgram(): Command {
  const program = new Command();
  program
    .name('rpb')
    .description(
      'redis-patterns-bench: measures the claims of the "Redis Integration Patterns" document on a real Redis',
    )
    .version(TOOL_VERSION)
    .showHelpAfterError('(run `rpb --help` for usage)')
    .addHelpText('after', EXAMPLES)
    .exitOverride();

  program
    .command('list')
    .description('list scenarios, what each measures, and the claims each checks')
    .action(async () => {
      const { formatScenarioList } = await import('./commands/list.ts');
      output(formatScenarioList());
    });

  const runOptions = (command: Command): Command =>
    command
      .option('--quick', 'short rounds and a small data set (smoke runs, CI)')
      .option('--out <dir>', 'report folder (default: reports/<timestamp>)')
      .option('--seed <n>', 'seed for data and key choices (default 42)')
      .option(
        '--redis-url <url>',
        'use this Redis instead of starting one (redis:// or rediss://; default $REDIS_URL; the password is never printed)',
      )
      .option('--miss-extra-ms <ms>', 'add this SIMULATED latency to every Parquet read (the document says 40)')
      .option(
        '--data-dir <dir>',
        'where market data sets are cached (default $RPB_DATA_DIR, else node_modules/.cache/redis-patterns-bench)',
      )
      .option('--set <key=value...>', 'scenario parameters (see `rpb list`), e.g. --set rounds=9 codec=json-object')
      .option(
        '--added-latency-ms <ms>',
        'delay every Redis reply to the system under test by this much, through the fault proxy',
      )
      .option(
        '--fault-cmd <command>',
        'chaos on a Redis rpb did not start: the shell command that injects the fault (e.g. "docker kill redis"); without it chaos acts only on its own redis-server',
      )
      .option(
        '--target <kind>',
        'managed (default: a redis-server process rpb starts) or container (a redis:7.0 container through testcontainers; needs a Docker engine, else exit 3)',
      )
      .option(
        '--topology <kind>',
        'standalone (default), sentinel (1 master, 2 replicas, 3 sentinels) or cluster (3 masters + 3 replicas), started and stopped by the harness; with --redis-url, cluster takes any one node of an existing cluster as the seed',
      )
      .option(
        '--shard <k/N>',
        'run shard k of N (k from 1): 1/N of every open-loop rate and count cap, own key seed; combine the N runs with `rpb merge`. `env/N` takes k from $JOB_COMPLETION_INDEX + 1 (Kubernetes Indexed Job)',
      )
      .option(
        '--workers <n>',
        'load worker threads on this machine (default 1; at most 4 per CPU), histograms merged exactly',
      );

  runOptions(
    program
      .command('run')
      .description('run scenarios (or `all`) and write a report folder; prints the claims table')
      .argument('<scenario...>', 'scenario ids from `rpb list`, or `all`'),
  ).action(async (scenarioIds: string[], options: RawRunOptions) => {
    const { runScenariosCommand } = await import('./commands/run.ts');
    report(await runScenariosCommand(scenarioIds, options, commandLine(), { message: progress, event: progressEvent }));
  });

  runOptions(
    program
      .command('validate')
      .description(
        "run every scenario that checks a claim (or only the ones named) and print one table of all the document's claims (what `npm run bench` does)",
      )
      .argument(
        '[scenario...]',
        'only these scenarios; the table still lists every claim, the others as "not measured"',
      ),
  ).action(async (scenarioIds: string[], options: RawRunOptions) => {
    const { claimScenarioIds, runScenariosCommand } = await import('./commands/run.ts');
    const ids = scenarioIds.length > 0 ? scenarioIds : claimScenarioIds();
    report(
      await runScenariosCommand(ids, options, commandLine(), { message: progress, event: progressEvent }, 'registry'),
    );
  });

  runOptions(
    program
      .command('compare')
      .description(
        "run two variants of a scenario interleaved (A B, B A, ...) and report every metric's ratio B/A with its interval",
      )
      .argument('<scenario>', 'scenario id')
      .option(
        '--a <k=v,...>',
        'variant A: scenario parameters and/or added-latency-ms, miss-extra-ms (default: defaults)',
      )
      .option('--b <k=v,...>', 'variant B, same keys')
      .option('--pairs <n>', 'A/B pairs of whole runs (default 3)'),
  ).action(async (scenarioId: string, options: Record<string, string>) => {
    const { runCompareCommand } = await import('./commands/compare.ts');
    output(await runCompareCommand(scenarioId, options, progress));
  });

  runOptions(
    program
      .command('calibrate')
      .description(
        'measure the gate: false-positive rate from A/A pairs, detection rate of a known added latency (canary)',
      )
      .argument('<scenario>', 'scenario id')
      .option('--pairs <n>', 'pairs per experiment (default 20)')
      .option('--canary-ms <ms>', 'latency added to every Redis reply in the canary runs (default 1; 0 skips)')
      .option('--max-regression <pct>', "the gate's allowed regression (default 10%)"),
  ).action(async (scenarioId: string, options: Record<string, string>) => {
    const { runCalibrateCommand } = await import('./commands/calibrate.ts');
    output(await runCalibrateCommand(scenarioId, options, progress));
  });

  program
    .command('gate')
    .description(
      'check a finished run against latency budgets and/or a baseline run; exit 99 on a failed budget or a regression',
    )
    .argument('<dir>', 'run folder (or its summary.json)')
    .option('--budget <file>', 'budget file: one expression per line, e.g. `miss-vs-hit.hit.signal.p99 < 5ms`')
    .option('--baseline <dir>', 'baseline run folder: per-percentile ratios with a bootstrap interval over trials')
    .option('--max-regression <pct>', 'allowed regression before a comparison fails (default 10%)')
    .option('--junit <file>', 'write JUnit XML here')
    .option('--markdown <file>', 'write a Markdown summary here (e.g. $GITHUB_STEP_SUMMARY)')
    .action(async (dir: string, options: Record<string, string | undefined>) => {
      const { parseMaxRegression, runGate } = await import('./gate/gate-command.ts');
      const gate = await runGate({
        runDir: dir,
        budgetFile: options.budget,
        baselineDir: options.baseline,
        maxRegressionPct: parseMaxRegression(options.maxRegression ?? '10%'),
        junitPath: options.junit,
        markdownPath: options.markdown,
      });
      output(gate.output);
      exitCode = gate.exitCode;
    });

  program
    .command('merge')
    .description(
      'add up the shard runs of one load (`rpb run --shard k/N` on N machines): histograms added exactly, every percentile recomputed, a new run folder',
    )
    .argument('<dir...>', 'the shard run folders (each holds summary.json)')
    .requiredOption('--out <dir>', 'folder for the merged run (new or empty)')
    .addHelpText(
      'after',
      `
Examples:
  $ rpb run command-latency --shard 1/2 --out /shared/s1     # on machine 1
  $ rpb run command-latency --shard 2/2 --out /shared/s2     # on machine 2, same options
  $ rpb merge /shared/s1 /shared/s2 --out /shared/merged     # summary.json, report.md, index.html, .hgrm/.hlog
  $ rpb merge /shared/shard-* --out /shared/merged           # a Kubernetes Indexed Job's N folders

The runs must be shards of one run: same scenarios, same options (seed, --set, --quick, ...) apart
from --shard, distinct shard numbers (else exit 2). Missing shards are merged with a warning.
Intervals are added on their time stamps, so the shards' clocks should be NTP-synchronised.`,
    )
    .action(async (dirs: string[], options: { out: string }) => {
      const { runMergeCommand } = await import('./commands/merge.ts');
      const merged = await runMergeCommand(dirs, options.out, progress);
      output(merged.output);
    });

  program
    .command('report')
    .description(
      'regenerate report.md, index.html and the Arrow tables of a run folder from its summary.json and .hlog files',
    )
    .argument('<dir>', 'run folder')
    .action(async (dir: string) => {
      const { runReportCommand } = await import('./commands/report.ts');
      output(await runReportCommand(dir));
    });

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
      const { runDataGenerate } = await import('./commands/data-generate.ts');
      output(await runDataGenerate(options));
    });

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
      const { runServeCommand } = await import('./commands/serve.ts');
      await runServeCommand(options, output, progress);
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
      const { runMonitorCommand } = await import('./commands/monitor.ts');
      exitCode = await runMonitorCommand(options, output, progress);
    });

  program
    .command('microbench')
    .description('micro-benchmarks behind the speed targets (README "Speed"); one at a time, medians')
    .option('--time-ms <ms>', 'measuring time per task (default 2000)')
    .option(
      '--suite <name...>',
      'only these suites (alpha158, parquet-read, hit-path, record-value, miss-ratio-curve, open-loop-rate)',
    )
    .option('--json', 'print JSON instead of a table')
    .action(async (options: Record<string, string | string[] | boolean | undefined>) => {
      const { runMicrobench } = await import('./commands/microbench.ts');
      output(await runMicrobench(options, progress));
    });

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
      const { runCapacityCommand } = await import('./commands/capacity.ts');
      output(await runCapacityCommand(options, progress));
    });

  return program;
}

function printError(error: RpbError): void {
  const lines = [`rpb: ${error.message}`];
  if (error instanceof ConfigError) for (const problem of error.problems) lines.push(`  - ${problem}`);
  if (error.hint) lines.push(`hint: ${error.hint}`);
  process.stderr.write(`${lines.join('\n')}\n`);
}

/** The one place that maps errors to exit codes and prints them. */
export async function main(argv: readonly string[]): Promise<ExitCodeValue> {
  const program = buildProgram();
  // Installed for every command: whatever a command started (a redis-server, a proxy) is cleaned
  // up on Ctrl-C; a running scenario registers itself (onInterrupt) to write partial results first.
  installSignalHandlers({ onSignal: runInterruptHandlers });
  try {
    exitCode = ExitCode.ok;
    argvSeen = argv;
    await program.parseAsync(argv as string[], { from: 'user' });
    return exitCode;
  } catch (error) {
    reporter?.stop();
    reporter = null;
    if (error instanceof CommanderError) {
      // Help and version are successes; everything else commander rejects is a usage error.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.config;
    }
    if (error instanceof RpbError) {
      printError(error);
      return error.exitCode;
    }
    process.stderr.write(
      `rpb: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return ExitCode.internal;
  }
}

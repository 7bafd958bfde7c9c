import { Command, CommanderError } from 'commander';
import { ConfigError, ExitCode, RpbError } from './errors.ts';
import type { ExitCodeValue } from './errors.ts';
import type { RawRunOptions } from './run/run-params.ts';
import { TOOL_VERSION } from './run/tool-version.ts';
import { installSignalHandlers, runInterruptHandlers } from './run/cleanup-registry.ts';
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
  $ rpb compare miss-vs-hit --quick --a codec=json-array --b codec=json-object
  $ rpb calibrate miss-vs-hit --quick --set rounds=6 --pairs 20   gate false-positive and canary rates
  $ rpb gate --budget budgets.txt --baseline reports/base reports/new   CI latency gate
  $ rpb data generate --symbols 500 --dir /tmp/market
  $ rpb microbench                             the speed targets (Alpha158, Parquet, hit path, recording)

Exit codes:
  0 success (a claim that does not hold is a finding, not an error)   1 internal error
  2 configuration error   3 infrastructure error (Redis missing, unreachable, port in use)
  99 gate failed   130 interrupted (Ctrl-C)   143 terminated (SIGTERM)`;

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
  return ['rpb', ...argvSeen.map((arg) => (/^rediss?:\/\//.test(arg) || arg.startsWith('--redis-url=') ? redactRedisUrl(arg) : arg))].join(' ');
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
    .description('redis-patterns-bench: measures the claims of the "Redis Integration Patterns" document on a real Redis')
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
      .option('--redis-url <url>', 'use this Redis instead of starting one (redis:// or rediss://; default $REDIS_URL; the password is never printed)')
      .option('--miss-extra-ms <ms>', 'add this SIMULATED latency to every Parquet read (the document says 40)')
      .option('--data-dir <dir>', 'where market data sets are cached (default $RPB_DATA_DIR, else node_modules/.cache/redis-patterns-bench)')
      .option('--set <key=value...>', 'scenario parameters (see `rpb list`), e.g. --set rounds=9 codec=json-object')
      .option('--added-latency-ms <ms>', 'delay every Redis reply to the system under test by this much, through the fault proxy');

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
      .description("run every scenario that checks a claim and print one table of all the document's claims (what `npm run bench` does)"),
  ).action(async (options: RawRunOptions) => {
    const { claimScenarioIds, runScenariosCommand } = await import('./commands/run.ts');
    report(await runScenariosCommand(claimScenarioIds(), options, commandLine(), { message: progress, event: progressEvent }, 'registry'));
  });

  runOptions(
    program
      .command('compare')
      .description('run two variants of a scenario interleaved (A B, B A, ...) and report every metric\'s ratio B/A with its interval')
      .argument('<scenario>', 'scenario id')
      .option('--a <k=v,...>', 'variant A: scenario parameters and/or added-latency-ms, miss-extra-ms (default: defaults)')
      .option('--b <k=v,...>', 'variant B, same keys')
      .option('--pairs <n>', 'A/B pairs of whole runs (default 3)'),
  ).action(async (scenarioId: string, options: Record<string, string>) => {
    const { runCompareCommand } = await import('./commands/compare.ts');
    output(await runCompareCommand(scenarioId, options, progress));
  });

  runOptions(
    program
      .command('calibrate')
      .description('measure the gate: false-positive rate from A/A pairs, detection rate of a known added latency (canary)')
      .argument('<scenario>', 'scenario id')
      .option('--pairs <n>', 'pairs per experiment (default 20)')
      .option('--canary-ms <ms>', 'latency added to every Redis reply in the canary runs (default 1; 0 skips)')
      .option('--max-regression <pct>', 'the gate\'s allowed regression (default 10%)'),
  ).action(async (scenarioId: string, options: Record<string, string>) => {
    const { runCalibrateCommand } = await import('./commands/calibrate.ts');
    output(await runCalibrateCommand(scenarioId, options, progress));
  });

  program
    .command('gate')
    .description('check a finished run against latency budgets and/or a baseline run; exit 99 on a failed budget or a regression')
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
    .command('report')
    .description('regenerate report.md, index.html and the Arrow tables of a run folder from its summary.json and .hlog files')
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
    .option('--symbols <n>', 'number of symbols (default 500, as the run\'s data set)')
    .option('--days <n>', 'trading days per symbol, ending at --end-date (default 775: 2023-01-01 .. 2025-12-31)')
    .option('--seed <n>', 'seed (default 42)')
    .option('--end-date <date>', 'last date, YYYY-MM-DD (default 2025-12-31)')
    .option('--force', 'regenerate even if a matching data set exists')
    .action(async (options: Record<string, string | boolean | undefined>) => {
      const { runDataGenerate } = await import('./commands/data-generate.ts');
      output(await runDataGenerate(options));
    });

  program
    .command('microbench')
    .description('micro-benchmarks behind the speed targets (README "Speed"); one at a time, medians')
    .option('--time-ms <ms>', 'measuring time per task (default 2000)')
    .option('--suite <name...>', 'only these suites (alpha158, parquet-read, hit-path, record-value)')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: Record<string, string | string[] | boolean | undefined>) => {
      const { runMicrobench } = await import('./commands/microbench.ts');
      output(await runMicrobench(options, progress));
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
    process.stderr.write(`rpb: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return ExitCode.internal;
  }
}

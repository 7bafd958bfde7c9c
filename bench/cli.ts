import { Command, CommanderError, Option } from 'commander';
import { ConfigError, ExitCode, RpbError } from './errors.ts';
import type { ExitCodeValue } from './errors.ts';
import type { RawRunOptions } from './run/run-params.ts';
import { TOOL_VERSION } from './run/tool-version.ts';

const EXAMPLES = `
Examples:
  $ rpb list                                   scenarios and the claims each checks
  $ rpb run miss-vs-hit --quick --out /tmp/r   a short run; report in /tmp/r
  $ rpb validate --quick                        every claim of the document, one table (\`npm run bench\`)
  $ rpb run all                                every scenario
  $ rpb run miss-vs-hit --miss-extra-ms 40     reproduce the document's 40 ms Parquet read
  $ rpb run miss-vs-hit --redis-url redis://:secret@127.0.0.1:6380/0
  $ rpb data generate --symbols 500 --days 756 --dir /tmp/market
  $ rpb microbench                             the speed targets (Alpha158, Parquet, hit path, recording)

Exit codes:
  0 success (a claim that does not hold is a finding, not an error)   1 internal error
  2 configuration error   3 infrastructure error (Redis missing, unreachable, port in use)
  99 gate failed   130 interrupted (Ctrl-C)   143 terminated (SIGTERM)`;

/** Progress observer: stderr, so stdout carries only results. */
function progress(message: string): void {
  process.stderr.write(`[rpb ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

let exitCode: ExitCodeValue = ExitCode.ok;

/** Prints a run's table on stdout and its first error on stderr; keeps its exit code. */
function report(result: { output: string; error: Error | null; exitCode: ExitCodeValue }): void {
  process.stdout.write(`${result.output}\n`);
  if (result.error instanceof RpbError) printError(result.error);
  else if (result.error !== null) process.stderr.write(`rpb: internal error: ${result.error.stack ?? result.error.message}\n`);
  exitCode = result.exitCode;
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
      process.stdout.write(`${formatScenarioList()}\n`);
    });

  program
    .command('run')
    .description('run scenarios (or `all`) and write a report folder; prints the claims table')
    .argument('<scenario...>', 'scenario ids from `rpb list`, or `all`')
    .option('--quick', 'short rounds and a small data set (smoke runs, CI)')
    .option('--out <dir>', 'report folder (default: reports/<timestamp>)')
    .option('--seed <n>', 'seed for data and key choices (default 42)')
    .addOption(new Option('--redis-url <url>', 'use this Redis instead of starting one (redis:// or rediss://; the password is never printed)').env('REDIS_URL'))
    .option('--miss-extra-ms <ms>', 'add this SIMULATED latency to every Parquet read (the document says 40)')
    .addOption(new Option('--data-dir <dir>', 'market data folder (default: a cache folder under node_modules/.cache)').env('RPB_DATA_DIR'))
    .action(async (scenarioIds: string[], options: RawRunOptions) => {
      const { runScenariosCommand } = await import('./commands/run.ts');
      const result = await runScenariosCommand(scenarioIds, options, ['run', ...scenarioIds].join(' '), progress);
      report(result);
    });

  program
    .command('validate')
    .description('run every scenario that checks a claim and print one table of all the document\'s claims (what `npm run bench` does)')
    .option('--quick', 'short rounds and a small data set (smoke runs, CI)')
    .option('--out <dir>', 'report folder (default: reports/<timestamp>)')
    .option('--seed <n>', 'seed for data and key choices (default 42)')
    .addOption(new Option('--redis-url <url>', 'use this Redis instead of starting one').env('REDIS_URL'))
    .option('--miss-extra-ms <ms>', 'add this SIMULATED latency to every Parquet read (the document says 40)')
    .addOption(new Option('--data-dir <dir>', 'market data folder').env('RPB_DATA_DIR'))
    .action(async (options: RawRunOptions) => {
      const { claimScenarioIds, runScenariosCommand } = await import('./commands/run.ts');
      const ids = claimScenarioIds();
      const result = await runScenariosCommand(ids, options, 'validate', progress, 'registry');
      report(result);
    });

  const data = program.command('data').description('market data');
  data
    .command('generate')
    .description('generate the synthetic daily OHLCV data set as one Parquet file per symbol')
    .requiredOption('--dir <dir>', 'output folder')
    .option('--symbols <n>', 'number of symbols', '500')
    .option('--days <n>', 'trading days per symbol, ending at --end-date', '756')
    .option('--seed <n>', 'seed', '42')
    .option('--end-date <date>', 'last date (YYYY-MM-DD)', '2025-12-31')
    .option('--force', 'regenerate even if a matching data set exists')
    .action(async (options: Record<string, string | boolean | undefined>) => {
      const { runDataGenerate } = await import('./commands/data-generate.ts');
      process.stdout.write(`${await runDataGenerate(options)}\n`);
    });

  program
    .command('microbench')
    .description('micro-benchmarks behind the speed targets (README "Speed"); one at a time, medians')
    .option('--time-ms <ms>', 'measuring time per task', '2000')
    .option('--suite <name...>', 'only these suites (alpha158, parquet-read, hit-path, record-value)')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: Record<string, string | string[] | boolean | undefined>) => {
      const { runMicrobench } = await import('./commands/microbench.ts');
      process.stdout.write(`${await runMicrobench(options, progress)}\n`);
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
  try {
    exitCode = ExitCode.ok;
    await program.parseAsync(argv as string[], { from: 'user' });
    return exitCode;
  } catch (error) {
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

import { Command, CommanderError } from 'commander';
import { ConfigError, ExitCode, RpbError } from './errors.ts';
import type { ExitCodeValue } from './errors.ts';
import { TOOL_VERSION } from './run/tool-version.ts';
import { installSignalHandlers, runInterruptHandlers } from './core/cleanup-registry.ts';
import { createProgressReporter } from './run/progress-reporter.ts';
import type { ProgressEvent, ProgressReporter } from './run/progress-reporter.ts';
import type { CliIo } from './commands/cli-io.ts';
import { addAbCommands, addRunCommands } from './commands/cli-run-group.ts';
import { addRunFolderCommands } from './commands/cli-folder-group.ts';
import {
  addCapacityCommand,
  addDataCommand,
  addMicrobenchCommand,
  addServiceCommands,
} from './commands/cli-tool-group.ts';
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

/**
 * A reader that closes stdout early (`rpb list --json | head`) is not an error: the rest of the
 * output is dropped instead of crashing on EPIPE. Any other write error still surfaces.
 */
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

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

/** How the commands print and set the exit code: through the functions above, nowhere else. */
const io: CliIo = {
  output,
  progress,
  progressEvent,
  report,
  setExitCode: (code) => {
    exitCode = code;
  },
  commandLine,
};

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
    .option('--json', 'every scenario and claim as JSON (schema rpb.list/v1), for tools')
    .action(async (options: { json?: boolean }) => {
      const { formatScenarioList, scenarioListJson } = await import('./commands/list.ts');
      output(options.json === true ? scenarioListJson() : formatScenarioList());
    });

  addRunCommands(program, io);
  addAbCommands(program, io);
  addRunFolderCommands(program, io);
  addDataCommand(program, io);
  addServiceCommands(program, io);
  addMicrobenchCommand(program, io);
  addCapacityCommand(program, io);
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

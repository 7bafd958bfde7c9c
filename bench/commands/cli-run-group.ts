import type { Command } from 'commander';
import type { RawRunOptions } from '../run/run-params.ts';
import type { RawValidateOptions } from './validate.ts';
import type { CliIo } from './cli-io.ts';

/** The options every command that runs scenarios takes (run, validate, compare, calibrate). */
export function runOptions(command: Command): Command {
  return command
    .option('--quick', 'short rounds and a small data set (smoke runs, CI)')
    .option(
      '--thorough',
      "also measure with Redis's own default settings where the harness shortens them (failover: cluster-node-timeout 15 s, down-after-milliseconds 30 s); takes minutes more",
    )
    .option('--confidence <p>', "coverage of every claim's interval, between 0.5 and 0.999 (default 0.95)")
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
}

/** `rpb run` and `rpb validate`: scenarios measured, the claims table printed. */
export function addRunCommands(program: Command, io: CliIo): void {
  runOptions(
    program
      .command('run')
      .description('run scenarios (or `all`) and write a report folder; prints the claims table')
      .argument('<scenario...>', 'scenario ids from `rpb list`, or `all`'),
  ).action(async (scenarioIds: string[], options: RawRunOptions) => {
    const { runScenariosCommand } = await import('./run.ts');
    io.report(
      await runScenariosCommand(scenarioIds, options, io.commandLine(), {
        message: io.progress,
        event: io.progressEvent,
      }),
    );
  });

  runOptions(
    program
      .command('validate')
      .description(
        "run every scenario that checks a claim (or only the ones named) within a time budget, run again the ones whose claims are undecided, and print one table of all the document's claims (what `npm run bench` does)",
      )
      .argument(
        '[scenario...]',
        'only these scenarios; the table still lists every claim, the others as "not measured"',
      )
      .option(
        '--budget <duration>',
        'time for the whole validation, e.g. 10m, 90s, 1h, or none (one run per scenario); default 10m, 3m with --quick',
      )
      .option(
        '--repeat <n>',
        'run the validation n times back to back (into <out>/run-1..n) and print how far the verdicts agree',
      ),
  ).action(async (scenarioIds: string[], options: RawValidateOptions) => {
    const { claimScenarioIds } = await import('./run.ts');
    const { runValidateCommand } = await import('./validate.ts');
    const ids = scenarioIds.length > 0 ? scenarioIds : claimScenarioIds();
    io.report(
      await runValidateCommand(ids, options, io.commandLine(), { message: io.progress, event: io.progressEvent }),
    );
  });

  program
    .command('agreement')
    .description(
      'the verdicts of two or more runs side by side (e.g. a --quick run against a default one): same, changed to or from inconclusive, or flipped',
    )
    .argument('<run-dir...>', 'report folders written by rpb run / validate')
    .option('--out <dir>', 'also write agreement.md and agreement.json there')
    .action(async (dirs: string[], options: { out?: string }) => {
      const { runAgreementCommand } = await import('./validate.ts');
      io.output(await runAgreementCommand(dirs, options.out));
    });
}

/** `rpb compare` and `rpb calibrate`: A/B experiments of whole runs. */
export function addAbCommands(program: Command, io: CliIo): void {
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
      .option('--pairs <n>', 'A/B pairs of whole runs (default 6)'),
  ).action(async (scenarioId: string, options: Record<string, string>) => {
    const { runCompareCommand } = await import('./compare.ts');
    io.output(await runCompareCommand(scenarioId, options, io.progress));
  });

  runOptions(
    program
      .command('calibrate')
      .description(
        'measure the gate: its false-alarm rate from A/A pairs and its detection rate of known regressions (canaries); without a scenario, on the quick gate probe (hundreds of pairs in minutes)',
      )
      .argument('[scenario]', 'a scenario to calibrate on instead of the probe (slow: whole runs)')
      .option('--blocks <n>', 'probe: blocks, each 2 A/A decisions and 1 per canary (default 100)')
      .option('--runs-per-side <n>', 'probe: interleaved runs per side of a decision (default 6)')
      .option('--trials <n>', 'probe: trials per run (default 5)')
      .option('--trial-ms <ms>', 'probe: length of a trial (default 150)')
      .option('--gate-confidence <p>', "probe: the gate's family-wise confidence (default 0.95)")
      .option(
        '--rule <rule>',
        "probe: how an interval becomes a regression: best-run-beyond-band (the interval above 1 and the best runs' ratio above 1 + allowed), interval-beyond-band (the whole interval above 1 + allowed) or significant-beyond-band (the interval above 1 and the ratio above 1 + allowed); default: the gate's",
      )
      .option(
        '--pin-cpus',
        'probe: redis-server on the last CPU, the harness on the others (taskset), for the whole calibration',
      )
      .option('--from <file>', 'probe: re-judge a saved calibration.json with the gate settings given (no measurement)')
      .option(
        '--paired',
        "probe: resample the rounds' pairs of runs together instead of each side's runs on their own (measured: more tail regressions caught, more false alarms; see docs/ci-gates.md)",
      )
      .option('--pairs <n>', 'scenario: pairs per experiment (default 20)')
      .option(
        '--canary-ms <ms>',
        'scenario: latency added to every Redis reply in the canary runs (default 1; 0 skips)',
      )
      .option('--max-regression <pct>', "the gate's allowed regression (default 10%)"),
  ).action(async (scenarioId: string | undefined, options: Record<string, string>) => {
    if (scenarioId === undefined) {
      const { runProbeCalibration } = await import('./calibrate-probe.ts');
      io.output(await runProbeCalibration(options, io.progress));
      return;
    }
    const { runCalibrateCommand } = await import('./calibrate.ts');
    io.output(await runCalibrateCommand(scenarioId, options, io.progress));
  });
}

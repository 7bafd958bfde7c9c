import type { Command } from 'commander';
import type { CliIo } from './cli-io.ts';

type GateCliOptions = Record<string, string | undefined> & { baseline?: string[]; paired?: boolean };

/** Commands on finished run folders: `rpb gate`, `rpb merge`, `rpb report`. */
export function addRunFolderCommands(program: Command, io: CliIo): void {
  program
    .command('gate')
    .description(
      'check a finished run against latency budgets and/or a baseline run; exit 99 on a failed budget or a regression',
    )
    .argument(
      '<dir...>',
      'run folder (or its summary.json); several: interleaved runs of the code under test, compared as a whole (calibrated with 3)',
    )
    .option('--budget <file>', 'budget file: one expression per line, e.g. `miss-vs-hit.hit.signal.p99 < 5ms`')
    .option(
      '--baseline <dir...>',
      'baseline run folder(s): per-percentile ratios with a bootstrap interval (over whole runs when a side has several)',
    )
    .option('--max-regression <pct>', 'allowed regression before a comparison fails (default 10%)')
    .option(
      '--rule <rule>',
      'how an interval becomes a regression: best-run-beyond-band, interval-beyond-band or significant-beyond-band (default: the calibrated one, docs/ci-gates.md#calibration)',
    )
    .option(
      '--paired',
      'the i-th run and the i-th baseline run were measured next to each other: resample them as pairs (not calibrated as the default: see docs/ci-gates.md)',
    )
    .option('--junit <file>', 'write JUnit XML here')
    .option('--markdown <file>', 'write a Markdown summary here (e.g. $GITHUB_STEP_SUMMARY)')
    .action(async (dirs: string[], options: GateCliOptions) => {
      const { parseMaxRegression, runGate } = await import('../gate/gate-command.ts');
      const { parseDecisionRule } = await import('../gate/trial-comparison.ts');
      const gate = await runGate({
        runDir: dirs[0],
        moreRunDirs: dirs.slice(1),
        budgetFile: options.budget,
        baselineDir: options.baseline?.[0],
        moreBaselineDirs: options.baseline?.slice(1),
        maxRegressionPct: parseMaxRegression(options.maxRegression ?? '10%'),
        compare: { rule: parseDecisionRule(options.rule), paired: options.paired === true },
        junitPath: options.junit,
        markdownPath: options.markdown,
      });
      io.output(gate.output);
      io.setExitCode(gate.exitCode);
    });

  addHistoryCommand(program, io);

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
      const { runMergeCommand } = await import('./merge.ts');
      const merged = await runMergeCommand(dirs, options.out, io.progress);
      io.output(merged.output);
    });

  program
    .command('report')
    .description(
      'regenerate report.md, index.html and the Arrow tables of a run folder from its summary.json and .hlog files',
    )
    .argument('<dir>', 'run folder')
    .action(async (dir: string) => {
      const { runReportCommand } = await import('./report.ts');
      io.output(await runReportCommand(dir));
    });
}

/** `rpb history add` and `rpb history check`: the run history and its change points. */
/** The change-point options `rpb history check` and `rpb history report` share. */
function withCheckOptions(command: Command): Command {
  return command
    .requiredOption('--store <dir>', 'the history folder')
    .option(
      '--max-p <p>',
      "false-change rate of the whole check, divided over metrics and segment pairs (default 0.001, Otava's)",
    )
    .option('--min-segment <n>', 'fewest runs on each side of a change point (default 2)')
    .option(
      '--noise-limit <r>',
      'metrics noisier than this (robust spread / level) are reported, not gated (default 0.2)',
    )
    .option('--min-magnitude <r>', 'a smaller relative change is no regression (default 0.05)')
    .option('--accept-through <commit>', 'changes starting at or before this commit are known: not gated');
}

function addHistoryCommand(program: Command, io: CliIo): void {
  const history = program
    .command('history')
    .description(
      'run history: file runs under their commit, find change points (exit 99: a regression at the head), trend page',
    );
  history
    .command('add')
    .description("file a finished run's figures (claims' medians, latency p50/p99) under its commit")
    .argument('<run-dir>', 'run folder (or its summary.json)')
    .requiredOption(
      '--store <dir>',
      'the history folder (created when missing; keep it in a CI cache, an artifact or a branch)',
    )
    .option('--commit <id>', 'commit the run measured (default $GITHUB_SHA, else `git rev-parse HEAD`)')
    .option('--time <iso>', "the run's place in the series (default: the run's start time)")
    .action(async (runDir: string, options: Record<string, string | undefined>) => {
      const { runHistoryAdd } = await import('./history.ts');
      io.output(await runHistoryAdd(runDir, options));
    });
  withCheckOptions(
    history
      .command('check')
      .description(
        'change points in every metric (E-divisive means + t-test, as Apache Otava); exit 99 on a regression at the head',
      ),
  )
    .option('--json', 'print the result as JSON (schema rpb.history-check/v1)')
    .option('--markdown <file>', 'append a Markdown summary here (e.g. $GITHUB_STEP_SUMMARY)')
    .addHelpText(
      'after',
      '\nExit codes: 0 no regression at the head, 99 a metric regressed and is still regressed at the head, 2 bad input.',
    )
    .action(async (options: Record<string, string | boolean | undefined>) => {
      const { runHistoryCheck } = await import('./history.ts');
      const result = await runHistoryCheck(options);
      io.output(result.output);
      io.setExitCode(result.exitCode);
    });
  withCheckOptions(
    history
      .command('report')
      .description(
        'write a self-contained trend page (index.html): one plot per metric, change points marked, the gate at the head',
      ),
  )
    .requiredOption('--out <dir>', 'folder for index.html (created when missing)')
    .action(async (options: Record<string, string | boolean | undefined>) => {
      const { runHistoryReport } = await import('./history.ts');
      io.output(await runHistoryReport(options));
    });
}

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.ts';
import { CANARIES, calibrationTable, formatCalibrationTable, UNCHANGED } from '../gate/gate-calibration.ts';
import type { CalibrationBlock, CanaryDefinition } from '../gate/gate-calibration.ts';
import {
  COMPARE_DEFAULTS,
  DECISION_RULES,
  parseDecisionRule,
  resolveCompareOptions,
} from '../gate/trial-comparison.ts';
import type { CompareOptions, DecisionRule } from '../gate/trial-comparison.ts';
import { parseMaxRegression } from '../gate/gate-command.ts';
import { captureEnvironment } from '../measure/environment.ts';
import { writeReportFiles } from '../report/file-sink.ts';
import { toSafeJson } from '../report/json-safe.ts';
import { runCalibrationBlocks } from '../run/gate-calibration-run.ts';
import { harnessError } from '../run/harness-error.ts';
import { PROBE_DEFAULTS } from '../run/gate-probe.ts';
import type { ProbeOptions, ProbeVariant } from '../run/gate-probe.ts';
import { withInterrupt } from './compare.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CALIBRATION_SCHEMA = 'rpb.gate-calibration/v1';

export interface ProbeCalibrationOptions {
  readonly blocks?: string;
  readonly runsPerSide?: string;
  readonly trials?: string;
  readonly trialMs?: string;
  readonly maxRegression?: string;
  readonly gateConfidence?: string;
  readonly rule?: string;
  readonly seed?: string;
  readonly out?: string;
  readonly from?: string;
  readonly pinCpus?: boolean;
  readonly paired?: boolean;
}

function integerOption(
  text: string | undefined,
  flag: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    problems.push(`${flag} ${JSON.stringify(text)}: expected an integer from ${min} to ${max}`);
    return fallback;
  }
  return Number(text);
}

/** Every option checked at once; a bad one is a usage error (exit 2) naming the fix. */
export function resolveProbeCalibration(options: ProbeCalibrationOptions): {
  blocks: number;
  runsPerSide: number;
  probe: ProbeOptions;
  seed: number;
  gate: CompareOptions;
  pinCpus: boolean;
  outDir: string;
} {
  const problems: string[] = [];
  const blocks = integerOption(options.blocks, '--blocks', 100, 1, 2_000, problems);
  const runsPerSide = integerOption(options.runsPerSide, '--runs-per-side', 6, 1, 20, problems);
  const trials = integerOption(options.trials, '--trials', PROBE_DEFAULTS.trials, 3, 100, problems);
  const trialMs = integerOption(options.trialMs, '--trial-ms', PROBE_DEFAULTS.trialMs, 20, 60_000, problems);
  const seed = integerOption(options.seed, '--seed', 42, 0, 2 ** 31 - 1, problems);
  let maxRegressionPct = 10;
  try {
    maxRegressionPct = parseMaxRegression(options.maxRegression ?? '10%');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(error.message);
  }
  const confidenceText = options.gateConfidence ?? '0.95';
  const confidence = Number(confidenceText);
  if (!/^0?\.\d+$/.test(confidenceText) || !(confidence >= 0.5 && confidence <= 0.9999))
    problems.push(
      `--gate-confidence ${JSON.stringify(confidenceText)}: expected a number from 0.5 to 0.9999, e.g. 0.99`,
    );
  let rule: DecisionRule = COMPARE_DEFAULTS.rule;
  try {
    rule = parseDecisionRule(options.rule);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(`${error.message}: use one of ${DECISION_RULES.join(', ')}`);
  }
  if (problems.length > 0)
    throw new ConfigError(problems.length === 1 ? problems[0] : `${problems.length} problems with the command`, {
      problems: problems.length === 1 ? [] : problems,
      hint: 'see `rpb calibrate --help`',
    });
  return {
    blocks,
    runsPerSide,
    probe: { ...PROBE_DEFAULTS, trials, trialMs },
    seed,
    gate: resolveCompareOptions({ maxRegressionPct, confidence, rule, paired: options.paired === true }),
    pinCpus: options.pinCpus === true,
    outDir: options.out ?? path.join('reports', `calibration-${new Date().toISOString().replace(/[:.]/g, '-')}`),
  };
}

function variants(canaries: readonly CanaryDefinition[]): ProbeVariant[] {
  return [
    ...UNCHANGED.map((name) => ({ name, addedLatencyMs: 0, holdBack: 0 })),
    ...canaries.map((c) => ({ name: c.name, addedLatencyMs: c.addedLatencyMs, holdBack: c.holdBack })),
  ];
}

interface CalibrationFile {
  readonly schema: string;
  readonly startedAt: string;
  readonly environment: unknown;
  readonly probe: ProbeOptions;
  readonly runsPerSide: number;
  readonly seed: number;
  /** --pin-cpus: redis-server and the harness on separate CPUs (absent in files before it existed). */
  readonly pinCpus?: boolean;
  readonly canaries: readonly CanaryDefinition[];
  readonly blocks: readonly CalibrationBlock[];
  readonly complete: boolean;
}

/** Re-judges a saved calibration (its blocks as measured) with the gate settings given: no measurement. */
async function readCalibration(file: string): Promise<CalibrationFile> {
  let parsed: Partial<CalibrationFile>;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<CalibrationFile>;
  } catch (error) {
    throw new ConfigError(`--from ${file}: cannot read it as JSON (${(error as Error).message})`, {
      hint: 'give the calibration.json an earlier `rpb calibrate` wrote',
    });
  }
  if (parsed.schema !== CALIBRATION_SCHEMA || !Array.isArray(parsed.blocks) || !Array.isArray(parsed.canaries))
    throw new ConfigError(`--from ${file}: not a gate calibration (schema ${CALIBRATION_SCHEMA} expected)`, {
      hint: 'give the calibration.json an earlier `rpb calibrate` (without a scenario) wrote',
    });
  return parsed as CalibrationFile;
}

/**
 * `rpb calibrate` without a scenario: the gate measured on its quick probe. Each block runs
 * `runsPerSide` rounds of the unchanged code four times (A..A4) and every canary once, each round
 * shuffled; A2 vs A and A4 vs A3 are A/A decisions, each canary vs A (or A3) a canary decision, all
 * judged by the gate's own rule on the interleaved runs of each side.
 */
export async function runProbeCalibration(
  options: ProbeCalibrationOptions,
  progress: (m: string) => void,
): Promise<string> {
  const setup = resolveProbeCalibration(options);
  if (options.from !== undefined) {
    const saved = await readCalibration(options.from);
    const table = calibrationTable(saved.blocks, saved.canaries, setup.gate);
    return `${formatCalibrationTable(table)}\n\nre-judged ${saved.blocks.length} saved blocks of ${options.from} (measured from ${saved.startedAt}; probe ${saved.probe.trials} trials x ${saved.probe.trialMs} ms)`;
  }
  const startedAt = new Date().toISOString();
  const environment = await captureEnvironment(REPO_ROOT);
  const blocks: CalibrationBlock[] = [];
  const save = async (complete: boolean): Promise<void> => {
    const file: CalibrationFile = {
      schema: CALIBRATION_SCHEMA,
      startedAt,
      environment,
      probe: setup.probe,
      runsPerSide: setup.runsPerSide,
      seed: setup.seed,
      pinCpus: setup.pinCpus,
      canaries: CANARIES,
      blocks,
      complete,
    };
    await writeReportFiles(setup.outDir, [{ relativePath: 'calibration.json', content: `${toSafeJson(file)}\n` }]);
  };
  progress(
    `gate calibration: ${setup.blocks} blocks of ${setup.runsPerSide} rounds of ${UNCHANGED.length + CANARIES.length} probe runs (${setup.probe.trials} trials x ${setup.probe.trialMs} ms each) into ${setup.outDir}`,
  );
  const file = path.resolve(setup.outDir, 'calibration.json');
  const result = await withInterrupt(progress, (signal) =>
    runCalibrationBlocks({
      variants: variants(CANARIES),
      blocks: setup.blocks,
      runsPerSide: setup.runsPerSide,
      probe: setup.probe,
      seed: setup.seed,
      pinCpus: setup.pinCpus,
      signal,
      progress,
      onBlock: async (block) => {
        blocks.push(block);
        await save(false);
      },
    }),
  ).catch((error: unknown) => {
    // What was measured is on disk already (written after every block); say where, then fail: a
    // Redis that went away or stopped answering is the environment (exit 3), anything else a bug.
    if (blocks.length > 0)
      progress(
        `calibration stopped by an error after ${blocks.length} of ${setup.blocks} blocks; they are kept in ${file}: judge them with \`rpb calibrate --from ${file}\``,
      );
    throw harnessError(error);
  });
  await save(!result.stopped);
  const table = calibrationTable(blocks, CANARIES, setup.gate);
  const text = formatCalibrationTable(table);
  await writeReportFiles(setup.outDir, [{ relativePath: 'calibration.md', content: `${text}\n` }]);
  const tail = result.stopped ? ` (stopped after ${result.blocks} of ${setup.blocks} blocks; kept)` : '';
  return `${text}\n\n${blocks.length} blocks${tail}; calibration.json and calibration.md in ${path.resolve(setup.outDir)}`;
}

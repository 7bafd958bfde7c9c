import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, InfraError } from '../errors.ts';
import type { runCalibrationBlocks } from '../run/gate-calibration-run.ts';
import { CALIBRATION_SCHEMA, resolveProbeCalibration, runProbeCalibration } from './calibrate-probe.ts';

// The measuring loop stands in for the probe (only the tests of a stopped calibration reach it):
// two blocks measured, then the probe fails with `failure.error`, by default as it did on expired keys.
const failure = vi.hoisted(() => ({ error: new Error('gate probe: P000 missing') }));
vi.mock('../run/gate-calibration-run.ts', () => ({
  runCalibrationBlocks: async (options: Parameters<typeof runCalibrationBlocks>[0]) => {
    const block = { order: ['A'], runs: {} };
    await options.onBlock(block, 0);
    await options.onBlock(block, 1);
    throw failure.error;
  },
}));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rpb-calibrate-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('rpb calibrate (gate probe) options', () => {
  it('defaults to the calibrated setting: 100 blocks, 6 runs per side, 5 trials of 150 ms, 10%, 95%', () => {
    const setup = resolveProbeCalibration({});
    expect(setup).toMatchObject({ blocks: 100, runsPerSide: 6, seed: 42 });
    expect(setup.probe).toMatchObject({ trials: 5, trialMs: 150 });
    expect(setup.gate).toMatchObject({ maxRegressionPct: 10, confidence: 0.95 });
  });

  it('names every bad option at once', () => {
    const error = configError(() =>
      resolveProbeCalibration({ blocks: '0', trials: 'x', trialMs: '5', gateConfidence: '95', maxRegression: '120%' }),
    );
    expect(error.problems.join('\n')).toMatch(/--blocks "0"/);
    expect(error.problems.join('\n')).toMatch(/--trials "x"/);
    expect(error.problems.join('\n')).toMatch(/--trial-ms "5"/);
    expect(error.problems.join('\n')).toMatch(/--gate-confidence "95".*e\.g\. 0\.99/);
    expect(error.problems.join('\n')).toMatch(/max-regression/);
  });

  it('re-judges a saved calibration without measuring, and refuses a file that is not one', async () => {
    const trial = (p50Us: number) => ({
      latency: {
        count: 5_000,
        minNs: 1,
        meanNs: p50Us * 1e3,
        stddevNs: 1,
        p50Ns: p50Us * 1e3,
        p90Ns: p50Us * 1.3e3,
        p99Ns: p50Us * 2e3,
        p999Ns: p50Us * 3e3,
        maxNs: p50Us * 4e3,
      },
      timePerRequestNs: p50Us * 1.1e3,
    });
    const runOf = (x: number) => ({ trials: [x, x * 1.01, x * 0.99, x, x * 1.02].map(trial) });
    const three = (x: number) => [runOf(x), runOf(x * 1.01), runOf(x * 0.99)];
    const block = {
      order: [],
      runs: { A: three(40), A2: three(40), A3: three(40), A4: three(40), 'reply+1ms': three(1200) },
    };
    const saved = path.join(dir, 'calibration.json');
    await writeFile(
      saved,
      JSON.stringify({
        schema: CALIBRATION_SCHEMA,
        startedAt: '2026-12-07T09:48:45Z',
        probe: { trials: 5, trialMs: 150 },
        canaries: [{ name: 'reply+1ms', label: '+1 ms', addedLatencyMs: 1, holdBack: 0, watched: 'p50' }],
        blocks: [block, block],
      }),
    );
    const text = await runProbeCalibration({ from: saved }, () => {});
    expect(text).toContain('| A/A (same code twice): false alarms | 4 | 0.0% (0/4;');
    expect(text).toContain('| +1 ms | 2 | 100.0% (2/2;');
    expect(text).toContain('re-judged 2 saved blocks');
    const other = path.join(dir, 'summary.json');
    await writeFile(other, JSON.stringify({ schema: 'rpb.summary/v1' }));
    await expect(runProbeCalibration({ from: other }, () => {})).rejects.toThrow(/not a gate calibration/);
    await expect(runProbeCalibration({ from: path.join(dir, 'none.json') }, () => {})).rejects.toThrow(
      /cannot read it as JSON/,
    );
  });
});

describe('rpb calibrate stopped by an error', () => {
  it('keeps the blocks measured and says where they are and how to judge them', async () => {
    const messages: string[] = [];
    await expect(runProbeCalibration({ blocks: '5', out: dir }, (m) => messages.push(m))).rejects.toThrow(
      'gate probe: P000 missing',
    );
    const file = path.join(dir, 'calibration.json');
    const saved = JSON.parse(await readFile(file, 'utf8')) as { blocks: unknown[]; complete: boolean };
    expect(saved.blocks).toHaveLength(2);
    expect(saved.complete).toBe(false);
    expect(messages.at(-1)).toBe(
      `calibration stopped by an error after 2 of 5 blocks; they are kept in ${file}: judge them with \`rpb calibrate --from ${file}\``,
    );
  });

  it('tells a Redis that went away (exit 3, infrastructure) from a bug, and still keeps the blocks', async () => {
    failure.error = new Error('Connection is closed.');
    try {
      const messages: string[] = [];
      const stopped = runProbeCalibration({ blocks: '5', out: dir }, (m) => messages.push(m));
      await expect(stopped).rejects.toBeInstanceOf(InfraError);
      await expect(stopped).rejects.toThrow('Redis did not answer: Connection is closed.');
      expect(messages.at(-1)).toContain('calibration stopped by an error after 2 of 5 blocks');
    } finally {
      failure.error = new Error('gate probe: P000 missing');
    }
  });
});

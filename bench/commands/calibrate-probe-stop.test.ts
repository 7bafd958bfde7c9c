import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { runCalibrationBlocks } from '../run/gate-calibration-run.ts';
import { runProbeCalibration } from './calibrate-probe.ts';

// The loop stands in for the probe: two blocks measured, then the probe fails (as it did on expired keys).
vi.mock('../run/gate-calibration-run.ts', () => ({
  runCalibrationBlocks: async (options: Parameters<typeof runCalibrationBlocks>[0]) => {
    const block = { order: ['A'], runs: {} };
    await options.onBlock(block, 0);
    await options.onBlock(block, 1);
    throw new Error('gate probe: P000 missing');
  },
}));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rpb-calibrate-stop-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
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
});

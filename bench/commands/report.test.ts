import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { writeSyntheticRun } from '../report/html/fixtures/synthetic-run.ts';
import { runReportCommand } from './report.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rpb-report-cmd-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runReportCommand', () => {
  it('writes report.md, index.html and the Arrow tables into the run folder and names them', async () => {
    await writeSyntheticRun(dir);
    const message = await runReportCommand(dir);
    const names = [
      'report.md',
      'index.html',
      'intervals.arrow',
      'metrics.arrow',
      'trials.arrow',
      'verdicts.arrow',
      'values.arrow',
    ];
    expect(message).toBe(`report: ${names.map((n) => path.join(dir, n)).join(', ')}`);
    expect(await readFile(path.join(dir, 'index.html'), 'utf8')).toContain('<table class="claims">');
    expect(await readFile(path.join(dir, 'report.md'), 'utf8')).toContain('## Claims');
  });

  it('counts warnings in its message', async () => {
    await writeSyntheticRun(dir);
    await rm(path.join(dir, 'events-demo'), { recursive: true });
    // The HTML and the Arrow tables each say that the metric's .hlog is missing.
    expect(await runReportCommand(dir)).toMatch(/\(2 warnings: see the page\)$/);
  });

  it('a folder that is not a run is a ConfigError, and nothing is written', async () => {
    await expect(runReportCommand(dir)).rejects.toBeInstanceOf(ConfigError);
    await expect(readFile(path.join(dir, 'index.html'))).rejects.toThrow(/ENOENT/);
  });
});

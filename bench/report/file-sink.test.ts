import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InfraError } from '../errors.ts';
import { writeReportFiles } from './file-sink.ts';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rpb-sink-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('writeReportFiles', () => {
  it('writes nested files and leaves no temporary file behind', async () => {
    const dir = path.join(tmp, 'run');
    await writeReportFiles(dir, [
      { relativePath: 'summary.json', content: '{}' },
      { relativePath: 'scenario/m.hgrm', content: 'x' },
    ]);
    expect(await readFile(path.join(dir, 'summary.json'), 'utf8')).toBe('{}');
    expect(await readdir(path.join(dir, 'scenario'))).toEqual(['m.hgrm']);
  });

  it('refuses paths that leave the run folder', async () => {
    await expect(writeReportFiles(tmp, [{ relativePath: '../escape.txt', content: '' }])).rejects.toThrow(
      /inside the run folder/,
    );
  });

  it('fails fast under /proc instead of hanging (Node recursive mkdir loops there)', async () => {
    const error = await writeReportFiles('/proc/rpb-no-such-dir/x', [
      { relativePath: 'summary.json', content: '{}' },
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InfraError);
  });

  it('turns a file system failure into an InfraError naming the path and the fix', async () => {
    const blocker = path.join(tmp, 'a-file');
    await writeFile(blocker, 'not a folder');
    const error = await writeReportFiles(blocker, [{ relativePath: 'summary.json', content: '{}' }]).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InfraError);
    expect((error as InfraError).message).toContain(path.join(blocker, 'summary.json'));
    expect((error as InfraError).hint).toContain('--out');
  });
});

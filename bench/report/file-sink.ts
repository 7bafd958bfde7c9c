import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InfraError } from '../errors.ts';

/** A file a writer produced: a path relative to the run folder and its bytes. */
export interface ReportFile {
  readonly relativePath: string;
  readonly content: string | Uint8Array;
}

/**
 * mkdir -p one level at a time: Node's recursive mkdir never returns for a path under /proc
 * (it keeps retrying), and a report folder must fail fast with a message instead.
 */
async function ensureDir(dir: string): Promise<void> {
  try {
    if ((await stat(dir)).isDirectory()) return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const parent = path.dirname(dir);
    if (parent !== dir) await ensureDir(parent);
    await mkdir(dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    return;
  }
  throw Object.assign(new Error(`${dir} exists and is not a folder`), { code: 'ENOTDIR' });
}

/**
 * The one module that writes report files. Each file is written to a temporary name and renamed,
 * so a crash or Ctrl-C never leaves a half-written summary.json behind.
 */
export async function writeReportFiles(runDir: string, files: readonly ReportFile[]): Promise<string[]> {
  const written: string[] = [];
  for (const file of files) {
    if (path.isAbsolute(file.relativePath) || file.relativePath.split(/[\\/]/).includes('..')) {
      throw new Error(`report file path must stay inside the run folder: ${file.relativePath}`);
    }
    const target = path.join(runDir, file.relativePath);
    try {
      await ensureDir(path.dirname(target));
      const temp = `${target}.tmp-${process.pid}`;
      await writeFile(temp, file.content);
      await rename(temp, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      throw new InfraError(`cannot write the report file ${target} (${code}: ${(error as Error).message})`, {
        hint: 'choose a writable folder with free space (--out DIR)',
        cause: error,
      });
    }
    written.push(target);
  }
  return written;
}

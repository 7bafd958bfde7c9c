import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A file a writer produced: a path relative to the run folder and its bytes. */
export interface ReportFile {
  readonly relativePath: string;
  readonly content: string | Uint8Array;
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
    await mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.tmp-${process.pid}`;
    await writeFile(temp, file.content);
    await rename(temp, target);
    written.push(target);
  }
  return written;
}

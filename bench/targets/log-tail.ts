import { open } from 'node:fs/promises';

/** Only the end of a log is read, so a long run's log costs no more than this. */
const TAIL_MAX_BYTES = 64 * 1024;

/** The last `lines` lines of a text file; '' when the file does not exist. */
export async function readLogTail(filePath: string, lines: number): Promise<string> {
  let handle;
  try {
    handle = await open(filePath, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, TAIL_MAX_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const all = buffer.toString('utf8').split('\n');
    if (all.at(-1) === '') all.pop();
    // A partial first line (cut by the byte bound) is dropped unless it is all we have.
    if (length < size && all.length > 1) all.shift();
    return lines > 0 ? all.slice(-lines).join('\n') : '';
  } finally {
    await handle.close();
  }
}

/**
 * What a redis-server wrote while starting, for an error message: its stdio file (config-file errors
 * land there before the logfile opens), then the end of its logfile; blank lines at either end dropped.
 */
export async function readStartupLog(stdioPath: string, logPath: string, lines: number): Promise<string> {
  const texts = [await readLogTail(stdioPath, lines), await readLogTail(logPath, lines)];
  return texts
    .map((text) => text.replace(/^\s*\n/, '').trimEnd())
    .filter((text) => text !== '')
    .join('\n');
}

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MarketSpec, RoundKeys } from './correctness-market.ts';

export interface SecondProcessInput {
  readonly spec: MarketSpec;
  readonly rounds: readonly RoundKeys[];
  readonly redisUrl: string;
}

/** Hashes by `symbol@date`: as the second process computed the vector, and as it read it from the cache. */
export interface SecondProcessOutput {
  readonly pid: number;
  readonly computed: Record<string, string>;
  readonly cached: Record<string, string | null>;
}

const ENTRY = fileURLToPath(new URL('./second-process.mjs', import.meta.url));

/**
 * Runs the second Node process to its end (bounded by `timeoutMs`, then SIGKILL; killed too when
 * the run aborts) and returns what it wrote; rejects with its stderr when it fails.
 */
export function runSecondProcess(
  input: SecondProcessInput,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<SecondProcessOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ENTRY], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const kill = (): void => void child.kill('SIGKILL');
    const timer = setTimeout(kill, timeoutMs);
    signal.addEventListener('abort', kill, { once: true });
    child.once('error', (error) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', kill);
      reject(error);
    });
    child.once('close', (code, killedBy) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', kill);
      if (code !== 0) {
        reject(
          new Error(
            `the second process ${killedBy !== null ? `was killed (${killedBy}; timeout ${timeoutMs} ms or abort)` : `exited ${code}`}: ${stderr.slice(-500)}`,
          ),
        );
        return;
      }
      try {
        resolve(JSON.parse(stdout) as SecondProcessOutput);
      } catch (error) {
        reject(new Error(`the second process wrote no JSON: ${(error as Error).message}`));
      }
    });
    child.stdin.end(JSON.stringify(input));
  });
}

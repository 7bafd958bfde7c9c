import type { Redis } from 'ioredis';

export interface ClientCountWait {
  /** How long to poll for the expected count (the server frees a closed client asynchronously). */
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
}

export const DEFAULT_CLIENT_COUNT_WAIT: ClientCountWait = { timeoutMs: 1_000, pollIntervalMs: 20 };

/** Connections in a CLIENT LIST reply: one line each. */
export function countClientListEntries(listText: string): number {
  return listText.split('\n').filter((line) => line.trim() !== '').length;
}

export async function readClientCount(admin: Redis): Promise<number> {
  return countClientListEntries(String(await admin.client('LIST')));
}

/** Polls CLIENT LIST until it shows `expected` connections or the wait ends; returns the last count. */
export async function waitForClientCount(
  admin: Redis,
  expected: number,
  wait: Partial<ClientCountWait> = {},
): Promise<number> {
  const { timeoutMs, pollIntervalMs } = { ...DEFAULT_CLIENT_COUNT_WAIT, ...wait };
  const deadline = performance.now() + timeoutMs;
  let count = await readClientCount(admin);
  while (count !== expected && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
    count = await readClientCount(admin);
  }
  return count;
}

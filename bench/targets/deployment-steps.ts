import { setTimeout as sleep } from 'node:timers/promises';

// The generic steps of a multi-process deployment (cluster, sentinel): start the members, ask the
// first that answers, poll until healthy.

/**
 * Polls `check` every `pollMs` until it finds nothing wrong (null) or `deadline` (epoch ms) passes.
 * A check that throws counts as a problem, its message the reason. Returns null once healthy, else
 * the last problem, for the caller's error message.
 */
export async function pollUntilHealthy(
  deadline: number,
  pollMs: number,
  check: () => Promise<string | null>,
): Promise<string | null> {
  let problem: string | null = 'not checked yet';
  while (Date.now() < deadline) {
    problem = await check().catch((error: Error) => error.message);
    if (problem === null) return null;
    await sleep(pollMs);
  }
  return problem;
}

/**
 * Asks each member that is up, in order, until one answers: the answer of the first that does.
 * Throws the last member's error (or `noneUp` when none was up) for the caller to wrap.
 */
export async function firstToAnswer<M, T>(
  members: readonly M[],
  isUp: (member: M) => boolean,
  ask: (member: M) => Promise<T>,
  noneUp: string,
): Promise<T> {
  let lastError: unknown = new Error(noneUp);
  for (const member of members) {
    if (!isUp(member)) continue;
    try {
      return await ask(member);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

export interface StartedMembers<T> {
  /** The members that started, to stop whatever happens next. */
  readonly started: T[];
  /** The first start that failed, if any. */
  readonly failure: PromiseRejectedResult | undefined;
}

/** Starts `count` members in parallel and waits for every start to settle, failed or not. */
export async function startMembers<T>(count: number, start: () => Promise<T>): Promise<StartedMembers<T>> {
  const settled = await Promise.allSettled(Array.from({ length: count }, start));
  return {
    started: settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
    failure: settled.find((r): r is PromiseRejectedResult => r.status === 'rejected'),
  };
}

import type { Redis } from 'ioredis';
import { SeededRandom } from '../../src/market/seeded-random.ts';
import { ConfigError } from '../errors.ts';
import { KEY_DISTRIBUTION_HINT } from './key-distribution-spec.ts';
import { createKeyChooser, parseKeyDistribution } from './key-distributions.ts';
import type { LoadOperation } from './load-operation.ts';
import { ClientPicker, respPicker } from './connection-pickers.ts';
import { RespCommandTable, respCommandArguments } from './resp-command-table.ts';
import { RespConnection } from './resp-connection.ts';
import type { NilContext } from './resp-connection.ts';
import type { LoadClient } from './worker-protocol.ts';

export const COMMAND_NAMES = ['GET', 'SET', 'MGET'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/**
 * One Redis command as a load operation, described as plain data (strings and numbers only), so
 * that it crosses a worker thread boundary by structured clone: a worker builds its own client and
 * calls createCommandOperation(spec, client) itself; nothing here refers to the main thread.
 *
 * Keys are `${keyPrefix}${index as 12 digits}${keySuffix}` for index in [0, keyCount): the very
 * names redis-benchmark's `__rand_int__` (with `-r keyCount`) produces, so both tools hit the
 * same preloaded keys.
 */
export interface CommandOperationSpec {
  readonly command: CommandName;
  readonly keyCount: number;
  readonly keyPrefix: string;
  readonly keySuffix: string;
  /**
   * The bytes SET writes and preloadCommandKeys stores, base64 (a Buffer would arrive in a worker
   * as a plain Uint8Array).
   */
  readonly valueBase64: string;
  /** SET key value EX ttlSeconds, as the feature cache writes (the document: always set a TTL). */
  readonly ttlSeconds: number;
  /** Keys per MGET (the document's batch of 5 symbols); ignored by GET and SET. */
  readonly mgetSize: number;
  /** CLI form read by parseKeyDistribution: uniform, zipfian[:THETA], hotspot:D:O, ... */
  readonly keyDistribution: string;
  readonly seed: number;
  /** Names this operation's random stream (e.g. 'main', 'worker-3'): workers draw independent keys. */
  readonly stream: string;
  /** GET and MGET: a nil reply is counted as an error (the keys were preloaded; a miss means they were not). */
  readonly expectHits: boolean;
}

export const COMMAND_OPERATION_DEFAULTS = {
  keyCount: 1_000,
  keyPrefix: 'rpb:cmd:S',
  keySuffix: ':2025-01-17',
  ttlSeconds: 3_600,
  mgetSize: 5,
  keyDistribution: 'uniform',
  stream: 'main',
  expectHits: true,
} as const;

/** Digits of redis-benchmark's __rand_int__ expansion. */
export const RAND_INT_DIGITS = 12;
const MAX_KEY_COUNT = 10 ** RAND_INT_DIGITS;
const PRELOAD_SLICE = 500;

export function commandKey(spec: Pick<CommandOperationSpec, 'keyPrefix' | 'keySuffix'>, index: number): string {
  return `${spec.keyPrefix}${String(index).padStart(RAND_INT_DIGITS, '0')}${spec.keySuffix}`;
}

/** The key pattern redis-benchmark expands to the same names (pass `-r keyCount`). */
export function redisBenchmarkKeyPattern(spec: Pick<CommandOperationSpec, 'keyPrefix' | 'keySuffix'>): string {
  return `${spec.keyPrefix}__rand_int__${spec.keySuffix}`;
}

/** Every problem with a spec (empty when valid). */
export function commandOperationProblems(spec: CommandOperationSpec): string[] {
  const problems: string[] = [];
  if (!COMMAND_NAMES.includes(spec.command))
    problems.push(`command must be one of ${COMMAND_NAMES.join(', ')}, got ${JSON.stringify(spec.command)}`);
  if (!Number.isSafeInteger(spec.keyCount) || spec.keyCount < 1 || spec.keyCount > MAX_KEY_COUNT)
    problems.push(`keyCount must be an integer from 1 to ${MAX_KEY_COUNT}, got ${spec.keyCount}`);
  if (!Number.isSafeInteger(spec.ttlSeconds) || spec.ttlSeconds < 1)
    problems.push(`ttlSeconds must be a positive integer, got ${spec.ttlSeconds}`);
  if (!Number.isSafeInteger(spec.mgetSize) || spec.mgetSize < 1 || spec.mgetSize > 10_000)
    problems.push(`mgetSize must be an integer from 1 to 10000, got ${spec.mgetSize}`);
  if (typeof spec.valueBase64 !== 'string' || spec.valueBase64.length === 0)
    problems.push('valueBase64 must hold the value to write (base64, non-empty)');
  if (/\s/.test(`${spec.keyPrefix}${spec.keySuffix}`))
    problems.push('keyPrefix and keySuffix must not contain spaces (redis-benchmark splits its command line on them)');
  else if (!/^[\x21-\x7e]*$/.test(`${spec.keyPrefix}${spec.keySuffix}`))
    problems.push('keyPrefix and keySuffix must be printable ASCII (driver=resp writes keys as single bytes)');
  if (!Number.isSafeInteger(spec.seed)) problems.push(`seed must be a safe integer, got ${spec.seed}`);
  try {
    parseKeyDistribution(spec.keyDistribution);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(error.message);
  }
  return problems;
}

function checkSpec(spec: CommandOperationSpec): void {
  const problems = commandOperationProblems(spec);
  if (problems.length > 0)
    throw new ConfigError(`invalid command operation: ${problems.join('; ')}`, {
      problems,
      hint: KEY_DISTRIBUTION_HINT,
    });
}

function missError(command: CommandName, key: string): Error {
  return new Error(`${command} found no value at ${key}: the keys were not preloaded (or expired)`);
}

/**
 * The same commands over lean connections (driver=resp): replies are only told apart as value,
 * nil or error, and a nil where hits are expected fails in the connection itself, so each command
 * costs one promise. Commands come encoded from a RespCommandTable; a miss's error names the keys
 * read back from the command itself, so nothing is built per command for it.
 */
function respCommandOperation(
  spec: CommandOperationSpec,
  connections: readonly RespConnection[],
  nextIndex: () => number,
): LoadOperation {
  const pick = respPicker(connections);
  const table = new RespCommandTable(
    spec.keyCount,
    (index) => commandKey(spec, index),
    Buffer.from(spec.valueBase64, 'base64'),
    spec.ttlSeconds,
  );
  const miss = (command: CommandName) =>
    spec.expectHits
      ? (sent: NilContext): Error => {
          const keys = respCommandArguments(String(sent));
          return missError(command, keys.length === 1 ? keys[0] : `one of ${keys.join(' ')}`);
        }
      : undefined;
  switch (spec.command) {
    case 'GET': {
      const getMiss = miss('GET');
      return () => {
        const command = table.get(nextIndex());
        return pick().send(command, getMiss, command);
      };
    }
    case 'SET':
      return () => pick().send(table.set(nextIndex()));
    case 'MGET': {
      const mgetMiss = miss('MGET');
      return () => {
        const command = table.mget(spec.mgetSize, nextIndex);
        return pick().send(command, mgetMiss, command);
      };
    }
  }
}

/** The commands over ioredis clients, each call on the one with the fewest pending (ClientPicker). */
function ioredisCommandOperation(
  spec: CommandOperationSpec,
  clients: readonly Redis[],
  nextKey: () => string,
): LoadOperation {
  const picker = new ClientPicker(clients);
  // One reaction per command (release the connection, check the reply): every extra promise hop
  // costs the single-threaded generator throughput.
  const failed =
    (slot: number) =>
    (error: unknown): never => {
      picker.release(slot);
      throw error;
    };
  const value = Buffer.from(spec.valueBase64, 'base64');
  switch (spec.command) {
    case 'GET':
      return () => {
        const key = nextKey();
        const slot = picker.acquire();
        return picker
          .client(slot)
          .getBuffer(key)
          .then((reply) => {
            picker.release(slot);
            if (reply === null && spec.expectHits) throw missError('GET', key);
            return reply;
          }, failed(slot));
      };
    case 'SET':
      return () => {
        const slot = picker.acquire();
        return picker
          .client(slot)
          .set(nextKey(), value, 'EX', spec.ttlSeconds)
          .then((reply) => {
            picker.release(slot);
            return reply;
          }, failed(slot));
      };
    case 'MGET':
      return () => {
        const keys = Array.from({ length: spec.mgetSize }, nextKey);
        const slot = picker.acquire();
        return picker
          .client(slot)
          .mgetBuffer(keys)
          .then((replies) => {
            picker.release(slot);
            const missing = replies.indexOf(null);
            if (missing !== -1 && spec.expectHits) throw missError('MGET', keys[missing]);
            return replies;
          }, failed(slot));
      };
  }
}

/**
 * The operation for a load engine (runOpenLoop / runClosedLoop): one command per call, keys drawn
 * from the spec's seeded distribution. Several clients are used as connections, each call on the
 * one with the fewest pending commands. Replies are checked (nil when hits are expected: an
 * error), never decoded: this measures the command, not the codec. The clients are all ioredis
 * or all lean RESP connections (driver=resp).
 */
export function createCommandOperation(
  spec: CommandOperationSpec,
  client: LoadClient | readonly LoadClient[],
): LoadOperation {
  checkSpec(spec);
  const clients: readonly LoadClient[] = Array.isArray(client) ? client : [client as LoadClient];
  if (clients.length === 0) throw new ConfigError('createCommandOperation needs at least one client');
  const resp = clients.filter((c) => c instanceof RespConnection);
  if (resp.length !== 0 && resp.length !== clients.length)
    throw new ConfigError('createCommandOperation takes ioredis clients or RESP connections, not a mix');
  const chooser = createKeyChooser(
    parseKeyDistribution(spec.keyDistribution),
    spec.keyCount,
    SeededRandom.forKey(spec.seed, `command:${spec.stream}`),
  );
  if (resp.length > 0) return respCommandOperation(spec, resp, () => chooser.next());
  return ioredisCommandOperation(spec, clients as readonly Redis[], () => commandKey(spec, chooser.next()));
}

/**
 * The worker-thread factory form (bench/load/worker-protocol.ts OperationFactory): reference it as
 * { module: <this file>, exportName: 'commandOperationFactory', args: spec }; each worker draws
 * from its own key stream (`<spec.stream>-worker-<index>`), so workers never replay each other's keys.
 */
export function commandOperationFactory(
  spec: CommandOperationSpec,
  clients: LoadClient | readonly LoadClient[],
  context?: { readonly workerIndex: number },
): LoadOperation {
  return createCommandOperation(
    context === undefined ? spec : { ...spec, stream: `${spec.stream}-worker-${context.workerIndex}` },
    clients,
  );
}

/**
 * Writes every key of the spec's key space with its value and TTL, in pipelined slices; stops
 * between slices on abort.
 */
export async function preloadCommandKeys(
  spec: CommandOperationSpec,
  client: Redis,
  signal?: AbortSignal,
): Promise<void> {
  checkSpec(spec);
  const value = Buffer.from(spec.valueBase64, 'base64');
  for (let start = 0; start < spec.keyCount && signal?.aborted !== true; start += PRELOAD_SLICE) {
    const pipeline = client.pipeline();
    for (let i = start; i < Math.min(start + PRELOAD_SLICE, spec.keyCount); i++)
      pipeline.set(commandKey(spec, i), value, 'EX', spec.ttlSeconds);
    for (const [error] of (await pipeline.exec()) ?? []) if (error !== null) throw error;
  }
}

/** Deletes the spec's key space (UNLINK, in slices). */
export async function removeCommandKeys(spec: CommandOperationSpec, client: Redis): Promise<void> {
  for (let start = 0; start < spec.keyCount; start += PRELOAD_SLICE) {
    const keys: string[] = [];
    for (let i = start; i < Math.min(start + PRELOAD_SLICE, spec.keyCount); i++) keys.push(commandKey(spec, i));
    await client.unlink(...keys);
  }
}

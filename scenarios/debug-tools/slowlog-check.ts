/**
 * The Slowlog check: a deliberately slow command timed by the client to its reply's last byte (raw
 * socket, reply skipped, not decoded), then looked up in SLOWLOG GET with its logged duration.
 */
import net from 'node:net';
import type { Redis } from 'ioredis';
import { encodeCommand } from '../../bench/load/resp-connection.ts';
import { nowNs } from '../../bench/measure/clock.ts';
import { ReplySkipper } from './reply-skipper.ts';

export interface TimedReply {
  /** Write of the command to the last byte of its reply. */
  readonly ns: number;
  readonly error: string | null;
}

/**
 * Sends `args` on a new connection (AUTH first when the URL has a password) and times the command
 * from its write to the last byte of its reply. The socket is closed on every path.
 */
export function timeRawCommand(url: string, args: readonly string[], timeoutMs: number): Promise<TimedReply> {
  const target = new URL(url);
  const password = decodeURIComponent(target.password);
  const user = decodeURIComponent(target.username);
  const auth = password === '' ? [] : [user === '' ? ['AUTH', password] : ['AUTH', user, password]];
  return new Promise((resolve, reject) => {
    const socket = net.connect({
      host: target.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: Number(target.port || 6379),
    });
    socket.setNoDelay(true);
    const skipper = new ReplySkipper();
    let sentNs = 0n;
    const timer = setTimeout(
      () => finish(new Error(`${args[0]} got no complete reply within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const finish = (error: Error | null, reply?: TimedReply): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error !== null) reject(error);
      else resolve(reply!);
    };
    const send = (): void => {
      sentNs = nowNs();
      socket.write(encodeCommand(args));
    };
    socket.once('connect', () => {
      if (auth.length === 0) send();
      else socket.write(encodeCommand(auth[0]!));
    });
    socket.on('data', (chunk: Buffer) => {
      const replies = skipper.push(chunk);
      if (auth.length > 0 && replies === 1 && sentNs === 0n) {
        if (skipper.error !== null) finish(new Error(`AUTH failed: ${skipper.error}`));
        else send();
      } else if (replies === auth.length + 1) {
        finish(null, { ns: Number(nowNs() - sentNs), error: skipper.error });
      }
    });
    socket.on('error', (error) => finish(error));
    socket.on('close', () => finish(new Error('connection closed before the reply was complete')));
  });
}

/** One SLOWLOG GET entry: id, unix time, duration in µs, the command's arguments. */
export interface SlowlogEntry {
  readonly id: number;
  readonly durationUs: number;
  readonly args: readonly string[];
}

/** SLOWLOG GET's reply as entries (fields past the arguments, client address and name, are dropped). */
export function parseSlowlog(reply: unknown): SlowlogEntry[] {
  if (!Array.isArray(reply)) return [];
  return reply.flatMap((raw: unknown) => {
    if (!Array.isArray(raw) || raw.length < 4 || !Array.isArray(raw[3])) return [];
    return [{ id: Number(raw[0]), durationUs: Number(raw[2]), args: (raw[3] as unknown[]).map(String) }];
  });
}

export interface SlowlogFinding {
  /** The slow command's entry, null when SLOWLOG does not hold it. */
  readonly slow: SlowlogEntry | null;
  /** Entries of the fast commands (GET), which should not be there. */
  readonly fastLogged: number;
}

/** Looks the slow command (first two arguments) and the GETs up in the entries. */
export function findInSlowlog(entries: readonly SlowlogEntry[], slowArgs: readonly string[]): SlowlogFinding {
  const sameCommand = (e: SlowlogEntry): boolean =>
    e.args.length >= slowArgs.length && slowArgs.every((a, i) => e.args[i]!.toUpperCase() === a.toUpperCase());
  return {
    slow: entries.find(sameCommand) ?? null,
    fastLogged: entries.filter((e) => e.args[0]?.toUpperCase() === 'GET').length,
  };
}

/** The trial's figure: 100 when the slow command is logged with at least the threshold's duration, else 0. */
export function caughtPct(finding: SlowlogFinding, slowerThanUs: number): number {
  return finding.slow !== null && finding.slow.durationUs >= slowerThanUs ? 100 : 0;
}

export interface SlowCommandTrial {
  readonly finding: SlowlogFinding;
  readonly clientUs: number;
  readonly figurePct: number;
}

/** SLOWLOG RESET, fast GETs, the slow command, fast GETs, SLOWLOG GET: one trial of the check. */
export async function slowCommandTrial(
  admin: Redis,
  url: string,
  slowArgs: readonly string[],
  fastKey: string,
  slowerThanUs: number,
): Promise<SlowCommandTrial> {
  await admin.call('SLOWLOG', 'RESET');
  for (let i = 0; i < 5; i++) await admin.get(fastKey);
  const reply = await timeRawCommand(url, slowArgs, 120_000);
  if (reply.error !== null) throw new Error(`${slowArgs.join(' ')} failed: ${reply.error}`);
  for (let i = 0; i < 5; i++) await admin.get(fastKey);
  const finding = findInSlowlog(parseSlowlog(await admin.call('SLOWLOG', 'GET', '128')), slowArgs);
  return { finding, clientUs: reply.ns / 1_000, figurePct: caughtPct(finding, slowerThanUs) };
}

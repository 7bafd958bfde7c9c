import net from 'node:net';
import { parseRedisUrl } from '../../src/redis/redis-url.ts';
import { ConfigError, InfraError } from '../errors.ts';
import { ReplyKind, RespReplyScanner } from './resp-reply-scanner.ts';

/**
 * The load generator's lean Redis connection (`driver=resp`): one socket, commands written as
 * RESP by the caller, replies matched in order and summarised (value, nil or error), never
 * decoded. It is what redis-benchmark and memtier_benchmark are: a RESP loop over a socket, so
 * that the generator, not a client library, sets the pace. The system under test keeps ioredis;
 * this driver exists to measure Redis with as little client in the way as possible.
 *
 * No reconnection and no retry: a dropped connection fails its pending commands and every later
 * one (the load engine counts them). When commands are pending and no reply has come for
 * `commandTimeoutMs` (checked every 100 ms: up to 200 ms later), they all fail as timeouts and the
 * connection is closed (later replies could no longer be matched). Plain TCP only: TLS targets use driver=ioredis.
 */

export interface RespConnectionOptions {
  readonly connectTimeoutMs: number;
  readonly commandTimeoutMs: number;
  /** CLIENT SETNAME, so the connection is named in CLIENT LIST. */
  readonly connectionName?: string;
  /**
   * Commands sent in the same tick leave in one write (cork, uncork on the next tick), as
   * redis-benchmark writes a pipeline of -P commands at once. At one command per connection it
   * only costs a tick callback, so it is off by default.
   */
  readonly batchWrites?: boolean;
}

export class RespCommandTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';

  constructor(timeoutMs: number) {
    super(`Command timed out: no reply within ${timeoutMs} ms (driver=resp; the connection was closed)`);
    this.name = 'RespCommandTimeoutError';
  }
}

export class RespReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RespReplyError';
  }
}

/**
 * A nil reply fails the command with this error (a miss where hits were expected), built from the
 * command's `nilContext` (e.g. its key) only when it happens: one shared function, no closure per command.
 */
export type NilContext = string | readonly string[];
export type NilError = (context: NilContext) => Error;

type Settle = {
  resolve: (kind: ReplyKind) => void;
  reject: (error: Error) => void;
  nilError: NilError | undefined;
  nilContext: NilContext;
};

/** How often a connection checks whether its oldest command has waited past the timeout. */
const TIMEOUT_CHECK_MS = 100;
/** The read buffer's size (libuv's own default read size). */
const READ_BUFFER_BYTES = 64 * 1024;
/**
 * One read buffer for every connection of this thread (module state is per thread): a read's
 * bytes are scanned before the callback returns and libuv reads nothing else meanwhile, so the
 * connections can share it, and replies keep landing in the same few cache-hot kilobytes.
 */
let threadReadBuffer: Buffer | undefined;

/** Takes the first `length` bytes of a buffer that is reused for the next read. */
type ReadHandler = (buffer: Buffer, length: number) => void;

/**
 * Where the socket's reads go once the connection exists. The connection is built in the
 * microtask right after 'connect', before any read callback can run; should a read ever come
 * first, its bytes are copied and handed over once the handler is set, never dropped.
 */
class ReadSink {
  private handler: ReadHandler | null = null;
  private early: Buffer[] = [];

  set onRead(handler: ReadHandler) {
    this.handler = handler;
    const early = this.early;
    this.early = [];
    for (const chunk of early) handler(chunk, chunk.length);
  }

  /** Always true: keep reading (the onread contract; false would pause the socket). */
  deliver(buffer: Buffer, length: number): boolean {
    if (this.handler === null) this.early.push(Buffer.from(buffer.subarray(0, length)));
    else this.handler(buffer, length);
    return true;
  }
}

/**
 * `*<n>\r\n$<len>\r\n<arg>\r\n...`: one command as RESP. Lengths are in UTF-8 bytes, so send
 * the result as UTF-8 (a Buffer.from of it) unless every argument is ASCII.
 */
export function encodeCommand(args: readonly string[]): string {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
  return out;
}

/** `GET <key>` as RESP, for an ASCII key (the load's keys are checked printable ASCII). */
export function encodeGet(key: string): string {
  return `*2\r\n$3\r\nGET\r\n$${key.length}\r\n${key}\r\n`;
}

export class RespConnection {
  private readonly queue: (Settle | undefined)[] = [];
  private head = 0;
  private readonly scanner: RespReplyScanner;
  private closedError: Error | null = null;
  private corked = false;
  private readonly timeoutTimer: NodeJS.Timeout;
  // Replies counted at the previous timeout check, and for how long the oldest command has waited.
  private repliesAtCheck = 0;
  private pendingAtCheck = false;
  private replies = 0;
  private stalledMs = 0;

  private constructor(
    private readonly socket: net.Socket,
    reads: ReadSink,
    private readonly options: RespConnectionOptions,
  ) {
    this.scanner = new RespReplyScanner((kind, message) => this.settle(kind, message));
    reads.onRead = (buffer, length) => {
      try {
        this.scanner.pushBytes(buffer, length);
      } catch (error) {
        this.fail(error instanceof Error ? error : new Error(String(error)));
      }
    };
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('Connection is closed (driver=resp does not reconnect)')));
    this.timeoutTimer = setInterval(() => this.checkTimeout(), TIMEOUT_CHECK_MS);
    this.timeoutTimer.unref();
  }

  /** Connects to a redis:// URL, authenticates, selects the database and names the connection. */
  static async open(redisUrl: string, options: RespConnectionOptions): Promise<RespConnection> {
    const endpoint = parseRedisUrl(redisUrl);
    if (endpoint.tls)
      throw new ConfigError('driver=resp speaks plain TCP only, and this target is rediss:// (TLS)', {
        hint: 'use --set driver=ioredis for a TLS target',
      });
    const reads = new ReadSink();
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      // onread: replies land in one reused buffer, handed over without a stream 'data' event or a
      // Buffer (not even a view) per read (the scanner copies out only a partial reply's bytes).
      const readBuffer = (threadReadBuffer ??= Buffer.allocUnsafe(READ_BUFFER_BYTES));
      const onread = {
        buffer: readBuffer,
        callback: (bytes: number): boolean => reads.deliver(readBuffer, bytes),
      };
      const s = net.connect({ host: endpoint.host, port: endpoint.port, noDelay: true, onread });
      const timer = setTimeout(() => {
        s.destroy();
        reject(
          new InfraError(
            `driver=resp: no connection to ${endpoint.host}:${endpoint.port} within ${options.connectTimeoutMs} ms`,
            { hint: 'check that Redis is running and reachable' },
          ),
        );
      }, options.connectTimeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        s.removeAllListeners('error');
        resolve(s);
      });
      s.once('error', (error) => {
        clearTimeout(timer);
        s.destroy();
        reject(
          new InfraError(`driver=resp: cannot connect to ${endpoint.host}:${endpoint.port}: ${error.message}`, {
            hint: 'check that Redis is running and reachable',
            cause: error,
          }),
        );
      });
    });
    const connection = new RespConnection(socket, reads, options);
    try {
      const setup: string[][] = [];
      if (endpoint.password !== undefined)
        setup.push(
          endpoint.username !== undefined
            ? ['AUTH', endpoint.username, endpoint.password]
            : ['AUTH', endpoint.password],
        );
      if (endpoint.db !== 0) setup.push(['SELECT', String(endpoint.db)]);
      if (options.connectionName !== undefined) setup.push(['CLIENT', 'SETNAME', options.connectionName]);
      for (const args of setup) {
        // AUTH's arguments may be anything: sent as a Buffer of UTF-8 so the lengths are in bytes.
        await connection.send(Buffer.from(encodeCommand(args)));
      }
      return connection;
    } catch (error) {
      connection.close();
      const message = error instanceof Error ? error.message : String(error);
      throw new InfraError(`driver=resp: connection setup failed: ${message}`, {
        hint: "check the URL's user, password and database",
        cause: error,
      });
    }
  }

  /** Commands sent and not yet answered. */
  get pending(): number {
    return this.queue.length - this.head;
  }

  get closed(): boolean {
    return this.closedError !== null;
  }

  /**
   * Sends one command (a RESP string of ASCII bytes, or a Buffer) and resolves with the kind of
   * its reply; an error reply rejects, and so does a nil one when `nilError` is given (called with
   * `nilContext`). One promise
   * per command and nothing chained to it: the generator's cost per command is what it measures.
   */
  send(command: string | Buffer, nilError?: NilError, nilContext: NilContext = ''): Promise<ReplyKind> {
    if (this.closedError !== null) return Promise.reject(this.closedError);
    return new Promise<ReplyKind>((resolve, reject) => {
      this.queue.push({ resolve, reject, nilError, nilContext });
      if (this.options.batchWrites === true && !this.corked) {
        this.corked = true;
        this.socket.cork();
        process.nextTick(() => {
          this.corked = false;
          this.socket.uncork();
        });
      }
      if (typeof command === 'string') this.socket.write(command, 'latin1');
      else this.socket.write(command);
    });
  }

  /** Closes the socket at once; pending commands fail. Idempotent. */
  close(): void {
    this.fail(new Error('Connection is closed'));
  }

  private settle(kind: ReplyKind, message: string | undefined): void {
    const entry = this.queue[this.head];
    if (entry === undefined) {
      this.fail(new Error('driver=resp: a reply arrived with no command waiting for it'));
      return;
    }
    this.queue[this.head] = undefined;
    this.head += 1;
    this.replies += 1;
    // Compact now and then, so the queue array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (kind === ReplyKind.Error) entry.reject(new RespReplyError(message ?? 'ERR'));
    else if (kind === ReplyKind.Nil && entry.nilError !== undefined) entry.reject(entry.nilError(entry.nilContext));
    else entry.resolve(kind);
  }

  /**
   * A check interval counts as stalled only when commands were already pending at its start and
   * no reply came in it, so the timeout fires between commandTimeoutMs and commandTimeoutMs + 2
   * check intervals after the last reply, never before.
   */
  private checkTimeout(): void {
    const stalled = this.pendingAtCheck && this.pending > 0 && this.replies === this.repliesAtCheck;
    this.pendingAtCheck = this.pending > 0;
    this.repliesAtCheck = this.replies;
    if (!stalled) {
      this.stalledMs = 0;
      return;
    }
    this.stalledMs += TIMEOUT_CHECK_MS;
    if (this.stalledMs >= this.options.commandTimeoutMs)
      this.fail(new RespCommandTimeoutError(this.options.commandTimeoutMs));
  }

  private fail(error: Error): void {
    if (this.closedError === null) {
      this.closedError = error;
      clearInterval(this.timeoutTimer);
      this.socket.destroy();
    }
    const waiting = this.queue.slice(this.head);
    this.queue.length = 0;
    this.head = 0;
    for (const entry of waiting) entry?.reject(error);
  }
}

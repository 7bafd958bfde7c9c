/** One keep-alive HTTP/1.1 connection that sends one POST at a time and times each answer in full. */
import net from 'node:net';
import { elapsedNs, nowNs } from '../../bench/measure/clock.ts';
import { assertLoopback } from './http-load.ts';

export interface TimedResponse {
  readonly status: number;
  /** From writing the request to the last byte of the body, client side. */
  readonly latencyNs: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** The status and body length of a response head; the body must have a Content-Length (no chunked). */
function parseHead(head: string): { status: number; bodyBytes: number } {
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]);
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
  if (!Number.isInteger(status) || length === undefined)
    throw new Error(
      `unexpected HTTP response head (a status line and a Content-Length expected): ${head.slice(0, 200)}`,
    );
  return { status, bodyBytes: Number(length) };
}

/**
 * A lean client for latency measurements: a raw socket (Nagle off), the request written in one
 * piece, the answer parsed only as far as its Content-Length, so the client adds as little as
 * autocannon does. The service's JSON answers always carry a Content-Length.
 */
export class SequentialHttpClient {
  #buffered: Buffer = Buffer.alloc(0);
  #waiting: { resolve: (r: TimedResponse) => void; reject: (e: Error) => void; startNs: bigint } | null = null;
  #failure: Error | null = null;

  private constructor(
    private readonly socket: net.Socket,
    private readonly host: string,
    private readonly timeoutMs: number,
  ) {
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', (error) => this.#fail(error));
    socket.on('close', () => this.#fail(new Error('the service closed the connection')));
  }

  /** Connects to `baseUrl` (loopback only); a request whose answer stalls for `timeoutMs` fails, its connection too. */
  static async open(baseUrl: string, timeoutMs = 10_000): Promise<SequentialHttpClient> {
    const url = new URL(baseUrl);
    assertLoopback(url.hostname);
    const socket = net.connect({
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: Number(url.port),
      noDelay: true,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.on('timeout', () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    return new SequentialHttpClient(socket, url.host, timeoutMs);
  }

  /** POSTs a JSON body to `path` and resolves with the status and the latency once the whole answer is in. */
  post(path: string, json: string): Promise<TimedResponse> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    if (this.#waiting !== null) return Promise.reject(new Error('one request at a time on a sequential client'));
    const request = `POST ${path} HTTP/1.1\r\nHost: ${this.host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`;
    return new Promise((resolve, reject) => {
      this.socket.setTimeout(this.timeoutMs);
      this.#waiting = { resolve, reject, startNs: nowNs() };
      this.socket.write(request);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  #receive(chunk: Buffer): void {
    this.#buffered = this.#buffered.length === 0 ? chunk : Buffer.concat([this.#buffered, chunk]);
    const waiting = this.#waiting;
    const headEnd = this.#buffered.indexOf(HEADER_END);
    if (waiting === null || headEnd < 0) return;
    let head;
    try {
      head = parseHead(this.#buffered.subarray(0, headEnd).toString('latin1'));
    } catch (error) {
      this.socket.destroy(error as Error);
      return;
    }
    const end = headEnd + HEADER_END.length + head.bodyBytes;
    if (this.#buffered.length < end) return;
    const latencyNs = elapsedNs(waiting.startNs);
    this.socket.setTimeout(0);
    this.#buffered = this.#buffered.subarray(end);
    this.#waiting = null;
    waiting.resolve({ status: head.status, latencyNs });
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.reject(error);
  }
}

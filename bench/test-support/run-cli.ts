import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const RPB_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'rpb.mjs');

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts `rpb` as a real child process; `onStderr` sees progress as it arrives. */
export function startCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  onStderr?: (text: string, child: ChildProcess) => void,
): { child: ChildProcess; done: Promise<CliResult> } {
  // A REDIS_URL or RPB_DATA_DIR in the developer's shell must never steer a test at their Redis or data.
  const { REDIS_URL: _url, RPB_DATA_DIR: _dir, ...inherited } = process.env;
  const child = spawn(process.execPath, [RPB_BIN, ...args], {
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    onStderr?.(stderr, child);
  });
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return startCli(args, env).done;
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

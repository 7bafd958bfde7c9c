import { connect, createServer } from 'node:net';

export const LOOPBACK_HOST = '127.0.0.1';

/**
 * A TCP port that was free on loopback a moment ago (the kernel picks it). Another process can take
 * it before we bind it; ManagedRedis retries with a fresh port when that happens.
 */
export function findFreePort(host: string = LOOPBACK_HOST): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close((closeError) => {
        if (closeError) reject(closeError);
        else if (port === undefined) reject(new Error(`could not read the port the kernel gave on ${host}`));
        else resolve(port);
      });
    });
  });
}

/** True when nothing listens on host:port (we could bind it ourselves); never connects to it. */
export function isPortFree(port: number, host: string = LOOPBACK_HOST): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve(false);
      else reject(error);
    });
    server.listen({ host, port, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/**
 * True when something accepts TCP connections on host:port. Unlike isPortFree this is not fooled by a
 * client socket that the kernel gave the same number as its ephemeral local port (bind fails with
 * EADDRINUSE then, though nothing listens): tests that check "our server is gone" use this.
 */
export function isListening(port: number, host: string = LOOPBACK_HOST, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connecting to ${host}:${port} took over ${timeoutMs} ms; neither accepted nor refused`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(true);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      if (error.code === 'ECONNREFUSED') resolve(false);
      else reject(error);
    });
  });
}

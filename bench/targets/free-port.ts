import { createServer } from 'node:net';

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

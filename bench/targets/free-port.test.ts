import { connect, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { findFreePort, isListening, isPortFree } from './free-port.ts';

describe('findFreePort', () => {
  it('returns a port we can then listen on, and isPortFree sees it taken while we do', async () => {
    const port = await findFreePort();
    expect(port).toBeGreaterThan(0);
    expect(await isPortFree(port)).toBe(true);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      expect(await isPortFree(port)).toBe(false);
      expect(await isListening(port)).toBe(true);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('isListening is false for a port a client socket holds as its local port, where isPortFree says taken', async () => {
    const server = createServer((socket) => socket.on('error', () => undefined));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const client = connect({ host: '127.0.0.1', port: address.port });
    try {
      await new Promise<void>((resolve) => client.once('connect', () => resolve()));
      const clientPort = client.localPort ?? 0;
      expect(await isPortFree(clientPort)).toBe(false);
      expect(await isListening(clientPort)).toBe(false);
    } finally {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

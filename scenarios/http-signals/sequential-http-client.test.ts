import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SequentialHttpClient } from './sequential-http-client.ts';

let server: http.Server;
let baseUrl: string;
const connections: unknown[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.url === '/close') {
        request.socket.destroy();
        return;
      }
      const payload = JSON.stringify({ echo: JSON.parse(body) as unknown });
      const status = request.url === '/missing' ? 404 : 200;
      response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
      // Head and body in separate writes, and the body in two pieces: the client must wait for all of it.
      response.flushHeaders();
      response.write(payload.slice(0, 3));
      setTimeout(() => response.end(payload.slice(3)), 5);
    });
  });
  server.on('connection', (socket) => connections.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('SequentialHttpClient', () => {
  it('sends one POST after another on one kept-alive connection, timing each until its last byte', async () => {
    const before = connections.length;
    const client = await SequentialHttpClient.open(baseUrl);
    try {
      const first = await client.post('/api', JSON.stringify({ a: 1 }));
      const second = await client.post('/api', JSON.stringify({ b: 2 }));
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      // The body's second piece comes 5 ms after the head.
      expect(first.latencyNs).toBeGreaterThanOrEqual(4_000_000);
      expect(connections.length - before).toBe(1);
    } finally {
      client.close();
    }
  });

  it('reports a non-2xx status as it is', async () => {
    const client = await SequentialHttpClient.open(baseUrl);
    try {
      expect((await client.post('/missing', '{}')).status).toBe(404);
    } finally {
      client.close();
    }
  });

  it('fails the waiting request, and every later one, when the server closes the connection', async () => {
    const client = await SequentialHttpClient.open(baseUrl);
    await expect(client.post('/close', '{}')).rejects.toThrow(/closed the connection/);
    await expect(client.post('/api', '{}')).rejects.toThrow(/closed the connection/);
    client.close();
  });

  it('refuses a second request while one is on its way, and any host but loopback', async () => {
    const client = await SequentialHttpClient.open(baseUrl);
    try {
      const first = client.post('/api', '{}');
      await expect(client.post('/api', '{}')).rejects.toThrow(/one request at a time/);
      expect((await first).status).toBe(200);
    } finally {
      client.close();
    }
    await expect(SequentialHttpClient.open('http://192.0.2.1:80')).rejects.toThrow(/loopback only/);
  });
});

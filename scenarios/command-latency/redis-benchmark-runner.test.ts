import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findRedisBenchmark,
  parseRedisBenchmarkCsv,
  redisBenchmarkArgs,
  runRedisBenchmark,
} from './redis-benchmark-runner.ts';
import type { RedisBenchmarkRequest } from './redis-benchmark-runner.ts';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const request: RedisBenchmarkRequest = {
  executable: 'redis-benchmark',
  target: { host: '127.0.0.1', port: 40000, db: 0 },
  clients: 4,
  pipeline: 8,
  requests: 1000,
  keyspace: 100,
  command: ['GET', 'k:__rand_int__'],
  timeoutMs: 5_000,
};

describe('parseRedisBenchmarkCsv', () => {
  it('reads the rows of a captured redis-benchmark 7.0.15 run (built-in tests)', () => {
    const rows = parseRedisBenchmarkCsv(fixture('redis-benchmark-7.0.15-set-get.csv'));
    expect(rows.map((r) => r.test)).toEqual(['SET', 'GET']);
    expect(rows[1]).toEqual({
      test: 'GET',
      rps: 63897.77,
      avgMs: 0.043,
      minMs: 0.016,
      p50Ms: 0.039,
      p95Ms: 0.071,
      p99Ms: 0.135,
      maxMs: 0.375,
    });
  });

  it('reads a custom command row, spaces in the test name included', () => {
    const [row] = parseRedisBenchmarkCsv(fixture('redis-benchmark-7.0.15-mget.csv'));
    expect(row.test).toBe('MGET k:__rand_int__ k:__rand_int__ k:__rand_int__ k:__rand_int__ k:__rand_int__');
    expect(row.rps).toBe(51546.39);
    expect(row.p99Ms).toBe(0.143);
    expect(row.maxMs).toBe(2.311);
  });

  it('rejects output without rows, with a non-numeric figure, or with other columns', () => {
    const header = fixture('redis-benchmark-7.0.15-mget.csv').split('\n')[0];
    expect(() => parseRedisBenchmarkCsv(`${header}\n`)).toThrow(/no result row/);
    expect(() => parseRedisBenchmarkCsv(`${header}\n"GET","fast","0.1","0.1","0.1","0.1","0.1","0.1"\n`)).toThrow(
      /non-numeric/,
    );
    expect(() => parseRedisBenchmarkCsv('"test","rps"\n"GET","1"\n')).toThrow(/unexpected/);
    expect(() => parseRedisBenchmarkCsv('GET: rps=1000\n')).toThrow(/unexpected/);
  });
});

describe('redisBenchmarkArgs', () => {
  it('passes connections, pipeline, count, keyspace and the command; the password only when set', () => {
    const args = redisBenchmarkArgs(request);
    expect(args).toEqual([
      '-h',
      '127.0.0.1',
      '-p',
      '40000',
      '-c',
      '4',
      '-P',
      '8',
      '-n',
      '1000',
      '-r',
      '100',
      '--csv',
      'GET',
      'k:__rand_int__',
    ]);
    const withAuth = redisBenchmarkArgs({
      ...request,
      target: { ...request.target, db: 2, username: 'app', password: 's3cret' },
    });
    expect(withAuth).toEqual(expect.arrayContaining(['--dbnum', '2', '--user', 'app', '-a', 's3cret']));
    expect(redisBenchmarkArgs({ ...request, threads: 2 })).toEqual(expect.arrayContaining(['--threads', '2']));
    expect(redisBenchmarkArgs({ ...request, threads: 1 })).not.toContain('--threads');
  });
});

describe('runRedisBenchmark guards', () => {
  it('refuses port 6379 (the shared Redis) and bad counts with a ConfigError', async () => {
    await expect(runRedisBenchmark({ ...request, target: { ...request.target, port: 6379 } })).rejects.toThrow(/6379/);
    await expect(runRedisBenchmark({ ...request, requests: 0 })).rejects.toThrow(/requests must be a positive integer/);
  });

  it('kills a child that never finishes at the time bound, and on abort', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rpb-fake-rb-'));
    try {
      const fake = path.join(dir, 'redis-benchmark');
      // Behaves like redis-benchmark facing a port nobody answers: spins and prints nothing.
      writeFileSync(fake, '#!/bin/sh\nexec sleep 30\n');
      chmodSync(fake, 0o755);
      expect(findRedisBenchmark({ PATH: dir })).toBe(fake);
      const started = Date.now();
      await expect(runRedisBenchmark({ ...request, executable: fake, timeoutMs: 300 })).rejects.toThrow(
        /did not finish/,
      );
      const controller = new AbortController();
      const run = runRedisBenchmark({ ...request, executable: fake, timeoutMs: 20_000, signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      await expect(run).rejects.toThrow(/aborted/);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds nothing on an empty PATH', () => {
    expect(findRedisBenchmark({ PATH: '' })).toBeNull();
  });
});

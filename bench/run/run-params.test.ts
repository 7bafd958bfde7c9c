import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { resolveRunParams } from './run-params.ts';

const NOW = new Date('2001-02-03T04:05:06.789Z');

describe('resolveRunParams', () => {
  it('applies the defaults once, with a timestamped report folder', () => {
    expect(resolveRunParams({}, {}, NOW)).toEqual({
      quick: false,
      seed: 42,
      outDir: 'reports/2001-02-03T04-05-06Z',
      redisUrl: null,
      missExtraMs: 0,
      dataDir: null,
      overrides: {},
      addedLatencyMs: 0,
      shard: null,
      workers: 1,
      thorough: false,
      confidence: 0.95,
    });
  });

  it('takes --thorough and --confidence, and names a confidence out of range with an example', () => {
    expect(resolveRunParams({ thorough: true, confidence: '0.99' }, {}, NOW)).toMatchObject({
      thorough: true,
      confidence: 0.99,
    });
    for (const bad of ['95', '1', '0.3', 'high']) {
      let caught: unknown;
      try {
        resolveRunParams({ confidence: bad }, {}, NOW);
      } catch (error) {
        caught = error;
      }
      expect((caught as ConfigError).problems.join('\n')).toMatch(/--confidence .*e\.g\. --confidence 0\.95/);
    }
  });

  it('reads REDIS_URL and RPB_DATA_DIR, and the command line wins over them', () => {
    const env = { REDIS_URL: 'redis://127.0.0.1:7000', RPB_DATA_DIR: '/data/env' };
    expect(resolveRunParams({}, env, NOW)).toMatchObject({ redisUrl: 'redis://127.0.0.1:7000', dataDir: '/data/env' });
    expect(resolveRunParams({ redisUrl: 'redis://127.0.0.1:7001', dataDir: '/data/cli' }, env, NOW)).toMatchObject({
      redisUrl: 'redis://127.0.0.1:7001',
      dataDir: '/data/cli',
    });
    expect(resolveRunParams({}, { REDIS_URL: '  ', RPB_DATA_DIR: '' }, NOW)).toMatchObject({
      redisUrl: null,
      dataDir: null,
    });
  });

  it('reports every bad option at once, never echoing a password', () => {
    let caught: unknown;
    try {
      resolveRunParams({ seed: '-1', missExtraMs: 'abc', redisUrl: 'http://:hunter2@h:1' }, {}, NOW);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain('--seed "-1"');
    expect(problems[1]).toContain('--miss-extra-ms "abc"');
    expect(problems[2]).toContain('scheme must be redis: or rediss:');
    expect(problems.join(' ')).not.toContain('hunter2');
  });

  it('refuses an --out that is a file or a folder with files in it, and accepts an empty one', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rpb-out-'));
    try {
      expect(resolveRunParams({ out: dir }, {}, NOW).outDir).toBe(dir);
      writeFileSync(path.join(dir, 'old.hgrm'), 'x');
      expect(() => resolveRunParams({ out: dir }, {}, NOW)).toThrow(ConfigError);
      try {
        resolveRunParams({ out: path.join(dir, 'old.hgrm') }, {}, NOW);
      } catch (error) {
        expect((error as ConfigError).problems[0]).toContain('exists and is not a folder');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts fractional --miss-extra-ms and rejects more than 10 s', () => {
    expect(resolveRunParams({ missExtraMs: '40.5' }, {}, NOW).missExtraMs).toBe(40.5);
    expect(() => resolveRunParams({ missExtraMs: '10001' }, {}, NOW)).toThrow(ConfigError);
  });
});

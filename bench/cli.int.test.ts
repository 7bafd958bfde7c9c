import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { findFreePort } from './targets/free-port.ts';
import { ManagedRedis } from './targets/managed-redis.ts';
import { isListening, runCli, startCli } from './test-support/run-cli.ts';

let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rpb-cli-'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function portOf(redactedUrl: string): number {
  return Number(new URL(redactedUrl).port);
}

describe('rpb run miss-vs-hit --quick (a managed Redis, real data, real files)', () => {
  it('prints the claims table, writes summary.json, .hgrm and .hlog, and stops its Redis', async () => {
    const out = path.join(tmp, 'quick');
    const result = await runCli(['run', 'miss-vs-hit', '--quick', '--out', out]);
    expect(result.stderr).not.toContain('internal error');
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    for (const id of ['cache.hit-latency', 'cache.miss-latency', 'cache.speedup', 'cache.mix-improvement'])
      expect(result.stdout).toContain(id);

    const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.schema).toBe('rpb.summary/v1');
    expect(summary.status).toBe('complete');
    expect(summary.environment.cpuCount).toBeGreaterThan(0);
    expect(summary.environment.packages.ioredis).toMatch(/^\d+\.\d+\.\d+/);
    const scenario = summary.scenarios[0];
    expect(scenario).toMatchObject({ id: 'miss-vs-hit', status: 'ok' });
    expect(scenario.target.kind).toBe('managed');
    expect(scenario.target.redisVersion).toMatch(/^\d+\.\d+/);
    expect(scenario.redisInfoBefore.server.redis_version).toBe(scenario.target.redisVersion);
    expect(scenario.redisInfoAfter.stats.keyspace_hits).toBeGreaterThan(0);
    expect(scenario.metrics['hit.signal'].summary.count).toBeGreaterThan(0);
    expect(scenario.metrics['miss.signal'].summary.p50Ns).toBeGreaterThan(0);
    // One summary per round, adding up to the whole.
    const hitTrials = scenario.metrics['hit.signal'].trials;
    expect(hitTrials).toHaveLength(6);
    expect(hitTrials.reduce((sum: number, t: { count: number }) => sum + t.count, 0)).toBe(
      scenario.metrics['hit.signal'].summary.count,
    );
    expect(scenario.verdicts).toHaveLength(12);
    for (const v of scenario.verdicts) {
      expect(['holds', 'does not hold', 'inconclusive']).toContain(v.outcome);
      expect(v.conditions).toContain('loopback');
      expect(scenario.trials[v.claimId]).toHaveLength(6);
    }
    // Nothing was corrupt and every set-up expectation (miss, hit, 4 of 5 cached) was met.
    expect(scenario.values['cache-stats.corrupt'].value).toBe(0);
    // (A cache call that timed out on a loaded machine is degradation working, not a set-up error.)
    expect(scenario.notes.filter((n: string) => n.startsWith('anomaly') && !/"errors":[1-9]/.test(n))).toEqual([]);

    const files = await readdir(path.join(out, 'miss-vs-hit'));
    expect(files).toContain('hit.signal.hgrm');
    expect(files).toContain('hit.signal.hlog');
    const hgrm = await readFile(path.join(out, 'miss-vs-hit', 'hit.signal.hgrm'), 'utf8');
    expect(hgrm).toMatch(/#\[Max\s+=\s+[\d.]+, Total count\s+=\s+\d+\]/);
    const hlog = await readFile(path.join(out, 'miss-vs-hit', 'hit.signal.hlog'), 'utf8');
    expect(hlog).toContain('#[Histogram log format version 1.3]');
    expect(await readFile(path.join(out, 'report.md'), 'utf8')).toContain('| cache.speedup |');

    expect(await isListening(portOf(scenario.target.redactedUrl))).toBe(false);
  });

  it('stops on SIGINT with exit 130, keeps a partial summary and leaves no redis-server', async () => {
    const out = path.join(tmp, 'sigint');
    let sent = false;
    const { done } = startCli(['run', 'miss-vs-hit', '--quick', '--out', out], {}, (stderr, child) => {
      if (!sent && stderr.includes('round 1/6')) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const result = await done;
    expect(sent).toBe(true);
    expect(result.code, result.stderr.slice(-3000)).toBe(130);
    const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.status).toBe('interrupted');
    expect(summary.scenarios[0].status).toBe('interrupted');
    expect(await isListening(portOf(summary.scenarios[0].target.redactedUrl))).toBe(false);
  });
});

describe('rpb run against --redis-url (a Redis the harness did not start)', () => {
  it('runs with a password that appears nowhere, marks the database, and refuses one holding foreign feature keys', async () => {
    const redis = await ManagedRedis.start({ configOverrides: { requirepass: 'pw-s3cret-42' } });
    const admin = new Redis(redis.url);
    try {
      const url = `redis://:pw-s3cret-42@127.0.0.1:${redis.port}/3`;
      const out = path.join(tmp, 'url');
      const result = await runCli(['run', 'miss-vs-hit', '--quick', '--out', out, '--redis-url', url]);
      expect(result.code, result.stderr.slice(-3000)).toBe(0);
      const texts = [
        result.stdout,
        result.stderr,
        await readFile(path.join(out, 'summary.json'), 'utf8'),
        await readFile(path.join(out, 'report.md'), 'utf8'),
      ];
      for (const text of texts) expect(text).not.toContain('pw-s3cret-42');
      const summary = JSON.parse(texts[2]);
      expect(summary.scenarios[0].target).toMatchObject({
        kind: 'url',
        redactedUrl: `redis://:***@127.0.0.1:${redis.port}/3`,
        network: 'loopback (127.0.0.1)',
      });
      // The harness's own server was not stopped: a URL target is never stopped.
      expect(await admin.ping()).toBe('PONG');
      await admin.select(3);
      expect(await admin.exists('rpb:bench-database')).toBe(1);

      await admin.select(4);
      await admin.set('features:AAPL:2025-01-17', "somebody else's cache");
      const refused = await runCli([
        'run',
        'miss-vs-hit',
        '--quick',
        '--out',
        path.join(tmp, 'url-refused'),
        '--redis-url',
        `redis://:pw-s3cret-42@127.0.0.1:${redis.port}/4`,
      ]);
      expect(refused.code, refused.stderr.slice(-3000)).toBe(2);
      expect(refused.stderr).toContain('already holds feature keys (e.g. features:AAPL:2025-01-17)');
      expect(await admin.get('features:AAPL:2025-01-17')).toBe("somebody else's cache");
    } finally {
      admin.disconnect();
      await redis.stop();
    }
  });
});

describe('rpb validate --quick', () => {
  it('prints every claim of the registry, measured or "not measured", with the conditions as footnotes', async () => {
    const out = path.join(tmp, 'validate');
    // Two scenarios keep the test short; the table still lists every claim of the registry.
    const result = await runCli(['validate', 'miss-vs-hit', 'connections', '--quick', '--out', out]);
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    const { CLAIMS } = await import('../scenarios/claims.ts');
    for (const claim of CLAIMS) expect(result.stdout).toContain(claim.id);
    expect(result.stdout).toMatch(/pubsub\.latency .* not measured/);
    // A claim not measured cites a footnote that says why.
    expect(result.stdout).toContain('not measured: scenario pubsub-latency was not run');
    expect(result.stdout).toMatch(/\[1\] loopback \(127\.0\.0\.1\), managed Redis/);
    expect(JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')).params.scenarios).toEqual([
      'miss-vs-hit',
      'connections',
    ]);
  });
});

describe('rpb compare, calibrate and gate on real runs', () => {
  it('compare runs A and B alternately and writes compare.html with both overlaid', async () => {
    const out = path.join(tmp, 'compare');
    const result = await runCli([
      'compare',
      'miss-vs-hit',
      '--quick',
      '--pairs',
      '1',
      '--out',
      out,
      '--a',
      'codec=json-array',
      '--b',
      'codec=json-object',
    ]);
    expect(result.stderr).not.toContain('internal error');
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    expect(result.stdout).toContain('A: codec=json-array   B: codec=json-object   1 + 1 runs, orders AB');
    expect(result.stdout).toMatch(/hit\.signal\s+p50/);
    const compare = JSON.parse(await readFile(path.join(out, 'compare.json'), 'utf8'));
    expect(compare.comparisons.length).toBeGreaterThan(0);
    const html = await readFile(path.join(out, 'compare.html'), 'utf8');
    expect(html).toContain('A: codec=json-array');
    expect(html).toContain('data-plot="percentiles"');
    expect(html).not.toMatch(/NaN|Infinity/);
    expect((await readdir(out)).sort()).toEqual([
      'compare.html',
      'compare.json',
      'compare.txt',
      'pair-01-a',
      'pair-01-b',
    ]);
  });

  it('calibrate reports the A/A rates; the gate passes its budgets and fails a canary run (+2 ms per reply) with 99', async () => {
    const out = path.join(tmp, 'calibrate');
    const result = await runCli([
      'calibrate',
      'miss-vs-hit',
      '--quick',
      '--pairs',
      '1',
      '--canary-ms',
      '0',
      '--out',
      out,
    ]);
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    expect(result.stdout).toMatch(/false-positive rate per pair \(any regression flagged\): [\d.]+% \(\d\/1\)/);
    expect(JSON.parse(await readFile(path.join(out, 'calibration.json'), 'utf8'))).toMatchObject({
      aa: { pairs: 1 },
      canary: null,
    });

    // At least 25 hits per round on both sides, however loaded the machine, so p50 is compared.
    const settings = ['--quick', '--set', 'roundDurationMs=300', 'minIterationsPerRound=25'];
    const base = path.join(tmp, 'gate-base');
    const canary = path.join(tmp, 'gate-canary');
    expect((await runCli(['run', 'miss-vs-hit', ...settings, '--out', base])).code).toBe(0);
    expect((await runCli(['run', 'miss-vs-hit', ...settings, '--added-latency-ms', '2', '--out', canary])).code).toBe(
      0,
    );
    // Thresholds no loaded machine misses: this checks the pass path, not the machine.
    const budgetFile = path.join(tmp, 'loose.budget');
    await writeFile(
      budgetFile,
      'miss-vs-hit.hit.signal.p50 < 1s\nmiss-vs-hit.failed == 0\nmiss-vs-hit.claim.cache.value-size < 10KB\n',
    );
    const budgets = await runCli(['gate', '--budget', budgetFile, base]);
    expect(budgets.stdout).toContain('gate: passed');
    expect(budgets.code, budgets.stderr.slice(-3000)).toBe(0);
    const tight = await runCli(['gate', '--budget', 'bench/gate/example.budget', base]);
    expect([0, 99]).toContain(tight.code); // the example file parses and evaluates; its verdict depends on the machine
    const gate = await runCli([
      'gate',
      '--baseline',
      base,
      '--max-regression',
      '10%',
      '--junit',
      path.join(tmp, 'gate.xml'),
      canary,
    ]);
    expect(gate.stdout).toMatch(/hit\.signal\s+p50 .*REGRESSION/);
    expect(gate.code, gate.stderr.slice(-3000)).toBe(99);
    expect(await readFile(path.join(tmp, 'gate.xml'), 'utf8')).toContain('<testsuite name="rpb-gate"');
    const summary = JSON.parse(await readFile(path.join(canary, 'summary.json'), 'utf8'));
    expect(summary.scenarios[0].notes.join(' ')).toContain('delayed 2 ms by the fault proxy');
  });
});

describe('rpb: bad input gets a clear message and a documented exit code', () => {
  it('unknown scenario: exit 2 and the known ones listed', async () => {
    const result = await runCli(['run', 'no-such-scenario']);
    expect(result.code, result.stderr.slice(-3000)).toBe(2);
    expect(result.stderr).toContain('unknown scenario: no-such-scenario');
    expect(result.stderr).toContain('miss-vs-hit');
  });

  it('every invalid option reported at once: exit 2', async () => {
    const result = await runCli(['run', 'miss-vs-hit', '--seed', 'abc', '--miss-extra-ms', '-5']);
    expect(result.code, result.stderr.slice(-3000)).toBe(2);
    expect(result.stderr).toContain('--seed "abc"');
    expect(result.stderr).toContain('--miss-extra-ms "-5"');
  });

  it('an unreachable --redis-url: exit 3, the password never printed, partial summary kept', async () => {
    const port = await findFreePort();
    const out = path.join(tmp, 'unreachable');
    const result = await runCli([
      'run',
      'miss-vs-hit',
      '--quick',
      '--out',
      out,
      '--redis-url',
      `redis://:hunter2secret@127.0.0.1:${port}`,
    ]);
    expect(result.code, result.stderr.slice(-3000)).toBe(3);
    expect(result.stdout + result.stderr).not.toContain('hunter2secret');
    expect(result.stderr).toMatch(/unreachable|refused/i);
    const summaryText = await readFile(path.join(out, 'summary.json'), 'utf8');
    expect(summaryText).not.toContain('hunter2secret');
    expect(JSON.parse(summaryText).scenarios[0].status).toBe('failed');
  });

  it('redis-server missing: exit 3 with how to install it', async () => {
    const result = await runCli(['run', 'miss-vs-hit', '--quick', '--out', path.join(tmp, 'missing')], {
      RPB_REDIS_SERVER: '/nonexistent/redis-server',
    });
    expect(result.code, result.stderr.slice(-3000)).toBe(3);
    expect(result.stderr).toMatch(/apt-get install redis-server/);
    expect(result.stderr).toContain('--redis-url');
  });

  it('rpb list --json is JSON for tools, and a reader that stops early (| head) ends it quietly', async () => {
    const list = await runCli(['list', '--json']);
    expect(list.code, list.stderr.slice(-3000)).toBe(0);
    expect(JSON.parse(list.stdout).schema).toBe('rpb.list/v1');
    // As `| head -c 0`: the reader is gone before rpb writes; no EPIPE crash, exit 0.
    const { child, done } = startCli(['list', '--json']);
    child.stdout?.destroy();
    const cut = await done;
    expect(cut.stderr).not.toContain('EPIPE');
    expect(cut.code).toBe(0);
  });

  it('rpb --help shows examples and exit codes; rpb list shows claims', async () => {
    const help = await runCli(['--help']);
    expect(help.code, help.stderr.slice(-3000)).toBe(0);
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('Exit codes:');
    const list = await runCli(['list']);
    expect(list.code, list.stderr.slice(-3000)).toBe(0);
    expect(list.stdout).toContain('miss-vs-hit');
    expect(list.stdout).toContain('cache.speedup');
    expect(list.stdout).toContain('pubsub.latency');
    expect(list.stdout).toContain('topologies: standalone, sentinel, cluster; does not split its load');
    expect(list.stdout).toContain('splits its load over --shard machines and --workers threads');
  });

  it('rpb microbench runs a suite and checks its speed target; an unknown suite is exit 2', async () => {
    const result = await runCli(['microbench', '--suite', 'alpha158', '--time-ms', '100', '--json']);
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expect(parsed.results[0]).toMatchObject({ suite: 'alpha158', id: 'compute' });
    expect(parsed.results[0].medianNs).toBeGreaterThan(0);
    expect(parsed.targets.map((t: { id: string }) => t.id)).toEqual(['alpha158']);
    const bad = await runCli(['microbench', '--suite', 'nope', '--time-ms', '10']);
    expect(bad.code, bad.stderr.slice(-3000)).toBe(2);
    expect(bad.stderr).toContain('--suite nope: unknown');
    expect(bad.stderr).toContain('--time-ms "10"');
  });

  it('rpb data generate writes Parquet files and reports bad options at once', async () => {
    const dir = path.join(tmp, 'data');
    const ok = await runCli(['data', 'generate', '--symbols', '3', '--days', '70', '--dir', dir]);
    expect(ok.code, ok.stderr.slice(-3000)).toBe(0);
    expect(ok.stdout).toContain('3 symbols x 70 trading days');
    expect((await readdir(dir)).filter((f) => f.endsWith('.parquet'))).toHaveLength(3);
    const again = await runCli(['data', 'generate', '--symbols', '3', '--days', '70', '--dir', dir]);
    expect(again.stdout).toContain('reused');
    const bad = await runCli(['data', 'generate', '--symbols', 'x', '--days', '0', '--dir', dir]);
    expect(bad.code, bad.stderr.slice(-3000)).toBe(2);
    expect(bad.stderr).toContain('--symbols "x"');
    expect(bad.stderr).toContain(`--days "0": expected an integer >= 1`);
  });
});

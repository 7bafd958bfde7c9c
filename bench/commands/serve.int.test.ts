import { afterAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { isListening, runCli, startCli } from '../test-support/run-cli.ts';

const started: ChildProcess[] = [];
afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Resolves with the URL `rpb serve` announces on stdout. */
function waitForUrl(child: ChildProcess, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`no "listening on" line within ${timeoutMs} ms: ${out}`)),
      timeoutMs,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`rpb serve exited before listening: ${out}`));
    });
  });
}

describe('rpb serve as a real child process', () => {
  it('serves, then on SIGTERM finishes, closes its socket and its managed Redis, and exits 143', async () => {
    const { child, done } = startCli(['serve', '--port', '0', '--symbols', '5', '--managed-redis'], {
      LOG_LEVEL: 'info',
    });
    started.push(child);
    const url = await waitForUrl(child);
    const response = await fetch(`${url}/api/v1/signals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ symbols: ['AAPL', 'MSFT'], as_of_date: '2025-06-02' }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { cache: { enabled: boolean } }).cache.enabled).toBe(true);
    const healthBody = await (await fetch(`${url}/health`)).json();
    expect(healthBody).toMatchObject({ status: 'healthy', redis_enabled: true, redis_connected: true });

    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(143);
    expect(result.stderr).toMatch(/Shutting down/);
    expect(result.stderr).toMatch(/Signal service stopped/);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(await isListening(Number(new URL(url).port))).toBe(false);
  });

  it('exits 2 with every bad environment variable named, before starting anything', async () => {
    const result = await runCli(['serve'], { PORT: 'eighty', REDIS_ENABLED: 'true', LOG_LEVEL: 'loud' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/invalid service configuration/);
    expect(result.stderr).toMatch(/PORT="eighty"/);
    expect(result.stderr).toMatch(/LOG_LEVEL="loud"/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

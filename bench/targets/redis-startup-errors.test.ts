import { describe, expect, it } from 'vitest';
import { startupFailed } from './redis-startup-errors.ts';

const base = { port: 4242, pid: 99, logPath: '/tmp/x/redis.log', startTimeoutMs: 1000 };

describe('startupFailed', () => {
  it('recognises a port clash in the log and names the port', () => {
    const error = startupFailed({
      ...base,
      exit: { code: 1, signal: null },
      logLines: '# Warning: Could not create server TCP listening socket 127.0.0.1:4242: bind: Address already in use',
    });
    expect(error.message).toMatch(/^port 4242 on 127\.0\.0\.1 is already in use/);
    expect(error.message).toContain('bind: Address already in use');
  });

  it('says how the process ended when it exited early', () => {
    const error = startupFailed({ ...base, exit: { code: null, signal: 'SIGSEGV' }, logLines: 'crash report' });
    expect(error.message).toMatch(/exited during startup with signal SIGSEGV; last log lines:\ncrash report/);
  });
});

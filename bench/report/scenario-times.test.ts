import { describe, expect, it } from 'vitest';
import { formatScenarioTimes } from './scenario-times.ts';

describe('formatScenarioTimes', () => {
  it('lists scenarios slowest first with their share, then the total', () => {
    const lines = formatScenarioTimes([
      { id: 'miss-vs-hit', status: 'ok', durationMs: 1_000, error: null },
      { id: 'chaos', status: 'failed', durationMs: 3_000, error: { name: 'InfraError', message: 'boom', hint: null } },
    ]);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^ {2}chaos\s+failed\s+3\.0 s\s+75% \(boom\)$/);
    expect(lines[1]).toMatch(/^ {2}miss-vs-hit\s+ok\s+1\.0 s\s+25%$/);
    expect(lines[2]).toMatch(/^ {2}total\s+4\.0 s$/);
  });

  it('prints whole seconds from 100 s and no share when nothing took time', () => {
    expect(formatScenarioTimes([{ id: 'a', status: 'ok', durationMs: 123_456, error: null }])[0]).toContain('123 s');
    expect(formatScenarioTimes([{ id: 'a', status: 'ok', durationMs: 0, error: null }])[0]).toMatch(/0\.0 s\s+-$/);
  });
});

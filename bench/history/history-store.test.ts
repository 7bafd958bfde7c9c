import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addEntry, checkTime, HISTORY_SCHEMA, loadEntries } from './history-store.ts';
import type { HistoryEntry } from './history-store.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

function entry(i: number): HistoryEntry {
  const time = new Date(Date.UTC(2026, 11, 1, 0, 0, i)).toISOString();
  return {
    schema: HISTORY_SCHEMA,
    commit: `commit-${i}`,
    time,
    addedAt: time,
    quick: true,
    metrics: { m: { value: i, unit: 'ms', better: 'lower' } },
  };
}

describe('the history store', () => {
  it('keeps every entry of 40 concurrent adds, each whole, and reads them back oldest first', async () => {
    const store = await mkdtemp(path.join(tmpdir(), 'rpb-history-'));
    dirs.push(store);
    const order = [...Array(40).keys()].reverse();
    await Promise.all(order.map((i) => addEntry(store, entry(i))));
    const files = await readdir(path.join(store, 'runs'));
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const { entries, skipped } = await loadEntries(store);
    expect(skipped).toEqual([]);
    expect(entries.map((e) => e.metrics.m!.value)).toEqual([...Array(40).keys()]);
  });

  it('skips a file that is not an entry and names it, and refuses a folder that is not a store', async () => {
    const store = await mkdtemp(path.join(tmpdir(), 'rpb-history-'));
    dirs.push(store);
    await addEntry(store, entry(1));
    await writeFile(path.join(store, 'runs', 'broken.json'), '{"schema": "other"}');
    const { entries, skipped } = await loadEntries(store);
    expect(entries).toHaveLength(1);
    expect(skipped).toEqual(['broken.json: not a rpb.history/v1 entry']);
    await expect(loadEntries(path.join(store, 'missing'))).rejects.toThrow(/is not a history store/);
  });

  it('accepts ISO times and refuses anything else with a hint', () => {
    expect(checkTime('2026-12-07T10:00:00+01:00', '--time')).toBe('2026-12-07T09:00:00.000Z');
    expect(() => checkTime('yesterday', '--time')).toThrow(/is not an ISO 8601 time/);
  });
});

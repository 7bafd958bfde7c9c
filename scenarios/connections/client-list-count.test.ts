import { describe, expect, it } from 'vitest';
import { countClientListEntries } from './client-list-count.ts';

describe('countClientListEntries', () => {
  it('counts one connection per non-empty line', () => {
    const reply =
      'id=3 addr=127.0.0.1:5000 name=rpb-admin cmd=client|list\nid=7 addr=127.0.0.1:5002 name=rpb-shared-client cmd=get\n';
    expect(countClientListEntries(reply)).toBe(2);
  });

  it('is 0 for an empty reply and ignores CRLF endings', () => {
    expect(countClientListEntries('')).toBe(0);
    expect(countClientListEntries('id=1 addr=x\r\n\r\n')).toBe(1);
  });
});

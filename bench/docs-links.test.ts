// The README is the front door and docs/ the reference: a moved or renamed page must not leave a
// dead link behind, and the README must stay short (issue 13: at most 12 KB).
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const README_MAX_BYTES = 12_288;

/** Fenced code blocks and inline code spans hold examples, not links. */
function withoutCode(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Relative link targets of a Markdown text, as written (inline links and reference definitions). */
function relativeLinks(markdown: string): string[] {
  const text = withoutCode(markdown);
  const targets = [
    ...[...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]),
    ...[...text.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)].map((m) => m[1]),
  ];
  return targets.filter((t) => !/^(https?:|mailto:|#)/i.test(t));
}

/** The links of one Markdown file whose target file or folder does not exist. */
function brokenLinks(file: string): string[] {
  const dir = path.dirname(file);
  return relativeLinks(readFileSync(file, 'utf8')).filter((target) => {
    const filePart = decodeURIComponent(target.split('#')[0]);
    return !existsSync(path.resolve(dir, filePart));
  });
}

function markdownFiles(): string[] {
  const docs = path.join(ROOT, 'docs');
  const pages = existsSync(docs)
    ? readdirSync(docs, { recursive: true, encoding: 'utf8' })
        .filter((name) => name.endsWith('.md'))
        .map((name) => path.join(docs, name))
    : [];
  return [path.join(ROOT, 'README.md'), ...pages.sort()];
}

describe('relativeLinks', () => {
  it('finds relative targets and skips web links, mail, anchors and code', () => {
    const md = [
      'See [the CLI](docs/cli.md#exit-codes), [a folder](scenarios/), [web](https://example.com),',
      '[mail](mailto:a@b.c), [here](#contents) and [titled](docs/a.md "A").',
      '`[not a link](inline.md)`',
      '```',
      '[not a link either](fenced.md)',
      '```',
      '[ref]: docs/ref.md',
    ].join('\n');
    expect(relativeLinks(md)).toEqual(['docs/cli.md#exit-codes', 'scenarios/', 'docs/a.md', 'docs/ref.md']);
  });

  it('reports a link whose target is missing', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rpb-docs-links-'));
    writeFileSync(path.join(dir, 'present.md'), '# present\n');
    const page = path.join(dir, 'page.md');
    writeFileSync(page, '[ok](present.md#top) [gone](missing.md#top) [up](../)\n');
    expect(brokenLinks(page)).toEqual(['missing.md#top']);
  });
});

describe('README.md and docs/', () => {
  it('README.md stays within 12 KB', () => {
    expect(statSync(path.join(ROOT, 'README.md')).size).toBeLessThanOrEqual(README_MAX_BYTES);
  });

  it('every relative link resolves to a file or folder', () => {
    const files = markdownFiles();
    expect(files.length).toBeGreaterThan(1);
    const broken = files.flatMap((file) =>
      brokenLinks(file).map((target) => `${path.relative(ROOT, file)}: ${target}`),
    );
    expect(broken).toEqual([]);
  });
});

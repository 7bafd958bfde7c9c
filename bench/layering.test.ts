// The layout's rules, checked on the imports of every source file: the ground floor imports no other
// stage, src/ never imports the harness, only the commands reach into scenarios/, and no file imports
// itself through a circle of imports (types included).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const IMPORT = /(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' || entry.name === 'node_modules' ? [] : sourceFiles(rel);
    return /\.ts$/.test(entry.name) && !/\.test\.ts$|\.fixture\.ts$/.test(entry.name) ? [rel] : [];
  });
}

/** Relative imports of each file, as repository paths. */
function importGraph(files: readonly string[], read: (file: string) => string): Map<string, string[]> {
  return new Map(
    files.map((file) => [
      file,
      [...read(file).matchAll(IMPORT)].map((m) => path.normalize(path.join(path.dirname(file), m[1]!))),
    ]),
  );
}

/** Every import circle, each as the files on it (Tarjan's strongly connected components). */
function importCircles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const circle: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      circle.push(member);
    } while (member !== node);
    if (circle.length > 1 || (graph.get(node) ?? []).includes(node)) circles.push(circle.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return circles;
}

const files = [...sourceFiles('bench'), ...sourceFiles('scenarios'), ...sourceFiles('src')];
const graph = importGraph(files, (file) => readFileSync(path.join(ROOT, file), 'utf8'));
const importsOf = (prefix: string) =>
  [...graph].filter(([file]) => file.startsWith(prefix)).flatMap(([file, deps]) => deps.map((to) => ({ file, to })));

describe('the layout', () => {
  it('finds a circle when there is one (the check can fail)', () => {
    const circles = importCircles(
      new Map([
        ['a.ts', ['b.ts']],
        ['b.ts', ['c.ts']],
        ['c.ts', ['a.ts']],
        ['d.ts', ['a.ts']],
      ]),
    );
    expect(circles).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('has no import circle', () => {
    expect(files.length).toBeGreaterThan(300);
    expect(importCircles(graph)).toEqual([]);
  });

  it('keeps bench/core on the ground floor: it imports no other bench folder', () => {
    const outside = importsOf('bench/core/').filter(
      ({ to }) => to.startsWith('bench/') && !to.startsWith('bench/core/') && to !== 'bench/errors.ts',
    );
    expect(outside).toEqual([]);
  });

  it('keeps src/ free of the harness', () => {
    expect(importsOf('src/').filter(({ to }) => !to.startsWith('src/'))).toEqual([]);
  });

  it('lets only the commands reach into scenarios/', () => {
    const reaching = importsOf('bench/').filter(({ to }) => to.startsWith('scenarios/'));
    expect(reaching.length).toBeGreaterThan(0);
    expect(reaching.filter(({ file }) => !file.startsWith('bench/commands/'))).toEqual([]);
  });
});

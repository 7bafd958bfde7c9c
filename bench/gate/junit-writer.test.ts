import { describe, expect, it } from 'vitest';
import { compareRuns } from './baseline-compare.ts';
import { parseBudgets } from './budget-parser.ts';
import { evaluateBudgets } from './evaluate-budgets.ts';
import type { GateResult } from './gate-result.ts';
import { escapeXmlAttribute, escapeXmlText, formatGateJUnit } from './junit-writer.ts';
import { metricFromTrials, runOf, scenario, verdict } from './synthetic-run.fixture.ts';

interface XmlElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Resolves entity references; throws on a bare `&` or an unknown entity, as an XML parser must. */
function decode(raw: string): string {
  return raw.replace(/&([^;]*);|&/g, (whole, name: string | undefined) => {
    if (name === undefined) throw new Error(`bare & in ${JSON.stringify(raw)}`);
    if (/^#\d+$/.test(name)) return String.fromCodePoint(Number(name.slice(1)));
    if (/^#x[0-9a-fA-F]+$/.test(name)) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (!(name in ENTITIES)) throw new Error(`unknown entity ${whole}`);
    return ENTITIES[name];
  });
}

/**
 * A small well-formedness checker for the subset of XML the writer emits: a declaration, elements,
 * double-quoted attributes and text. It rejects unbalanced tags, raw `<` or `&` in text or
 * attributes, duplicate attributes, characters XML forbids, and anything after the root.
 */
function parseXml(xml: string): XmlElement {
  if (/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(xml))
    throw new Error('character not allowed in XML');
  const declaration = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(xml);
  if (declaration === null) throw new Error('missing XML declaration');
  let pos = declaration[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const name = /[A-Za-z_][\w.-]*/y;
  const attribute = /\s+([A-Za-z_][\w.-]*)="([^"<]*)"/y;
  while (pos < xml.length) {
    if (xml[pos] !== '<') {
      const end = xml.indexOf('<', pos);
      const raw = xml.slice(pos, end < 0 ? xml.length : end);
      const top = stack.at(-1);
      if (top === undefined) {
        if (raw.trim() !== '') throw new Error(`text outside the root: ${raw}`);
      } else top.text += decode(raw);
      pos += raw.length;
      continue;
    }
    if (xml.startsWith('</', pos)) {
      name.lastIndex = pos + 2;
      const closing = name.exec(xml)?.[0];
      const open = stack.pop();
      if (closing === undefined || open?.name !== closing || xml[pos + 2 + closing.length] !== '>')
        throw new Error(`mismatched </${closing}> at ${pos}`);
      pos += closing.length + 3;
      continue;
    }
    name.lastIndex = pos + 1;
    const tag = name.exec(xml)?.[0];
    if (tag === undefined) throw new Error(`bad tag at ${pos}`);
    pos += 1 + tag.length;
    const element: XmlElement = { name: tag, attributes: {}, children: [], text: '' };
    for (;;) {
      attribute.lastIndex = pos;
      const found = attribute.exec(xml);
      if (found === null) break;
      if (found[1] in element.attributes) throw new Error(`duplicate attribute ${found[1]}`);
      element.attributes[found[1]] = decode(found[2]);
      pos = attribute.lastIndex;
    }
    const selfClosing = xml.startsWith('/>', pos);
    if (!selfClosing && xml[pos] !== '>')
      throw new Error(`bad attribute syntax at ${pos}: ${xml.slice(pos, pos + 20)}`);
    pos += selfClosing ? 2 : 1;
    const parent = stack.at(-1);
    if (parent) parent.children.push(element);
    else if (root === null) root = element;
    else throw new Error('second root element');
    if (!selfClosing) stack.push(element);
  }
  if (stack.length > 0 || root === null) throw new Error('unclosed elements');
  return root;
}

function all(element: XmlElement, name: string): XmlElement[] {
  return [...element.children.filter((c) => c.name === name), ...element.children.flatMap((c) => all(c, name))];
}

const NASTY = 'budget "a" & <b> it\'s \u0001 ]]> done';

function gateResult(): GateResult {
  const run = runOf([
    scenario('miss-vs-hit', {
      metrics: { 'hit.signal': metricFromTrials([1.3e6, 1.31e6, 1.29e6, 1.3e6]) },
      values: { size: { value: 10, unit: 'bytes' } },
      verdicts: [verdict('cache.speedup', 'holds', 6, 'x')],
    }),
  ]);
  const baseline = runOf([
    scenario('miss-vs-hit', { metrics: { 'hit.signal': metricFromTrials([1e6, 1.01e6, 0.99e6, 1e6]) } }),
  ]);
  const budgets = parseBudgets(
    ['miss-vs-hit.hit.signal.p99 < 5ms', 'miss-vs-hit.value.size < 5', 'nope.status == "ok"'].join('\n'),
    'b.txt',
  );
  const evaluated = evaluateBudgets(run, budgets).results;
  // A message with every character XML cares about, to prove the escaping.
  const results = evaluated.map((r, i) => (i === 2 ? { ...r, message: `${r.message} ${NASTY}` } : r));
  return {
    runDir: 'reports/run & "x"',
    budgetFile: 'b.txt',
    baselineDir: 'base',
    budgets: results,
    baseline: compareRuns(run, baseline),
    notes: [],
  };
}

describe('formatGateJUnit', () => {
  it('writes well-formed XML: one testsuite rpb-gate, a testcase per budget and per comparison', () => {
    const xml = formatGateJUnit(gateResult(), '2026-01-01T00:00:00.000Z');
    const root = parseXml(xml);
    expect(root.name).toBe('testsuites');
    const suites = all(root, 'testsuite');
    expect(suites).toHaveLength(1);
    expect(suites[0].attributes).toMatchObject({
      name: 'rpb-gate',
      tests: '7',
      failures: '6',
      errors: '0',
      timestamp: '2026-01-01T00:00:00.000Z',
    });
    const cases = all(root, 'testcase');
    expect(cases.map((c) => c.attributes.name)).toEqual([
      'miss-vs-hit.hit.signal.p99 < 5ms',
      'miss-vs-hit.value.size < 5',
      'nope.status == "ok"',
      'hit.signal p50 vs baseline',
      'hit.signal p90 vs baseline',
      'hit.signal p99 vs baseline',
      'hit.signal p999 vs baseline',
    ]);
    expect(cases.map((c) => all(c, 'failure')[0]?.attributes.type ?? 'pass')).toEqual([
      'pass',
      'fail',
      'missing',
      'regression',
      'regression',
      'regression',
      'regression',
    ]);
    expect(cases[0].children.map((c) => c.name)).toEqual(['system-out']);
  });

  it('escapes every special character and replaces the ones XML forbids', () => {
    const root = parseXml(formatGateJUnit(gateResult()));
    const missing = all(root, 'testcase')[2];
    const failure = all(missing, 'failure')[0];
    expect(failure.attributes.message).toBe(
      `no scenario 'nope' in this run; scenarios in the run: miss-vs-hit ${NASTY.replace('\u0001', '\uFFFD')}`,
    );
    expect(failure.text).toContain('b.txt:3: nope.status == "ok"\nmissing: ');
    const properties = Object.fromEntries(all(root, 'property').map((p) => [p.attributes.name, p.attributes.value]));
    expect(properties).toMatchObject({
      runDir: 'reports/run & "x"',
      budgetFile: 'b.txt',
      baselineDir: 'base',
      maxRegressionPct: '10',
    });
    expect(properties.method).toContain('Efron & Tibshirani 1993');
  });

  it('keeps newlines and tabs in attributes as character references', () => {
    expect(escapeXmlAttribute('a\nb\tc\r"\'<&>')).toBe('a&#10;b&#9;c&#13;&quot;&apos;&lt;&amp;&gt;');
    expect(escapeXmlText('x\uD800y\uFFFEz\u{1F600}')).toBe('x\uFFFDy\uFFFDz\u{1F600}');
    expect(
      parseXml(`<?xml version="1.0" encoding="UTF-8"?>\n<a b="${escapeXmlAttribute('l1\nl2')}"/>`).attributes.b,
    ).toBe('l1\nl2');
  });

  it('has a checker that rejects malformed XML (so the checks above can fail)', () => {
    const head = '<?xml version="1.0" encoding="UTF-8"?>\n';
    expect(() => parseXml(`${head}<a><b></a></b>`)).toThrow(/mismatched/);
    expect(() => parseXml(`${head}<a>x & y</a>`)).toThrow(/bare &/);
    expect(() => parseXml(`${head}<a b="1 < 2"/>`)).toThrow(/bad attribute/);
    expect(() => parseXml(`${head}<a/><b/>`)).toThrow(/second root/);
    expect(() => parseXml(`${head}<a>\u0001</a>`)).toThrow(/not allowed/);
    expect(() => parseXml(`${head}<a>`)).toThrow(/unclosed/);
  });
});

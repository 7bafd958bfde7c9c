import type { MetricComparison } from './baseline-compare.ts';
import type { BudgetResult } from './evaluate-budgets.ts';
import type { GateResult } from './gate-result.ts';

export const JUNIT_SUITE_NAME = 'rpb-gate';

// Characters XML 1.0 forbids outright (most C0 controls, lone surrogates, U+FFFE/U+FFFF).
const INVALID_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text for element content. */
export function escapeXmlText(text: string): string {
  return text.replace(INVALID_XML_CHARS, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes text for a double-quoted attribute; newlines and tabs are kept as character references. */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

function attributes(pairs: Readonly<Record<string, string | number>>): string {
  return Object.entries(pairs)
    .map(([key, value]) => ` ${key}="${escapeXmlAttribute(String(value))}"`)
    .join('');
}

interface TestCase {
  readonly classname: string;
  readonly name: string;
  readonly failure: { readonly type: string; readonly message: string; readonly details: string } | null;
  readonly output: string;
}

function budgetCase(result: BudgetResult, file: string | null): TestCase {
  const where = `${file ?? 'budget'}:${result.budget.line}: ${result.budget.text}`;
  const failed = result.outcome !== 'pass';
  return {
    classname: `${JUNIT_SUITE_NAME}.budgets`,
    name: result.budget.text,
    failure: failed
      ? { type: result.outcome, message: result.message, details: `${where}\n${result.outcome}: ${result.message}` }
      : null,
    output: `${where}\n${result.message}`,
  };
}

function comparisonCase(c: MetricComparison): TestCase {
  const text = `${c.verdict}: ${c.reason}`;
  return {
    classname: `${JUNIT_SUITE_NAME}.baseline.${c.scenario}`,
    name: `${c.metric} ${c.percentile} vs baseline`,
    failure: c.verdict === 'regression' ? { type: 'regression', message: text, details: text } : null,
    output: text,
  };
}

function renderCase(t: TestCase): string {
  const open = `    <testcase${attributes({ classname: t.classname, name: t.name, time: 0 })}>`;
  const failure =
    t.failure === null
      ? ''
      : `\n      <failure${attributes({ type: t.failure.type, message: t.failure.message })}>${escapeXmlText(t.failure.details)}</failure>`;
  return `${open}${failure}\n      <system-out>${escapeXmlText(t.output)}</system-out>\n    </testcase>`;
}

/**
 * JUnit XML for CI test reporters: one testsuite, a testcase per budget and per baseline
 * comparison. A regression or a failed or missing budget is a <failure>; an inconclusive
 * comparison passes (it is reported, not failed) with its reason in <system-out>.
 */
export function formatGateJUnit(result: GateResult, timestamp: string = new Date().toISOString()): string {
  const cases = [
    ...result.budgets.map((b) => budgetCase(b, result.budgetFile)),
    ...(result.baseline?.comparisons ?? []).map(comparisonCase),
  ];
  const failures = cases.filter((c) => c.failure !== null).length;
  const counts = { tests: cases.length, failures, errors: 0, skipped: 0, time: 0 };
  const properties: Record<string, string> = { runDir: result.runDir };
  if (result.budgetFile !== null) properties.budgetFile = result.budgetFile;
  if (result.baselineDir !== null) properties.baselineDir = result.baselineDir;
  if (result.baseline !== null) {
    properties.maxRegressionPct = String(result.baseline.options.maxRegressionPct);
    properties.method = result.baseline.method;
  }
  const props = Object.entries(properties).map(([name, value]) => `      <property${attributes({ name, value })}/>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: JUNIT_SUITE_NAME, ...counts })}>`,
    `  <testsuite${attributes({ name: JUNIT_SUITE_NAME, ...counts, timestamp })}>`,
    '    <properties>',
    ...props,
    '    </properties>',
    ...cases.map(renderCase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

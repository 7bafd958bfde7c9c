import type { RunSummary, ScenarioReport } from '../core/run-summary.ts';
import { canonicalSegment } from './budget-ast.ts';
import type { Budget, BudgetTarget, LatencyStat, PathSegment } from './budget-ast.ts';
import { quantityOf } from './budget-units.ts';
import type { Quantity } from './budget-units.ts';

/** What a budget's path reads from a run: a figure, a word, or why there is none. */
export type Resolved =
  | { readonly kind: 'number'; readonly quantity: Quantity; readonly note: string | null }
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'missing'; readonly message: string };

const STAT_FIELD: Readonly<
  Record<
    Exclude<LatencyStat, 'count'>,
    'p50Ns' | 'p90Ns' | 'p99Ns' | 'p999Ns' | 'maxNs' | 'meanNs' | 'minNs' | 'stddevNs'
  >
> = {
  p50: 'p50Ns',
  p90: 'p90Ns',
  p99: 'p99Ns',
  p999: 'p999Ns',
  max: 'maxNs',
  mean: 'meanNs',
  min: 'minNs',
  stddev: 'stddevNs',
};

function listed(names: readonly string[]): string {
  return names.length === 0 ? '(none)' : names.join(', ');
}

function missing(message: string): Resolved {
  return { kind: 'missing', message };
}

function describeParameters(scenario: ScenarioReport, keys: readonly string[]): string {
  return keys
    .map((key) => `${key}=${Object.hasOwn(scenario.parameters, key) ? String(scenario.parameters[key]) : '(unset)'}`)
    .join(',');
}

/** The scenario a budget names; `[key=value]` on the scenario picks the report run with those parameters. */
function findScenario(run: RunSummary, segment: PathSegment): ScenarioReport | Resolved {
  const sameId = run.scenarios.filter((s) => s.id === segment.name);
  if (sameId.length === 0)
    return missing(
      `no scenario '${segment.name}' in this run; scenarios in the run: ${listed(run.scenarios.map((s) => s.id))}`,
    );
  const matching = sameId.filter((s) =>
    segment.selectors.every(
      (sel) => Object.hasOwn(s.parameters, sel.key) && String(s.parameters[sel.key]) === sel.value,
    ),
  );
  if (matching.length === 0) {
    const keys = segment.selectors.map((s) => s.key);
    const ran = sameId.map((s) => `[${describeParameters(s, keys)}]`).join(', ');
    return missing(`no such variant ${canonicalSegment(segment)} in this run: ${segment.name} ran with ${ran}`);
  }
  if (matching.length > 1) {
    return missing(
      `${canonicalSegment(segment)} matches ${matching.length} scenario reports; add a selector such as ${segment.name}[key=value] to pick one`,
    );
  }
  return matching[0];
}

function variantPrefix(name: string): string {
  return name.includes('[') ? 'no such variant: ' : '';
}

function resolveMetric(scenario: ScenarioReport, metric: string, stat: LatencyStat): Resolved {
  const report = Object.hasOwn(scenario.metrics, metric) ? scenario.metrics[metric] : undefined;
  if (report === undefined) {
    return missing(
      `${variantPrefix(metric)}no metric '${metric}' in ${scenario.id}; metrics: ${listed(Object.keys(scenario.metrics))}`,
    );
  }
  if (stat === 'count') return { kind: 'number', quantity: quantityOf(report.summary.count, 'count'), note: null };
  const ns = report.summary[STAT_FIELD[stat]];
  if (ns === null) return missing(`${scenario.id}.${metric} recorded no samples, so it has no ${stat}`);
  return { kind: 'number', quantity: quantityOf(ns, 'ns'), note: null };
}

function resolveValue(scenario: ScenarioReport, name: string, explicit: boolean): Resolved {
  const value = Object.hasOwn(scenario.values, name) ? scenario.values[name] : undefined;
  if (value === undefined) {
    const metricHint = Object.hasOwn(scenario.metrics, name)
      ? ` ('${name}' is a latency metric: add a statistic, e.g. ${name}.p99)`
      : '';
    const metrics = explicit ? '' : `; metrics (add .p99 etc.): ${listed(Object.keys(scenario.metrics))}`;
    return missing(
      `${variantPrefix(name)}no value '${name}' in ${scenario.id}${metricHint}; values: ${listed(Object.keys(scenario.values))}${metrics}`,
    );
  }
  if (value.value === null) return missing(`${scenario.id} value '${name}' was not measured (null)`);
  return { kind: 'number', quantity: quantityOf(value.value, value.unit), note: null };
}

function resolveClaim(scenario: ScenarioReport, claimId: string, wantVerdict: boolean): Resolved {
  const verdict = scenario.verdicts.find((v) => v.claimId === claimId);
  if (verdict === undefined) {
    return missing(
      `${variantPrefix(claimId)}no verdict for claim '${claimId}' in ${scenario.id}; claims: ${listed(scenario.verdicts.map((v) => v.claimId))}`,
    );
  }
  if (wantVerdict) return { kind: 'text', value: verdict.outcome };
  if (verdict.measured === null)
    return missing(`claim '${claimId}' has no measured figure (verdict: ${verdict.outcome})`);
  return { kind: 'number', quantity: quantityOf(verdict.measured, verdict.unit), note: null };
}

/** Failed operations the scenario counted (its `failed` value); a scenario that did not end ok counts at least one. */
function resolveFailed(scenario: ScenarioReport): Resolved {
  const counted = Object.hasOwn(scenario.values, 'failed') ? (scenario.values.failed.value ?? 0) : 0;
  if (scenario.status === 'ok') return { kind: 'number', quantity: quantityOf(counted, 'count'), note: null };
  const why = scenario.error ? `: ${scenario.error.message}` : '';
  return {
    kind: 'number',
    quantity: quantityOf(Math.max(counted, 1), 'count'),
    note: `scenario ${scenario.status}${why}`,
  };
}

function resolveTarget(scenario: ScenarioReport, target: BudgetTarget): Resolved {
  switch (target.kind) {
    case 'metric':
      return resolveMetric(scenario, target.metric, target.stat);
    case 'value':
      return resolveValue(scenario, target.name, target.explicit);
    case 'claim':
      return resolveClaim(scenario, target.claimId, false);
    case 'claim-verdict':
      return resolveClaim(scenario, target.claimId, true);
    case 'failed':
      return resolveFailed(scenario);
    case 'status':
      return { kind: 'text', value: scenario.status };
  }
}

/** Reads what a budget points at in a run. */
export function resolveBudget(run: RunSummary, budget: Budget): Resolved {
  const scenario = findScenario(run, budget.scenario);
  if ('kind' in scenario) return scenario;
  return resolveTarget(scenario, budget.target);
}

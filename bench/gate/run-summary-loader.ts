import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.ts';
import { SUMMARY_SCHEMA } from '../core/run-summary.ts';
import type { RunSummary } from '../core/run-summary.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The fields the gate reads, checked so that a wrong file fails with a message, not a TypeError. */
function structureProblems(data: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (!Array.isArray(data.scenarios)) return ['`scenarios` is not a list'];
  data.scenarios.forEach((scenario: unknown, i) => {
    if (!isRecord(scenario) || typeof scenario.id !== 'string') {
      problems.push(`scenarios[${i}] has no string \`id\``);
      return;
    }
    const where = `scenario ${scenario.id}`;
    if (typeof scenario.status !== 'string') problems.push(`${where}: \`status\` is not a string`);
    if (!isRecord(scenario.values)) problems.push(`${where}: \`values\` is not an object`);
    if (!isRecord(scenario.parameters)) problems.push(`${where}: \`parameters\` is not an object`);
    if (!Array.isArray(scenario.verdicts)) problems.push(`${where}: \`verdicts\` is not a list`);
    if (!isRecord(scenario.metrics)) {
      problems.push(`${where}: \`metrics\` is not an object`);
      return;
    }
    for (const [name, metric] of Object.entries(scenario.metrics)) {
      if (!isRecord(metric) || !isRecord(metric.summary)) problems.push(`${where}: metric ${name} has no \`summary\``);
      else if (metric.trials !== undefined && !Array.isArray(metric.trials))
        problems.push(`${where}: metric ${name}: \`trials\` is not a list`);
    }
  });
  return problems;
}

/**
 * Reads a run's summary.json. `location` is a run folder or the summary.json itself; `role` names
 * the command-line argument in messages (e.g. `--baseline`).
 */
export async function loadRunSummary(location: string, role: string): Promise<RunSummary> {
  const isFile = await stat(location).then(
    (s) => s.isFile(),
    () => false,
  );
  const file = isFile ? location : path.join(location, 'summary.json');
  const hint = `${role} must be a run folder written by \`rpb run\` (e.g. reports/<timestamp>), holding summary.json`;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`;
    throw new ConfigError(`${file} ${what}`, { hint, cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`, {
      hint: `re-run the scenarios to write it again; ${hint}`,
      cause: error,
    });
  }
  if (!isRecord(data) || data.schema !== SUMMARY_SCHEMA) {
    const found = isRecord(data) && typeof data.schema === 'string' ? `schema ${data.schema}` : 'no schema field';
    throw new ConfigError(`${file} is not a run summary: ${found}, expected ${SUMMARY_SCHEMA}`, { hint });
  }
  const problems = structureProblems(data);
  if (problems.length > 0)
    throw new ConfigError(`${file} is not a valid ${SUMMARY_SCHEMA} summary`, { problems, hint });
  return data as unknown as RunSummary;
}

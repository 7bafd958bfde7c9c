import { ConfigError } from '../errors.ts';

/** A scenario parameter a user may set (`--set key=value`, compare variants). */
export type TunableSpec =
  | { readonly kind: 'integer'; readonly min: number; readonly max: number; readonly description: string }
  | { readonly kind: 'number'; readonly min: number; readonly max: number; readonly description: string }
  | { readonly kind: 'choice'; readonly values: readonly string[]; readonly description: string }
  /**
   * Numbers separated by ':' (a ',' would end the `--set` assignment), e.g. rates=500:1000:2000;
   * resolved as the text, read with parseNumberList.
   */
  | {
      readonly kind: 'number-list';
      readonly min: number;
      readonly max: number;
      readonly maxItems: number;
      readonly description: string;
    };

export type TunableValue = number | string;
export type Assignments = Readonly<Record<string, string>>;

/** Parses `k=v,k2=v2` (and repeated `--set k=v` flags) into raw assignments; reports every bad part. */
export function parseAssignments(texts: readonly string[], what: string): Record<string, string> {
  const out: Record<string, string> = {};
  const problems: string[] = [];
  for (const text of texts) {
    for (const part of text
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '')) {
      const eq = part.indexOf('=');
      if (eq <= 0 || eq === part.length - 1) {
        problems.push(`${what} ${JSON.stringify(part)}: expected key=value, e.g. rounds=9`);
        continue;
      }
      const key = part.slice(0, eq).trim();
      if (key in out) problems.push(`${what} ${key} is given twice`);
      out[key] = part.slice(eq + 1).trim();
    }
  }
  if (problems.length > 0) throw new ConfigError(`invalid ${what}`, { problems });
  return out;
}

export const NUMBER_LIST_SEPARATOR = ':';

/** The numbers of a number-list tunable's text; null when any item is not a number. */
export function parseNumberList(text: string): number[] | null {
  const items = text.split(NUMBER_LIST_SEPARATOR).map((item) => item.trim());
  if (items.some((item) => !/^-?\d+(\.\d+)?$/.test(item))) return null;
  return items.map(Number);
}

function describe(spec: TunableSpec): string {
  if (spec.kind === 'number-list')
    return `1 to ${spec.maxItems} numbers from ${spec.min} to ${spec.max} separated by '${NUMBER_LIST_SEPARATOR}'`;
  return spec.kind === 'choice'
    ? `one of ${spec.values.join(', ')}`
    : `${spec.kind === 'integer' ? 'an integer' : 'a number'} from ${spec.min} to ${spec.max}`;
}

/** Problems of raw assignments against a scenario's tunables (empty when all are valid). */
export function tunableProblems(
  scenarioId: string,
  specs: Readonly<Record<string, TunableSpec>>,
  raw: Assignments,
): string[] {
  const problems: string[] = [];
  for (const [key, text] of Object.entries(raw)) {
    const spec = specs[key];
    if (spec === undefined) {
      const known = Object.keys(specs);
      problems.push(`${scenarioId} has no parameter ${key}; it has: ${known.length > 0 ? known.join(', ') : 'none'}`);
      continue;
    }
    if (spec.kind === 'choice') {
      if (!spec.values.includes(text)) problems.push(`${scenarioId}.${key}=${text}: expected ${describe(spec)}`);
      continue;
    }
    if (spec.kind === 'number-list') {
      const values = parseNumberList(text);
      if (values === null || values.length > spec.maxItems || values.some((v) => v < spec.min || v > spec.max))
        problems.push(`${scenarioId}.${key}=${text}: expected ${describe(spec)}`);
      continue;
    }
    const value = Number(text);
    const wellFormed = spec.kind === 'integer' ? /^-?\d+$/.test(text) : /^-?\d+(\.\d+)?$/.test(text);
    if (!wellFormed || value < spec.min || value > spec.max)
      problems.push(`${scenarioId}.${key}=${text}: expected ${describe(spec)}`);
  }
  return problems;
}

/** Typed values of valid assignments (call tunableProblems first). */
export function resolveTunables(
  specs: Readonly<Record<string, TunableSpec>>,
  raw: Assignments,
): Record<string, TunableValue> {
  const out: Record<string, TunableValue> = {};
  for (const [key, text] of Object.entries(raw))
    out[key] = specs[key]?.kind === 'choice' || specs[key]?.kind === 'number-list' ? text : Number(text);
  return out;
}

/** One line per tunable, for `rpb list`. */
export function formatTunables(specs: Readonly<Record<string, TunableSpec>>): string[] {
  return Object.entries(specs).map(([key, spec]) => `${key} (${describe(spec)}): ${spec.description}`);
}

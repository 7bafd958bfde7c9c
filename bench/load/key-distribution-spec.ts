import { DEFAULT_ZIPFIAN_CONSTANT } from './zipfian-generator.ts';

/** Which items the load engine's operations touch (YCSB's request distributions). */
export type KeyDistribution =
  | { kind: 'uniform' }
  /** Item 0 most popular; constant (theta) defaults to DEFAULT_ZIPFIAN_CONSTANT. */
  | { kind: 'zipfian'; constant?: number }
  /** Zipfian popularity, popular items scattered over the key space by hashing. */
  | { kind: 'scrambled-zipfian'; constant?: number }
  /** hotOperationFraction of the operations go to the first hotDataFraction of the items. */
  | { kind: 'hotspot'; hotDataFraction: number; hotOperationFraction: number }
  /** Zipfian from the end: the highest index is the most popular. */
  | { kind: 'latest'; constant?: number }
  | { kind: 'sequential' };

export type KeyDistributionKind = KeyDistribution['kind'];

export const KEY_DISTRIBUTION_KINDS: readonly KeyDistributionKind[] = [
  'uniform',
  'zipfian',
  'scrambled-zipfian',
  'hotspot',
  'latest',
  'sequential',
];

/** Largest theta accepted (YCSB sets no bound; beyond 10 nearly every draw is item 0). */
export const MAX_ZIPFIAN_CONSTANT = 10;

export const KEY_DISTRIBUTION_FORMS = [
  'uniform',
  'zipfian[:THETA]',
  'scrambled-zipfian[:THETA]',
  'hotspot:DATA_FRACTION:OPERATION_FRACTION',
  'latest[:THETA]',
  'sequential',
] as const;

export const KEY_DISTRIBUTION_HINT =
  `accepted forms: ${KEY_DISTRIBUTION_FORMS.join(', ')}; THETA in (0, 1) or (1, ${MAX_ZIPFIAN_CONSTANT}] ` +
  `(default ${DEFAULT_ZIPFIAN_CONSTANT}), fractions in [0, 1]; e.g. zipfian:0.8 or hotspot:0.2:0.8`;

/** Problems with the distribution's own parameters (independent of the item count); empty when valid. */
export function keyDistributionProblems(distribution: KeyDistribution): string[] {
  const kind: unknown = (distribution as { kind?: unknown } | null | undefined)?.kind;
  if (!KEY_DISTRIBUTION_KINDS.includes(kind as KeyDistributionKind)) {
    return [`kind must be one of ${KEY_DISTRIBUTION_KINDS.join(', ')}, got ${JSON.stringify(kind) ?? 'nothing'}`];
  }
  switch (distribution.kind) {
    case 'zipfian':
    case 'scrambled-zipfian':
    case 'latest':
      return distribution.constant === undefined ? [] : constantProblems(distribution.constant);
    case 'hotspot':
      return [
        ...fractionProblems('hotDataFraction', distribution.hotDataFraction),
        ...fractionProblems('hotOperationFraction', distribution.hotOperationFraction),
      ];
    default:
      return [];
  }
}

export function constantProblems(constant: unknown): string[] {
  const valid = typeof constant === 'number' && constant > 0 && constant !== 1 && constant <= MAX_ZIPFIAN_CONSTANT;
  // Gray's method divides by 1 - theta, hence the hole at 1.
  return valid ? [] : [`constant must be in (0, 1) or (1, ${MAX_ZIPFIAN_CONSTANT}], got ${String(constant)}`];
}

export function isFraction(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= 1;
}

export function fractionProblems(name: string, value: unknown): string[] {
  return isFraction(value) ? [] : [`${name} must be a number in [0, 1], got ${String(value)}`];
}

/** The CLI form of a distribution, which parseKeyDistribution reads back. */
export function formatKeyDistribution(distribution: KeyDistribution): string {
  switch (distribution.kind) {
    case 'zipfian':
    case 'scrambled-zipfian':
    case 'latest':
      return distribution.constant === undefined ? distribution.kind : `${distribution.kind}:${distribution.constant}`;
    case 'hotspot':
      return `hotspot:${distribution.hotDataFraction}:${distribution.hotOperationFraction}`;
    default:
      return String((distribution as { kind?: unknown } | null | undefined)?.kind);
  }
}

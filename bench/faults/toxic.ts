import { ConfigError } from '../errors.ts';

/** upstream: client -> Redis (requests); downstream: Redis -> client (replies). Toxiproxy's names. */
export type ToxicDirection = 'upstream' | 'downstream' | 'both';

export type Toxic =
  | {
      readonly kind: 'latency';
      readonly latencyMs: number;
      readonly jitterMs?: number;
      readonly direction?: ToxicDirection;
    }
  | { readonly kind: 'bandwidth'; readonly kbPerSecond: number; readonly direction?: ToxicDirection }
  | { readonly kind: 'black-hole' }
  | { readonly kind: 'reset-peer'; readonly afterMs?: number };

export type ToxicKind = Toxic['kind'];

/** Toxiproxy applies a toxic to the downstream stream unless told otherwise; so do we. */
export const TOXIC_DEFAULTS = {
  direction: 'downstream',
  jitterMs: 0,
  afterMs: 0,
} as const satisfies { direction: ToxicDirection; jitterMs: number; afterMs: number };

/** What one direction of a connection does to the bytes it forwards. */
export interface DirectionShaping {
  readonly latencyMs: number;
  readonly jitterMs: number;
  /** undefined: unlimited. 1 KB = 1000 bytes, as in Toxiproxy, so KB/s = bytes per ms. */
  readonly bytesPerMs: number | undefined;
  readonly blackHole: boolean;
}

/** A validated toxic set, resolved into what each direction and each connection must do. */
export interface ResolvedToxics {
  readonly upstream: DirectionShaping;
  readonly downstream: DirectionShaping;
  readonly resetPeer: { readonly afterMs: number } | undefined;
}

type MutableShaping = { -readonly [K in keyof DirectionShaping]: DirectionShaping[K] };

const KINDS: readonly ToxicKind[] = ['latency', 'bandwidth', 'black-hole', 'reset-peer'];
const DIRECTIONS: readonly ToxicDirection[] = ['upstream', 'downstream', 'both'];
/** setTimeout's largest delay; a longer one fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

const PASS_THROUGH: DirectionShaping = { latencyMs: 0, jitterMs: 0, bytesPerMs: undefined, blackHole: false };
export const NO_TOXICS: ResolvedToxics = { upstream: PASS_THROUGH, downstream: PASS_THROUGH, resetPeer: undefined };

/**
 * Checks a toxic list (typed, but it may come from JSON or a CLI flag) and resolves it per direction.
 * Throws one ConfigError listing every problem.
 */
export function resolveToxics(toxics: readonly unknown[]): ResolvedToxics {
  const problems: string[] = [];
  if (!Array.isArray(toxics))
    throw new ConfigError('toxics must be an array of toxic objects', { problems: ['toxics is not an array'] });
  const upstream: MutableShaping = { ...PASS_THROUGH };
  const downstream: MutableShaping = { ...PASS_THROUGH };
  let resetPeer: { afterMs: number } | undefined;
  let blackHoleAt: number | undefined;
  const seen = new Map<string, number>();
  const claim = (key: string, index: number): void => {
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else
      problems.push(`toxics[${index}]: a second ${key} toxic (toxics[${first}] is the first); combine them into one`);
  };

  toxics.forEach((raw, index) => {
    const at = `toxics[${index}]`;
    if (typeof raw !== 'object' || raw === null) {
      problems.push(`${at} must be an object with a kind, got ${JSON.stringify(raw)}`);
      return;
    }
    const toxic = raw as Record<string, unknown>;
    const kind = toxic.kind as ToxicKind;
    if (!KINDS.includes(kind)) {
      problems.push(`${at}.kind must be one of ${KINDS.join(', ')}, got ${JSON.stringify(toxic.kind)}`);
      return;
    }
    const number = (field: string, fallback: number | undefined, rule: 'non-negative' | 'positive'): number => {
      const value = toxic[field] ?? fallback;
      const ok =
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (rule === 'positive' ? value > 0 : value >= 0) &&
        value <= MAX_TIMER_MS;
      if (!ok)
        problems.push(
          `${at}.${field} must be a ${rule} number no larger than ${MAX_TIMER_MS}, got ${JSON.stringify(toxic[field])}`,
        );
      return ok ? (value as number) : 0;
    };
    const directions = (): readonly ('upstream' | 'downstream')[] => {
      const direction = (toxic.direction ?? TOXIC_DEFAULTS.direction) as ToxicDirection;
      if (!DIRECTIONS.includes(direction)) {
        problems.push(
          `${at}.direction must be one of ${DIRECTIONS.join(', ')}, got ${JSON.stringify(toxic.direction)}`,
        );
        return [];
      }
      return direction === 'both' ? ['upstream', 'downstream'] : [direction];
    };
    const target = (direction: 'upstream' | 'downstream') => (direction === 'upstream' ? upstream : downstream);

    switch (kind) {
      case 'latency': {
        const latencyMs = number('latencyMs', undefined, 'non-negative');
        const jitterMs = number('jitterMs', TOXIC_DEFAULTS.jitterMs, 'non-negative');
        if (latencyMs + jitterMs > MAX_TIMER_MS)
          problems.push(`${at}: latencyMs + jitterMs must not exceed ${MAX_TIMER_MS}`);
        for (const direction of directions()) {
          claim(`latency/${direction}`, index);
          Object.assign(target(direction), { latencyMs, jitterMs });
        }
        break;
      }
      case 'bandwidth': {
        const kbPerSecond = number('kbPerSecond', undefined, 'positive');
        for (const direction of directions()) {
          claim(`bandwidth/${direction}`, index);
          target(direction).bytesPerMs = kbPerSecond;
        }
        break;
      }
      case 'black-hole':
        claim('black-hole', index);
        blackHoleAt = index;
        upstream.blackHole = true;
        downstream.blackHole = true;
        break;
      case 'reset-peer':
        claim('reset-peer', index);
        resetPeer = { afterMs: number('afterMs', TOXIC_DEFAULTS.afterMs, 'non-negative') };
        break;
    }
  });
  if (blackHoleAt !== undefined && resetPeer !== undefined) {
    problems.push(
      `toxics[${blackHoleAt}]: black-hole and reset-peer contradict each other (one never closes, the other resets); use one`,
    );
  }
  if (problems.length > 0) {
    throw new ConfigError(
      `invalid toxics (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${problems.join('; ')}`,
      {
        problems,
        hint: 'toxics: { kind: "latency", latencyMs, jitterMs?, direction? } | { kind: "bandwidth", kbPerSecond, direction? } | { kind: "black-hole" } | { kind: "reset-peer", afterMs? }',
      },
    );
  }
  return { upstream, downstream, resetPeer };
}

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
  if (!Array.isArray(toxics))
    throw new ConfigError('toxics must be an array of toxic objects', { problems: ['toxics is not an array'] });
  const resolver = new ToxicResolver();
  toxics.forEach((raw, index) => resolver.add(raw, index));
  return resolver.resolved();
}

/** Folds toxics one by one into the per-direction shaping, collecting every problem on the way. */
class ToxicResolver {
  private readonly problems: string[] = [];
  private readonly upstream: MutableShaping = { ...PASS_THROUGH };
  private readonly downstream: MutableShaping = { ...PASS_THROUGH };
  private resetPeer: { afterMs: number } | undefined;
  private blackHoleAt: number | undefined;
  /** Which toxic (by index) first claimed each kind and direction: a second one is a problem. */
  private readonly seen = new Map<string, number>();

  add(raw: unknown, index: number): void {
    const at = `toxics[${index}]`;
    if (typeof raw !== 'object' || raw === null) {
      this.problems.push(`${at} must be an object with a kind, got ${JSON.stringify(raw)}`);
      return;
    }
    const toxic = raw as Record<string, unknown>;
    const kind = toxic.kind as ToxicKind;
    if (!KINDS.includes(kind)) {
      this.problems.push(`${at}.kind must be one of ${KINDS.join(', ')}, got ${JSON.stringify(toxic.kind)}`);
      return;
    }
    switch (kind) {
      case 'latency':
        this.addLatency(toxic, index);
        break;
      case 'bandwidth': {
        const kbPerSecond = this.number(toxic, index, 'kbPerSecond', undefined, 'positive');
        for (const direction of this.directions(toxic, index)) {
          this.claim(`bandwidth/${direction}`, index);
          this.target(direction).bytesPerMs = kbPerSecond;
        }
        break;
      }
      case 'black-hole':
        this.claim('black-hole', index);
        this.blackHoleAt = index;
        this.upstream.blackHole = true;
        this.downstream.blackHole = true;
        break;
      case 'reset-peer':
        this.claim('reset-peer', index);
        this.resetPeer = { afterMs: this.number(toxic, index, 'afterMs', TOXIC_DEFAULTS.afterMs, 'non-negative') };
        break;
    }
  }

  /** The shaping of every direction, or one ConfigError listing every problem. */
  resolved(): ResolvedToxics {
    const problems = this.problems;
    if (this.blackHoleAt !== undefined && this.resetPeer !== undefined) {
      problems.push(
        `toxics[${this.blackHoleAt}]: black-hole and reset-peer contradict each other (one never closes, the other resets); use one`,
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
    return { upstream: this.upstream, downstream: this.downstream, resetPeer: this.resetPeer };
  }

  private addLatency(toxic: Record<string, unknown>, index: number): void {
    const latencyMs = this.number(toxic, index, 'latencyMs', undefined, 'non-negative');
    const jitterMs = this.number(toxic, index, 'jitterMs', TOXIC_DEFAULTS.jitterMs, 'non-negative');
    if (latencyMs + jitterMs > MAX_TIMER_MS)
      this.problems.push(`toxics[${index}]: latencyMs + jitterMs must not exceed ${MAX_TIMER_MS}`);
    for (const direction of this.directions(toxic, index)) {
      this.claim(`latency/${direction}`, index);
      Object.assign(this.target(direction), { latencyMs, jitterMs });
    }
  }

  private claim(key: string, index: number): void {
    const first = this.seen.get(key);
    if (first === undefined) this.seen.set(key, index);
    else
      this.problems.push(
        `toxics[${index}]: a second ${key} toxic (toxics[${first}] is the first); combine them into one`,
      );
  }

  /** A field's number (its default when absent), or 0 with a problem noted. */
  private number(
    toxic: Record<string, unknown>,
    index: number,
    field: string,
    fallback: number | undefined,
    rule: 'non-negative' | 'positive',
  ): number {
    const value = toxic[field] ?? fallback;
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (rule === 'positive' ? value > 0 : value >= 0) &&
      value <= MAX_TIMER_MS;
    if (!ok)
      this.problems.push(
        `toxics[${index}].${field} must be a ${rule} number no larger than ${MAX_TIMER_MS}, got ${JSON.stringify(toxic[field])}`,
      );
    return ok ? (value as number) : 0;
  }

  private directions(toxic: Record<string, unknown>, index: number): readonly ('upstream' | 'downstream')[] {
    const direction = (toxic.direction ?? TOXIC_DEFAULTS.direction) as ToxicDirection;
    if (!DIRECTIONS.includes(direction)) {
      this.problems.push(
        `toxics[${index}].direction must be one of ${DIRECTIONS.join(', ')}, got ${JSON.stringify(toxic.direction)}`,
      );
      return [];
    }
    return direction === 'both' ? ['upstream', 'downstream'] : [direction];
  }

  private target(direction: 'upstream' | 'downstream'): MutableShaping {
    return direction === 'upstream' ? this.upstream : this.downstream;
  }
}

/**
 * The command operations' commands as RESP for driver=resp, built once per key and reused: a
 * command costs the generator a lookup (and for MGET a few string joins), not an encoding. A key
 * space too large to keep is encoded per command instead, the same bytes either way.
 */

/** Keys whose RESP pieces are kept (strings of ~60 bytes each: a few MB at most). */
const MAX_CACHED_KEYS = 65_536;
/** SET commands kept whole (value included) while all of them fit in this. */
const MAX_CACHED_SET_BYTES = 32 * 1024 * 1024;

const GET_HEAD = '*2\r\n$3\r\nGET\r\n';
const SET_HEAD = '*5\r\n$3\r\nSET\r\n';

/** `$<length>\r\n<key>\r\n`: one ASCII key as a RESP bulk string. */
function bulkKey(key: string): string {
  return `$${key.length}\r\n${key}\r\n`;
}

/** The arguments after the command name of a RESP command written as a string (for error messages). */
export function respCommandArguments(command: string): string[] {
  const lines = command.split('\r\n');
  // *N, then $len and the argument for each: the name at 2, the arguments at 4, 6, ...
  return lines.filter((_, i) => i >= 4 && i % 2 === 0 && i < lines.length - 1);
}

export class RespCommandTable {
  private readonly bulkKeys: (string | undefined)[] = [];
  private readonly gets: (string | undefined)[] = [];
  private readonly sets: (Buffer | undefined)[] = [];
  /** Reused by every mget() (one command is built at a time). */
  private readonly mgetParts: string[] = [];
  private readonly cacheKeys: boolean;
  private readonly cacheSets: boolean;
  /** `$<value length>\r\n<value>\r\n$2\r\nEX\r\n$<n>\r\n<ttl>\r\n`: every SET's part after the key. */
  private readonly setTail: Buffer;

  /**
   * @param keyCount the key space (indexes 0 .. keyCount-1)
   * @param keyOf the ASCII key name of an index
   */
  constructor(
    keyCount: number,
    private readonly keyOf: (index: number) => string,
    value: Buffer,
    ttlSeconds: number,
  ) {
    const ttl = String(ttlSeconds);
    this.setTail = Buffer.concat([
      Buffer.from(`$${value.length}\r\n`),
      value,
      Buffer.from(`\r\n$2\r\nEX\r\n$${ttl.length}\r\n${ttl}\r\n`),
    ]);
    this.cacheKeys = keyCount <= MAX_CACHED_KEYS;
    this.cacheSets = this.cacheKeys && keyCount * (this.setTail.length + 64) <= MAX_CACHED_SET_BYTES;
  }

  private bulk(index: number): string {
    if (!this.cacheKeys) return bulkKey(this.keyOf(index));
    return (this.bulkKeys[index] ??= bulkKey(this.keyOf(index)));
  }

  /** `GET <key>`. */
  get(index: number): string {
    if (!this.cacheKeys) return GET_HEAD + this.bulk(index);
    return (this.gets[index] ??= GET_HEAD + this.bulk(index));
  }

  /**
   * `MGET <key> ...` of `count` keys drawn by `nextIndex`, as one flat string (join: the socket
   * then copies it as it is, where a chain of `+=` would be flattened first).
   */
  mget(count: number, nextIndex: () => number): string {
    const parts = this.mgetParts;
    parts.length = 0;
    parts.push(`*${count + 1}\r\n$4\r\nMGET\r\n`);
    for (let i = 0; i < count; i++) parts.push(this.bulk(nextIndex()));
    return parts.join('');
  }

  /** `SET <key> <value> EX <ttl>`, one Buffer (never written to after it is built: sockets may share it). */
  set(index: number): Buffer {
    if (!this.cacheSets) return this.buildSet(index);
    return (this.sets[index] ??= this.buildSet(index));
  }

  private buildSet(index: number): Buffer {
    const head = SET_HEAD + this.bulk(index);
    const command = Buffer.allocUnsafe(head.length + this.setTail.length);
    command.write(head, 0, 'latin1');
    this.setTail.copy(command, head.length);
    return command;
  }
}

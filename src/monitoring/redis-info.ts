/**
 * Parses the text of Redis INFO into sections of fields. Numeric-looking values become numbers;
 * compound values (`db0:keys=1,expires=1`, `cmdstat_get:calls=...`) become objects.
 */
export type InfoValue = string | number | Readonly<Record<string, string | number>>;
export type RedisInfo = Readonly<Record<string, Readonly<Record<string, InfoValue>>>>;

const NUMERIC = /^-?\d+(\.\d+)?$/;

function parseScalar(raw: string): string | number {
  return NUMERIC.test(raw) ? Number(raw) : raw;
}

function parseCompound(raw: string): Record<string, string | number> | null {
  // Only comma-separated k=v lists are compound; plain values with '=' elsewhere are kept as text.
  const parts = raw.split(',');
  if (!parts.every((p) => /^[a-z_0-9]+=/.test(p))) return null;
  const out: Record<string, string | number> = {};
  for (const part of parts) {
    const eq = part.indexOf('=');
    out[part.slice(0, eq)] = parseScalar(part.slice(eq + 1));
  }
  return out;
}

export function parseRedisInfo(text: string): RedisInfo {
  const sections: Record<string, Record<string, InfoValue>> = {};
  let current: Record<string, InfoValue> = {};
  sections.default = current;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const name = line.slice(1).trim().toLowerCase();
      current = sections[name] ?? {};
      sections[name] = current;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon);
    const raw = line.slice(colon + 1);
    current[key] = parseCompound(raw) ?? parseScalar(raw);
  }
  if (Object.keys(sections.default).length === 0) delete sections.default;
  return sections;
}

/** Looks a field up in whichever section holds it. */
export function infoField(info: RedisInfo, field: string): InfoValue | undefined {
  for (const section of Object.values(info)) {
    if (field in section) return section[field];
  }
  return undefined;
}

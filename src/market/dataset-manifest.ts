import { randomBytes } from 'node:crypto';
import { readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * `<dir>/manifest.json` describes a complete dataset. It is written last, after every data file,
 * and removed first when regenerating, so its presence means "generation finished".
 */
export const MANIFEST_FILE = 'manifest.json';

/** Bump when the generator or the file layout changes, so old datasets are regenerated. */
export const DATASET_FORMAT_VERSION = 1;

export interface DatasetParams {
  readonly symbols: readonly string[];
  /** ISO dates, inclusive. */
  readonly startDate: string;
  readonly endDate: string;
  readonly seed: number;
}

export interface DatasetManifest extends DatasetParams {
  readonly formatVersion: number;
  readonly tradingDays: number;
  /** Size in bytes of each symbol's file, to catch missing or truncated files cheaply. */
  readonly fileBytes: Readonly<Record<string, number>>;
}

/** The manifest if present and well-formed; undefined when absent or unparseable (treated as "regenerate"). */
export async function readManifest(dir: string): Promise<DatasetManifest | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dir, MANIFEST_FILE), 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const value: unknown = JSON.parse(text);
    return isManifest(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export async function writeManifest(dir: string, manifest: DatasetManifest): Promise<void> {
  const target = path.join(dir, MANIFEST_FILE);
  const temp = path.join(dir, `.${MANIFEST_FILE}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

export async function removeManifest(dir: string): Promise<void> {
  await unlink(path.join(dir, MANIFEST_FILE)).catch((error: unknown) => {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
  });
}

export function manifestMatches(manifest: DatasetManifest, params: DatasetParams): boolean {
  return (
    manifest.formatVersion === DATASET_FORMAT_VERSION &&
    manifest.seed === params.seed &&
    manifest.startDate === params.startDate &&
    manifest.endDate === params.endDate &&
    manifest.symbols.length === params.symbols.length &&
    manifest.symbols.every((symbol, i) => symbol === params.symbols[i])
  );
}

/** True when every file the manifest lists exists with the recorded size. */
export async function manifestFilesPresent(
  manifest: DatasetManifest,
  fileOf: (symbol: string) => string,
): Promise<boolean> {
  for (const symbol of manifest.symbols) {
    const size = await stat(fileOf(symbol)).then(
      (stats) => (stats.isFile() ? stats.size : -1),
      () => -1,
    );
    if (size !== manifest.fileBytes[symbol]) return false;
  }
  return true;
}

function isManifest(value: unknown): value is DatasetManifest {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.formatVersion === 'number' &&
    typeof record.seed === 'number' &&
    typeof record.startDate === 'string' &&
    typeof record.endDate === 'string' &&
    typeof record.tradingDays === 'number' &&
    Array.isArray(record.symbols) &&
    record.symbols.every((symbol) => typeof symbol === 'string') &&
    typeof record.fileBytes === 'object' &&
    record.fileBytes !== null
  );
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageJson = JSON.parse(
  readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json'), 'utf8'),
) as { name: string; version: string };

export const TOOL_NAME: string = packageJson.name;
export const TOOL_VERSION: string = packageJson.version;

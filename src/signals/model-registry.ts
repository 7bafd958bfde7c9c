import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DataFileError } from '../errors.ts';
import { ALPHA158_NAMES } from '../features/alpha158-names.ts';
import { LinearModel } from './linear-model.ts';

/** The model committed with the code, resolved next to this module (independent of the working directory). */
export const DEFAULT_MODEL_PATH = fileURLToPath(new URL('./models/alpha158-linear-v1.json', import.meta.url));

export const LINEAR_MODEL_FORMAT = 'rpb-linear-model';

const modelFileSchema = z
  .object({
    format: z.literal(LINEAR_MODEL_FORMAT),
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a semantic version like 1.0.0'),
    name: z.string().min(1),
    feature_names: z.array(z.string()),
    // z.number() rejects NaN and ±Infinity (JSON.parse turns 1e999 into Infinity).
    weights: z.array(z.number()),
    bias: z.number(),
    nan_policy: z.literal('zero'),
  })
  .strict();

export type LinearModelFile = z.infer<typeof modelFileSchema>;

/** Loads versioned model files; every problem is reported at once, as a DataFileError naming the file. */
export class ModelRegistry {
  static async load(path: string = DEFAULT_MODEL_PATH): Promise<LinearModel> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new DataFileError(
        path,
        code === 'ENOENT' ? 'Model file not found' : `Model file unreadable (${code ?? String(error)})`,
        { cause: error },
      );
    }
    return ModelRegistry.parse(text, path);
  }

  /** Validates a model file's text; `path` only names it in errors. */
  static parse(text: string, path: string): LinearModel {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new DataFileError(
        path,
        `Model file is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    const parsed = modelFileSchema.safeParse(json);
    const problems = parsed.success
      ? []
      : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    // The feature checks run even when the schema failed elsewhere, so every problem is named at once.
    const raw = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
    if (Array.isArray(raw.feature_names) && Array.isArray(raw.weights))
      problems.push(...featureProblems(raw.feature_names, raw.weights.length));
    if (!parsed.success || problems.length > 0)
      throw new DataFileError(path, `Invalid model file: ${problems.join('; ')}`);
    const file = parsed.data;
    return new LinearModel({
      name: file.name,
      version: file.version,
      featureNames: file.feature_names,
      weights: Float64Array.from(file.weights),
      bias: file.bias,
    });
  }
}

function featureProblems(names: readonly unknown[], weightCount: number): string[] {
  const problems: string[] = [];
  if (names.length !== ALPHA158_NAMES.length) {
    problems.push(`feature_names: ${names.length} names, expected the ${ALPHA158_NAMES.length} Alpha158 features`);
  } else {
    const mismatch = names.findIndex((name, i) => name !== ALPHA158_NAMES[i]);
    if (mismatch !== -1) {
      problems.push(
        `feature_names[${mismatch}]: ${JSON.stringify(names[mismatch])}, expected ${JSON.stringify(ALPHA158_NAMES[mismatch])} (names must follow the Alpha158 order)`,
      );
    }
  }
  if (weightCount !== names.length) problems.push(`weights: ${weightCount} weights for ${names.length} feature_names`);
  return problems;
}

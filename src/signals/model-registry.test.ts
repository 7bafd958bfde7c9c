import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataFileError } from '../errors.ts';
import { ALPHA158_NAMES } from '../features/alpha158-names.ts';
import { DEFAULT_MODEL_PATH, ModelRegistry } from './model-registry.ts';

const committed = JSON.parse(readFileSync(DEFAULT_MODEL_PATH, 'utf8')) as Record<string, unknown> & {
  weights: number[];
  feature_names: string[];
};

function problemOf(mutate: (file: typeof committed) => unknown): string {
  const file = structuredClone(committed);
  const text = JSON.stringify(mutate(file) ?? file);
  try {
    ModelRegistry.parse(text, '/models/broken.json');
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as DataFileError).path).toBe('/models/broken.json');
    return (error as Error).message;
  }
  throw new Error('expected the model to be rejected');
}

describe('ModelRegistry.load', () => {
  it('loads the committed model', async () => {
    const model = await ModelRegistry.load();
    expect(model.name).toBe('alpha158-linear');
    expect(model.version).toBe('1.0.0');
    expect(model.id).toBe('alpha158-linear@1.0.0');
    expect(model.featureNames).toEqual(ALPHA158_NAMES);
  });

  it('names a missing file', async () => {
    await expect(ModelRegistry.load('/nonexistent/model.json')).rejects.toThrow(
      /Model file not found \(\/nonexistent\/model.json\)/,
    );
  });

  it('rejects bad JSON', () => {
    expect(() => ModelRegistry.parse('{"format": ', 'm.json')).toThrow(/not valid JSON/);
  });

  it.each<[string, (f: typeof committed) => unknown, RegExp]>([
    [
      'a wrong feature count',
      (f) => {
        f.feature_names.pop();
        f.weights.pop();
      },
      /feature_names: 157 names, expected the 158 Alpha158 features/,
    ],
    [
      'names out of order',
      (f) => {
        [f.feature_names[0], f.feature_names[1]] = [f.feature_names[1]!, f.feature_names[0]!];
      },
      /feature_names\[0\]: "KLEN", expected "KMID"/,
    ],
    [
      'a misspelt name',
      (f) => {
        f.feature_names[20] = 'ma5';
      },
      /feature_names\[20\]: "ma5"/,
    ],
    [
      'fewer weights than names',
      (f) => {
        f.weights.pop();
      },
      /weights: 157 weights for 158 feature_names/,
    ],
    [
      'a null weight',
      (f) => {
        (f.weights as unknown[])[5] = null;
      },
      /weights\.5/,
    ],
    [
      'another format',
      (f) => {
        f.format = 'onnx';
      },
      /format/,
    ],
    [
      'a bad version',
      (f) => {
        f.version = 'v1';
      },
      /version: must be a semantic version/,
    ],
    [
      'an unknown nan_policy',
      (f) => {
        f.nan_policy = 'drop';
      },
      /nan_policy/,
    ],
    [
      'an unexpected field',
      (f) => {
        f.extra = 1;
      },
      /extra/,
    ],
    [
      'a missing bias',
      (f) => {
        delete f.bias;
      },
      /bias/,
    ],
  ])('rejects %s, naming the problem', (_, mutate, message) => {
    expect(problemOf(mutate)).toMatch(message);
  });

  it('rejects a non-finite weight, naming it', () => {
    // JSON.stringify cannot write Infinity, but JSON.parse reads 1e999 as Infinity: edit the text.
    const text = JSON.stringify(committed).replace(/"weights":\[[^,]+,/, '"weights":[1e999,');
    expect(() => ModelRegistry.parse(text, 'm.json')).toThrow(/weights\.0/);
  });

  it('reports several problems at once', () => {
    const message = problemOf((f) => {
      f.format = 'x';
      f.version = 'y';
      f.feature_names[3] = 'KUPP';
    });
    expect(message).toMatch(/format.*version.*feature_names\[3\]: "KUPP"/);
  });
});

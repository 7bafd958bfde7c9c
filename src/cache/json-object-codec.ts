import { ALPHA158_NAMES } from '../features/alpha158-names.ts';
import type { FeatureCodec } from './codec.ts';
import { FeatureDecodeError } from './codec.ts';
import { decodeJsonNumber, encodeJsonNumber, parseJsonPayload } from './json-number.ts';

/**
 * The document's own format: `json.dumps(features)` of a dict with the 158 feature names as keys,
 * e.g. `{"KMID":0.0123,"KLEN":0.031,...}` (the document: "dict with 158 floats ... ~5KB JSON string").
 * Numbers follow the same exact round-trip rules as the array codec (json-number.ts). A payload whose
 * keys are not exactly the 158 names is malformed: a vector is never assembled from a partial dict.
 */
export function createJsonObjectCodec(names: readonly string[]): FeatureCodec {
  const quotedNames = names.map((name) => JSON.stringify(name));
  return Object.freeze({
    name: 'json-object',
    tag: 2,
    encode(features: Float64Array): Buffer {
      if (features.length !== names.length)
        throw new RangeError(`json-object codec: ${features.length} features for ${names.length} names`);
      const parts = new Array<string>(features.length);
      for (let i = 0; i < features.length; i++) parts[i] = `${quotedNames[i]}:${encodeJsonNumber(features[i]!)}`;
      return Buffer.from(`{${parts.join(',')}}`, 'utf8');
    },
    decode(payload: Buffer): Float64Array {
      const parsed = parseJsonPayload(payload);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new FeatureDecodeError(
          'malformed',
          `expected a JSON object of features, got ${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : typeof parsed}`,
        );
      }
      const record = parsed as Record<string, unknown>;
      const keyCount = Object.keys(record).length;
      const features = new Float64Array(names.length);
      for (let i = 0; i < names.length; i++) {
        const name = names[i]!;
        if (!Object.hasOwn(record, name))
          throw new FeatureDecodeError(
            'malformed',
            `feature ${name} is missing (${keyCount} keys, expected ${names.length})`,
          );
        features[i] = decodeJsonNumber(record[name], name);
      }
      if (keyCount !== names.length)
        throw new FeatureDecodeError(
          'malformed',
          `${keyCount} keys, expected exactly the ${names.length} feature names`,
        );
      return features;
    },
  });
}

/** The Alpha158 instance: the document's own format (the service stores the compact json-array by default). */
export const jsonObjectCodec: FeatureCodec = createJsonObjectCodec(ALPHA158_NAMES);

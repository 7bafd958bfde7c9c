import { ConfigError } from '../errors.ts';
import type { KeyDistribution } from './key-distribution-spec.ts';
import {
  KEY_DISTRIBUTION_FORMS,
  KEY_DISTRIBUTION_HINT,
  constantProblems,
  fractionProblems,
} from './key-distribution-spec.ts';

const DECIMAL = /^\+?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Reads the CLI form: uniform, zipfian, zipfian:0.8, scrambled-zipfian[:THETA], hotspot:0.2:0.8
 * (data fraction : operation fraction), latest, latest:0.99, sequential. Every problem with the
 * text is reported at once; the item count is checked later, by createKeyChooser.
 */
export function parseKeyDistribution(text: string): KeyDistribution {
  const problems: string[] = [];
  const [kind = '', ...parameters] = text.trim().split(':');
  const expectParameters = (min: number, max: number): void => {
    if (parameters.length >= min && parameters.length <= max) return;
    const expected = max === 0 ? 'no parameters' : min === max ? `${min} parameters` : `at most ${max} parameter`;
    problems.push(`${kind} takes ${expected}, got ${parameters.length}`);
  };
  const readNumber = (name: string, index: number, check: (value: number) => string[]): number => {
    const parameter = parameters[index];
    // A missing parameter is already reported by expectParameters.
    if (parameter === undefined) return Number.NaN;
    const raw = parameter.trim();
    if (!DECIMAL.test(raw)) {
      problems.push(`${name} '${raw}' is not a number`);
      return Number.NaN;
    }
    const value = Number(raw);
    problems.push(...check(value));
    return value;
  };

  let distribution: KeyDistribution | undefined;
  switch (kind) {
    case 'uniform':
    case 'sequential':
      expectParameters(0, 0);
      distribution = { kind };
      break;
    case 'zipfian':
    case 'scrambled-zipfian':
    case 'latest':
      expectParameters(0, 1);
      distribution =
        parameters.length === 0 ? { kind } : { kind, constant: readNumber('constant', 0, constantProblems) };
      break;
    case 'hotspot':
      expectParameters(2, 2);
      distribution = {
        kind,
        hotDataFraction: readNumber('hotDataFraction', 0, (value) => fractionProblems('hotDataFraction', value)),
        hotOperationFraction: readNumber('hotOperationFraction', 1, (value) =>
          fractionProblems('hotOperationFraction', value),
        ),
      };
      break;
    default:
      problems.push(`unknown distribution '${kind}'; accepted forms: ${KEY_DISTRIBUTION_FORMS.join(', ')}`);
  }
  if (distribution === undefined || problems.length > 0) {
    throw new ConfigError(`invalid key distribution '${text}': ${problems.join('; ')}`, {
      problems,
      hint: KEY_DISTRIBUTION_HINT,
    });
  }
  return distribution;
}

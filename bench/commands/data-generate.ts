import path from 'node:path';
import { DEFAULT_DATASET, DatasetOptionsError, generateDataset } from '../../src/market/dataset.ts';
import { isIsoDate, tradingDaysBetween } from '../../src/market/trading-calendar.ts';
import { ConfigError, InfraError } from '../errors.ts';

function integerOption(name: string, raw: unknown, min: number, problems: string[]): number {
  const text = String(raw);
  if (!/^\d{1,9}$/.test(text) || Number(text) < min) {
    problems.push(`--${name} ${JSON.stringify(text)}: expected an integer >= ${min}`);
    return Number.NaN;
  }
  return Number(text);
}

/** `rpb data generate`: returns the line to print. */
export async function runDataGenerate(options: Record<string, unknown>): Promise<string> {
  const problems: string[] = [];
  const symbolCount = integerOption('symbols', options.symbols ?? DEFAULT_DATASET.symbols.length, 1, problems);
  const days = integerOption(
    'days',
    options.days ?? tradingDaysBetween(DEFAULT_DATASET.startDate, DEFAULT_DATASET.endDate).length,
    1,
    problems,
  );
  const seed = integerOption('seed', options.seed ?? DEFAULT_DATASET.seed, 0, problems);
  const endDate = String(options.endDate ?? DEFAULT_DATASET.endDate);
  if (!isIsoDate(endDate))
    problems.push(`--end-date ${JSON.stringify(endDate)}: expected a real calendar date as YYYY-MM-DD`);
  if (problems.length > 0)
    throw new ConfigError('invalid options for rpb data generate', {
      problems,
      hint: 'see `rpb data generate --help`',
    });
  const dir = path.resolve(String(options.dir));
  try {
    const started = Date.now();
    const info = await generateDataset({ dir, symbolCount, days, seed, endDate, force: options.force === true });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const verb = info.generated ? `generated in ${seconds} s` : 'already present (reused; --force regenerates)';
    return `${info.symbols.length} symbols x ${info.tradingDays} trading days (${info.startDate} .. ${info.endDate}, seed ${info.seed}), ${(info.bytesOnDisk / 1e6).toFixed(1)} MB in ${info.dir}: ${verb}`;
  } catch (error) {
    if (error instanceof DatasetOptionsError) {
      // src names its parameters; the user typed options.
      const asOption = (problem: string): string =>
        problem
          .replace(/^symbolCount\b/, '--symbols')
          .replace(/^days\b/, '--days')
          .replace(/^seed\b/, '--seed')
          .replace(/^endDate\b/, '--end-date')
          .replace(/^dir\b/, '--dir');
      throw new ConfigError('invalid options for rpb data generate', {
        problems: error.problems.map(asOption),
        hint: 'see `rpb data generate --help`',
      });
    }
    throw new InfraError(`could not write the data set to ${dir}: ${(error as Error).message}`, {
      hint: 'check that the folder is writable and has free space',
      cause: error,
    });
  }
}

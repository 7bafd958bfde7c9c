import { SignalInputError } from '../errors.ts';

/**
 * A simplified exchange calendar: Monday to Friday, minus New Year's Day (Jan 1), Independence
 * Day (Jul 4) and Christmas (Dec 25) when they fall on a weekday. No observed-holiday shifting,
 * no Easter or floating holidays: the synthetic data needs a plausible, stable calendar, not NYSE's.
 *
 * All arithmetic is on UTC epoch days (days since 1970-01-01) so that the local time zone and DST
 * never shift a date.
 */

const ISO_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True for a real calendar date written YYYY-MM-DD (rejects 2025-02-30, 2025-2-3, ...). */
export function isIsoDate(text: string): boolean {
  return parseIsoDate(text) !== undefined;
}

/** Throws SignalInputError('invalid-date') naming `what` unless `text` is a valid YYYY-MM-DD date. */
export function assertIsoDate(text: string, what = 'date'): void {
  if (!isIsoDate(text)) throw invalidDateError(text, what);
}

/** Days since 1970-01-01 (UTC) for a valid ISO date; throws SignalInputError('invalid-date') otherwise. */
export function isoToEpochDay(text: string, what = 'date'): number {
  const day = parseIsoDate(text);
  if (day === undefined) throw invalidDateError(text, what);
  return day;
}

/** ISO date for an epoch day (civil_from_days, Howard Hinnant, http://howardhinnant.github.io/date_algorithms.html). */
export function epochDayToIso(epochDay: number): string {
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const yearText = year >= 1000 ? String(year) : String(year).padStart(4, '0');
  return `${yearText}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** True when the exchange (as simplified above) is open on this epoch day. */
export function isTradingEpochDay(epochDay: number): boolean {
  const weekday = (((epochDay + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  if (weekday === 0 || weekday === 6) return false;
  const monthDay = epochDayToIso(epochDay).slice(5);
  return monthDay !== '01-01' && monthDay !== '07-04' && monthDay !== '12-25';
}

/** True when `isoDate` (validated) is a trading day. */
export function isTradingDay(isoDate: string): boolean {
  return isTradingEpochDay(isoToEpochDay(isoDate));
}

/** Trading days from `startDate` to `endDate`, both inclusive, oldest first. */
export function tradingDaysBetween(startDate: string, endDate: string): string[] {
  const first = isoToEpochDay(startDate, 'startDate');
  const last = isoToEpochDay(endDate, 'endDate');
  if (first > last) {
    throw new SignalInputError('invalid-date', `startDate ${startDate} is after endDate ${endDate}`);
  }
  const days: string[] = [];
  for (let day = first; day <= last; day++) {
    if (isTradingEpochDay(day)) days.push(epochDayToIso(day));
  }
  return days;
}

/** The `count` trading days ending at `endDate` (included when it is a trading day), oldest first. */
export function tradingDaysEndingAt(endDate: string, count: number): string[] {
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new RangeError(`count must be a positive integer, got ${count}`);
  }
  const days: string[] = new Array<string>(count);
  let filled = 0;
  for (let day = isoToEpochDay(endDate, 'endDate'); filled < count; day--) {
    if (isTradingEpochDay(day)) days[count - 1 - filled++] = epochDayToIso(day);
  }
  return days;
}

function invalidDateError(text: unknown, what: string): SignalInputError {
  return new SignalInputError(
    'invalid-date',
    `${what} ${JSON.stringify(text)} is not a valid ISO date (expected YYYY-MM-DD, a real calendar date)`,
  );
}

function parseIsoDate(text: string): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = ISO_DATE_PATTERN.exec(text);
  if (match === null) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const check = new Date(0);
  check.setUTCFullYear(year, month - 1, day);
  // An impossible date (2025-02-30) rolls over into the next month; the round trip exposes it.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day)
    return undefined;
  return Math.round(check.getTime() / MS_PER_DAY);
}

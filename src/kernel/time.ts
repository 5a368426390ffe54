/**
 * Instants are kept as whole microseconds since the Unix epoch, the precision of Python's
 * datetime, so nothing the runtime sends is rounded away. They are rendered the way pydantic v2
 * renders an aware UTC datetime: `2026-11-23T20:18:37Z`, or `2026-11-23T20:18:37.250000Z` when
 * there is a fraction.
 *
 * The service accepts only instants from EARLIEST_INSTANT to LATEST_INSTANT (after applying the
 * offset): a JS number holds microseconds exactly only within ±2^53 (about 1684 to 2255), and
 * both stores keep every instant of that range to the microsecond, so what is accepted reads back
 * exactly on either store. Anything outside is refused at the door rather than rounded, shown
 * as a six-digit year, or refused by PostgreSQL halfway through a write.
 */
export type Micros = number;

export const EARLIEST_INSTANT_TEXT = '1700-01-01T00:00:00Z';
export const LATEST_INSTANT_TEXT = '2199-12-31T23:59:59.999999Z';
export const EARLIEST_INSTANT: Micros = Date.UTC(1700, 0, 1) * 1000;
export const LATEST_INSTANT: Micros = Date.UTC(2200, 0, 1) * 1000 - 1;

/** Why a text is not an instant the service accepts. */
export type InstantError = 'not_a_date_time' | 'too_early' | 'too_late';

export type InstantReading = { ok: true; micros: Micros } | { ok: false; error: InstantError };

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/** Reads an ISO 8601 / RFC 3339 date-time with an explicit offset, within the accepted range. */
export function readInstant(text: string): InstantReading {
  const m = RFC3339.exec(text);
  if (!m) return { ok: false, error: 'not_a_date_time' };
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, oh, om] = m;
  const offsetHours = zulu ? 0 : Number(oh);
  const offsetMinutes = zulu ? 0 : Number(om);
  if (offsetHours > 23 || offsetMinutes > 59 || Number(y) < 1) return { ok: false, error: 'not_a_date_time' };
  const offsetSeconds = (sign === '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
  const micros = civilMicros(
    Number(y),
    Number(mo),
    Number(d),
    Number(h),
    Number(mi),
    Number(s),
    fraction,
    offsetSeconds,
  );
  if (micros === undefined) return { ok: false, error: 'not_a_date_time' };
  if (micros < EARLIEST_INSTANT) return { ok: false, error: 'too_early' };
  if (micros > LATEST_INSTANT) return { ok: false, error: 'too_late' };
  return { ok: true, micros };
}

/** An accepted instant's microseconds; undefined when the text is not one (see readInstant). */
export function parseInstant(text: string): Micros | undefined {
  const reading = readInstant(text);
  return reading.ok ? reading.micros : undefined;
}

const STORED =
  /^(\d{4,})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?)?( BC)?$/;
const DATE_LIMIT: Micros = 8.64e18; // the furthest instant a JS Date (and so formatInstant) renders

/**
 * Reads an instant a store already holds (PostgreSQL's timestamptz text, `2026-11-20 10:00:04.5+00`),
 * with no range check: a value written before the range was enforced must still read, never
 * throw. Years past 9999, BC years and `infinity` read as the nearest instant formatInstant
 * renders. Undefined only for text that is no date-time at all.
 */
export function parseAnyInstant(text: string): Micros | undefined {
  if (text === 'infinity') return DATE_LIMIT;
  if (text === '-infinity') return -DATE_LIMIT;
  const m = STORED.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction, , sign, oh, om, os, bc] = m;
  const year = bc ? 1 - Number(y) : Number(y);
  const offsetSeconds = (sign === '-' ? -1 : 1) * (Number(oh ?? 0) * 3600 + Number(om ?? 0) * 60 + Number(os ?? 0));
  const micros = civilMicros(year, Number(mo), Number(d), Number(h), Number(mi), Number(s), fraction, offsetSeconds);
  return micros === undefined ? undefined : Math.min(DATE_LIMIT, Math.max(-DATE_LIMIT, micros));
}

export function formatInstant(micros: Micros): string {
  const fraction = ((micros % 1_000_000) + 1_000_000) % 1_000_000;
  const iso = new Date((micros - fraction) / 1000).toISOString();
  const whole = iso.slice(0, iso.lastIndexOf('.')); // a year past 9999 is written with six digits
  return fraction === 0 ? `${whole}Z` : `${whole}.${String(fraction).padStart(6, '0')}Z`;
}

export function nowMicros(): Micros {
  return Date.now() * 1000;
}

/** Microseconds since the epoch of a proleptic Gregorian date and time; undefined if no such day. */
function civilMicros(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  fraction: string | undefined,
  offsetSeconds: number,
): Micros | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const seconds = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds;
  const micros = fraction ? Number(fraction.padEnd(6, '0').slice(0, 6)) : 0;
  return seconds * 1_000_000 + micros;
}

/** Days since 1970-01-01 of a proleptic Gregorian date, any year (Howard Hinnant's algorithm). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
}

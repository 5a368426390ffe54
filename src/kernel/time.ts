/**
 * Instants are kept as whole microseconds since the Unix epoch (a JS number holds them exactly
 * until the year 2255), the precision of Python's datetime, so nothing the runtime sends is
 * rounded away. They are rendered the way pydantic v2 renders an aware UTC datetime:
 * `2026-11-23T20:18:37Z`, or `2026-11-23T20:18:37.250000Z` when there is a fraction.
 */
export type Micros = number;

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/** Parses an ISO 8601 / RFC 3339 date-time with an explicit offset; undefined when it is not one. */
export function parseInstant(text: string): Micros | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (!zulu) {
    const offsetHours = Number(oh);
    const offsetMins = Number(om);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  if (year < 1) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // Date.UTC would read years below 100 as 19xx
  date.setUTCHours(hour, minute, second, 0);
  const epochMs = date.getTime() - offsetMinutes * 60_000;
  const micros = fraction ? Number(fraction.padEnd(6, '0').slice(0, 6)) : 0;
  return epochMs * 1000 + micros;
}

export function formatInstant(micros: Micros): string {
  const fraction = ((micros % 1_000_000) + 1_000_000) % 1_000_000;
  const whole = new Date((micros - fraction) / 1000).toISOString().slice(0, 19);
  return fraction === 0 ? `${whole}Z` : `${whole}.${String(fraction).padStart(6, '0')}Z`;
}

export function nowMicros(): Micros {
  return Date.now() * 1000;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

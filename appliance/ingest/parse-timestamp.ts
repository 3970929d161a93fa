/**
 * Event-time parsing shared by the event, actual and point validators. Accepts an RFC 3339
 * date-time string or a number of epoch milliseconds, limited to the years 1970 to 9999 UTC.
 */

/** 1970-01-01T00:00:00.000Z. */
export const MIN_TIMESTAMP_MS = 0;
/** 9999-12-31T23:59:59.999Z. */
export const MAX_TIMESTAMP_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export type TimestampResult = { ok: true; ms: number } | { ok: false; reason: string };

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
const LONG_YEAR = /^[+-]?\d{5,}-/;
const FIX = 'send an RFC 3339 string such as "2024-05-01T12:00:00Z" or epoch milliseconds';

/** Parses an event time into epoch milliseconds, or returns why it is invalid and the fix. */
export function parseTimestamp(value: unknown): TimestampResult {
  if (typeof value === 'number') {
    return fromEpochMs(value);
  }
  if (typeof value === 'string') {
    return fromRfc3339(value);
  }
  if (value === undefined || value === null) {
    return { ok: false, reason: `timestamp is missing: ${FIX}` };
  }
  return { ok: false, reason: `timestamp must be a string or a number: ${FIX}` };
}

function fromEpochMs(value: number): TimestampResult {
  if (!Number.isFinite(value)) {
    return { ok: false, reason: `timestamp is not a finite number: ${FIX}` };
  }
  if (value < MIN_TIMESTAMP_MS || value > MAX_TIMESTAMP_MS) {
    return { ok: false, reason: `${outOfRange()}, given as epoch milliseconds` };
  }
  return { ok: true, ms: Math.floor(value) };
}

function fromRfc3339(text: string): TimestampResult {
  const match = RFC3339.exec(text);
  if (match === null) {
    if (LONG_YEAR.test(text)) {
      return { ok: false, reason: outOfRange() };
    }
    return { ok: false, reason: `timestamp is not an RFC 3339 date-time: ${FIX}` };
  }

  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as number[];
  // Date.UTC maps years 0 to 99 onto 1900 to 1999, so early years are rejected before it runs.
  if (year! < 1969) {
    return { ok: false, reason: outOfRange() };
  }
  const fraction = match[7] === undefined ? 0 : Math.floor(Number(match[7]) * 1000);
  if (!isValidDate(year!, month!, day!) || hour! > 23 || minute! > 59 || second! > 60) {
    return { ok: false, reason: `timestamp has an impossible date or time: ${FIX}` };
  }

  // A leap second (:60) is folded into the last millisecond of its minute, as JavaScript
  // dates cannot represent it.
  const wholeSeconds = Math.min(second!, 59);
  const leapMs = second === 60 ? 999 : fraction;
  const local = Date.UTC(year!, month! - 1, day!, hour!, minute!, wholeSeconds, leapMs);
  const offset = offsetMs(match[8]!);
  if (offset === null) {
    return { ok: false, reason: `timestamp has an invalid UTC offset: ${FIX}` };
  }
  const ms = local - offset;
  if (ms < MIN_TIMESTAMP_MS || ms > MAX_TIMESTAMP_MS) {
    return { ok: false, reason: outOfRange() };
  }
  return { ok: true, ms };
}

function isValidDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) {
    return false;
  }
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

function offsetMs(zone: string): number | null {
  if (zone === 'Z' || zone === 'z') {
    return 0;
  }
  const sign = zone.startsWith('-') ? -1 : 1;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  if (hours > 23 || minutes > 59) {
    return null;
  }
  return sign * (hours * 60 + minutes) * 60_000;
}

function outOfRange(): string {
  return 'timestamp is outside the supported years 1970 to 9999 (UTC): send a time in that range';
}

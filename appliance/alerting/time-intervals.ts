import type { TimeIntervalConfig, TimeRangeSpec } from '../config/config.ts';

/** Calendar fields of one instant in one time zone. */
interface LocalTime {
  year: number;
  /** 1 = January. */
  month: number;
  day: number;
  /** 0 = Sunday. */
  weekday: number;
  /** Minutes since local midnight. */
  minute: number;
  daysInMonth: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * Named time intervals, as Alertmanager's `time_intervals`: an instant is inside a named
 * interval when any of its entries matches, and an entry matches when every field it gives
 * matches. Local fields come from `Intl.DateTimeFormat` in the entry's IANA `location`.
 */
export class TimeIntervals {
  readonly #byName: Map<string, TimeRangeSpec[]>;

  constructor(intervals: readonly TimeIntervalConfig[]) {
    this.#byName = new Map(intervals.map((interval) => [interval.name, interval.intervals]));
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** True when `time` (epoch ms) is inside any of the named intervals. Unknown names never match. */
  contains(names: readonly string[], time: number): boolean {
    return names.some((name) => (this.#byName.get(name) ?? []).some((spec) => inSpec(spec, time)));
  }
}

function inSpec(spec: TimeRangeSpec, time: number): boolean {
  const local = localTime(time, spec.location);

  if (
    spec.times &&
    !spec.times.some((t) => local.minute >= t.startMinute && local.minute < t.endMinute)
  ) {
    return false;
  }
  if (spec.weekdays && !inRanges(spec.weekdays, local.weekday)) return false;
  if (spec.months && !inRanges(spec.months, local.month)) return false;
  if (spec.years && !inRanges(spec.years, local.year)) return false;
  if (spec.daysOfMonth) {
    const resolved = spec.daysOfMonth.map(
      ([from, to]) => [dayOfMonth(from, local), dayOfMonth(to, local)] as [number, number],
    );
    if (!inRanges(resolved, local.day)) return false;
  }
  return true;
}

/** Maps a negative day (-1 = last) to its day number in the month of `local`. */
function dayOfMonth(day: number, local: LocalTime): number {
  return day < 0 ? local.daysInMonth + day + 1 : day;
}

function inRanges(ranges: readonly [number, number][], value: number): boolean {
  return ranges.some(([from, to]) => value >= from && value <= to);
}

/** Calendar fields of `time` in `zone`; throws RangeError for an unknown zone (checked at load). */
export function localTime(time: number, zone: string): LocalTime {
  let format = formats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
    });
    formats.set(zone, format);
  }

  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(new Date(time))) parts[part.type] = part.value;
  const year = Number(parts.year);
  const month = Number(parts.month);
  return {
    year,
    month,
    day: Number(parts.day),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
    minute: Number(parts.hour) * 60 + Number(parts.minute),
    daysInMonth: new Date(Date.UTC(year, month, 0)).getUTCDate(),
  };
}

/** True when `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

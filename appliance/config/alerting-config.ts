import type {
  InhibitRuleConfig,
  RouteConfig,
  TimeIntervalConfig,
  TimeRangeSpec,
} from './config.ts';
import { parseDuration } from './duration.ts';

/**
 * Builds the `alerting.route`, `inhibit_rules` and `time_intervals` sections from schema-valid
 * YAML data (snake_case keys, as in Alertmanager's configuration).
 */
type Section = Record<string, unknown>;

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

export function buildRouteConfig(raw: Section): RouteConfig {
  return {
    ...(typeof raw.receiver === 'string' ? { receiver: raw.receiver } : {}),
    ...(Array.isArray(raw.group_by) ? { groupBy: raw.group_by as string[] } : {}),
    matchers: (raw.matchers as string[] | undefined) ?? [],
    continue: raw.continue === true,
    ...optionalDuration('groupWaitMs', raw.group_wait),
    ...optionalDuration('groupIntervalMs', raw.group_interval),
    ...optionalDuration('repeatIntervalMs', raw.repeat_interval),
    muteTimeIntervals: (raw.mute_time_intervals as string[] | undefined) ?? [],
    activeTimeIntervals: (raw.active_time_intervals as string[] | undefined) ?? [],
    routes: ((raw.routes as Section[] | undefined) ?? []).map(buildRouteConfig),
  };
}

export function buildInhibitRule(raw: Section): InhibitRuleConfig {
  return {
    sourceMatchers: (raw.source_matchers as string[] | undefined) ?? [],
    targetMatchers: (raw.target_matchers as string[] | undefined) ?? [],
    equal: (raw.equal as string[] | undefined) ?? [],
  };
}

export function buildTimeInterval(raw: Section): TimeIntervalConfig {
  return {
    name: raw.name as string,
    intervals: (raw.time_intervals as Section[]).map(buildTimeRange),
  };
}

function buildTimeRange(raw: Section): TimeRangeSpec {
  const spec: TimeRangeSpec = { location: (raw.location as string | undefined) ?? 'UTC' };
  if (Array.isArray(raw.times)) {
    spec.times = (raw.times as Section[]).map((t) => ({
      startMinute: minutes(t.start_time as string),
      endMinute: minutes(t.end_time as string),
    }));
  }
  if (Array.isArray(raw.weekdays)) spec.weekdays = ranges(raw.weekdays, (v) => WEEKDAYS.indexOf(v));
  if (Array.isArray(raw.days_of_month)) spec.daysOfMonth = ranges(raw.days_of_month, Number);
  if (Array.isArray(raw.months)) spec.months = ranges(raw.months, monthNumber);
  if (Array.isArray(raw.years)) spec.years = ranges(raw.years, Number);
  return spec;
}

function minutes(text: string): number {
  const [hours, mins] = text.split(':').map(Number) as [number, number];
  return hours * 60 + mins;
}

function monthNumber(text: string): number {
  const index = MONTHS.indexOf(text.toLowerCase());
  return index >= 0 ? index + 1 : Number(text);
}

/** Parses `a` or `a:b` items into inclusive [from, to] pairs. */
function ranges(items: unknown[], parse: (text: string) => number): [number, number][] {
  return items.map((item) => {
    const [from, to = from] = String(item).toLowerCase().split(':') as [string, string?];
    return [parse(from), parse(to)];
  });
}

function optionalDuration(key: string, value: unknown): Record<string, number> {
  if (typeof value !== 'string') return {};
  const ms = parseDuration(value);
  return ms === undefined ? {} : { [key]: ms };
}

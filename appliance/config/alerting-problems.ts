import { parseMatcher } from '../alerting/matchers.ts';
import { isTimeZone } from '../alerting/time-intervals.ts';
import type { Problem } from './config.ts';
import { parseDuration } from './duration.ts';
import { problemAt, type ParsedYaml } from './yaml-document.ts';

type Section = Record<string, unknown>;
type Path = (string | number)[];

/**
 * Checks of `alerting.route`, `inhibit_rules` and `time_intervals` the schema cannot express:
 * matcher syntax and regexes, receiver and time interval names that exist, IANA time zones,
 * a root route with a receiver, and a `repeat_interval` the group interval rounds up (warning).
 */
export function alertingProblems(
  parsed: ParsedYaml,
  alerting: Section,
  receivers: ReadonlySet<string>,
): Problem[] {
  const problems: Problem[] = [];
  const intervals = new Set<string>();
  ((alerting.time_intervals as Section[] | undefined) ?? []).forEach((interval, index) => {
    intervals.add(interval.name as string);
    ((interval.time_intervals as Section[] | undefined) ?? []).forEach((spec, at) => {
      const zone = spec.location;
      if (typeof zone === 'string' && !isTimeZone(zone)) {
        const path = ['alerting', 'time_intervals', index, 'time_intervals', at, 'location'];
        const message = `got ${JSON.stringify(zone)}, expected an IANA time zone such as Europe/Berlin`;
        problems.push(problemAt(parsed, path, message));
      }
    });
  });

  const route = alerting.route as Section | undefined;
  if (route !== undefined) {
    if (typeof route.receiver !== 'string') {
      const message = 'the root route has no receiver; name one of alerting.receivers';
      problems.push(problemAt(parsed, ['alerting', 'route'], message));
    }
    checkRoute(parsed, route, ['alerting', 'route'], { receivers, intervals, problems }, {});
  }

  ((alerting.inhibit_rules as Section[] | undefined) ?? []).forEach((rule, index) => {
    for (const key of ['source_matchers', 'target_matchers']) {
      checkMatchers(parsed, rule[key], ['alerting', 'inhibit_rules', index, key], problems);
    }
  });
  return problems;
}

interface Known {
  receivers: ReadonlySet<string>;
  intervals: ReadonlySet<string>;
  problems: Problem[];
}

function checkRoute(
  parsed: ParsedYaml,
  route: Section,
  path: Path,
  known: Known,
  inherited: { groupInterval?: string; repeatInterval?: string },
): void {
  const { problems } = known;
  const receiver = route.receiver;
  if (typeof receiver === 'string' && !known.receivers.has(receiver)) {
    const message = `unknown receiver "${receiver}"; define it under alerting.receivers`;
    problems.push(problemAt(parsed, [...path, 'receiver'], message));
  }
  checkMatchers(parsed, route.matchers, [...path, 'matchers'], problems);
  for (const key of ['mute_time_intervals', 'active_time_intervals']) {
    ((route[key] as string[] | undefined) ?? []).forEach((name, index) => {
      if (known.intervals.has(name)) return;
      const message = `unknown time interval "${name}"; define it under alerting.time_intervals`;
      problems.push(problemAt(parsed, [...path, key, index], message));
    });
  }

  const timings = {
    groupInterval: (route.group_interval as string | undefined) ?? inherited.groupInterval ?? '5m',
    repeatInterval:
      (route.repeat_interval as string | undefined) ?? inherited.repeatInterval ?? '4h',
  };
  warnRounding(parsed, route, path, timings, problems);
  ((route.routes as Section[] | undefined) ?? []).forEach((child, index) =>
    checkRoute(parsed, child, [...path, 'routes', index], known, timings),
  );
}

/** Repeats are checked at flushes, every group interval, so the repeat rounds up to a multiple. */
function warnRounding(
  parsed: ParsedYaml,
  route: Section,
  path: Path,
  timings: { groupInterval: string; repeatInterval: string },
  problems: Problem[],
): void {
  if (route.repeat_interval === undefined && route.group_interval === undefined) return;
  const group = parseDuration(timings.groupInterval) ?? 0;
  const repeat = parseDuration(timings.repeatInterval) ?? 0;
  if (group <= 0 || repeat % group === 0) return;

  const effective = Math.ceil(repeat / group) * group;
  const message = `repeat_interval ${timings.repeatInterval} is not a multiple of group_interval ${timings.groupInterval}; repeats happen every ${effective / 60_000}m`;
  const key = route.repeat_interval === undefined ? 'group_interval' : 'repeat_interval';
  problems.push({ ...problemAt(parsed, [...path, key], message), severity: 'warning' });
}

function checkMatchers(parsed: ParsedYaml, value: unknown, path: Path, problems: Problem[]): void {
  ((value as string[] | undefined) ?? []).forEach((text, index) => {
    const result = parseMatcher(text);
    if ('error' in result) problems.push(problemAt(parsed, [...path, index], result.error));
  });
}

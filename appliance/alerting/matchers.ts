import { RE2JS } from 're2js';

/**
 * Label matchers as Alertmanager writes them: `name="value"`, `name!="value"`, `name=~"regex"`,
 * `name!~"regex"`. Values may be quoted (JSON string escapes) or bare. Regexes are anchored at
 * both ends, as in Prometheus, so `severity=~"crit"` does not match `critical`. They use RE2
 * syntax and run in linear time (re2js), as Alertmanager's Go regexes do, so a pattern such as
 * `(a+)+` cannot stall the process on a long label value.
 */
export type MatchOperator = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  name: string;
  operator: MatchOperator;
  value: string;
}

const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/;

/** Parses one matcher; returns a message naming the problem instead of throwing. */
export function parseMatcher(text: string): Matcher | { error: string } {
  const found = MATCHER.exec(text);
  if (found === null) {
    return { error: `got ${JSON.stringify(text)}, expected a matcher such as severity="critical"` };
  }
  const [, name, operator, rawValue] = found as unknown as [string, string, MatchOperator, string];
  const value = unquote(rawValue);
  if (value === undefined) {
    return { error: `got ${JSON.stringify(text)}, expected the value in double quotes or bare` };
  }

  if (operator === '=~' || operator === '!~') {
    try {
      RE2JS.compile(`^(?:${value})$`);
    } catch (error) {
      return { error: `regex ${JSON.stringify(value)} is invalid: ${(error as Error).message}` };
    }
  }
  return { name, operator, value };
}

/** Parses a list of matchers; throws a RangeError naming the first bad one (config is pre-validated). */
export function parseMatchers(texts: readonly string[]): Matcher[] {
  return texts.map((text) => {
    const parsed = parseMatcher(text);
    if ('error' in parsed) throw new RangeError(`invalid matcher: ${parsed.error}`);
    return parsed;
  });
}

/** True when every matcher matches; a missing label has the value "", as in Alertmanager. */
export function matchesAll(matchers: readonly Matcher[], labels: Record<string, string>): boolean {
  return matchers.every((matcher) => matches(matcher, labels[matcher.name] ?? ''));
}

const regexCache = new Map<string, RE2JS>();

function matches(matcher: Matcher, value: string): boolean {
  switch (matcher.operator) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return anchored(matcher.value).test(value);
    case '!~':
      return !anchored(matcher.value).test(value);
  }
}

function anchored(pattern: string): RE2JS {
  let regex = regexCache.get(pattern);
  if (regex === undefined) {
    regex = RE2JS.compile(`^(?:${pattern})$`);
    regexCache.set(pattern, regex);
  }
  return regex;
}

function unquote(raw: string): string | undefined {
  if (!raw.startsWith('"')) return raw;
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Formats matchers as Alertmanager does in route keys: `{a="1",b=~"x"}`. */
export function formatMatchers(matchers: readonly Matcher[]): string {
  const parts = matchers.map((m) => `${m.name}${m.operator}${JSON.stringify(m.value)}`);
  return `{${parts.join(',')}}`;
}

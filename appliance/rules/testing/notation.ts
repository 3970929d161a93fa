/**
 * The compact notation of input values in rule test files, as promtool's expanding notation:
 * space-separated items, each one of
 * - a number: `1`, `-2.5`, `1e3`, `Inf`, `-Inf`, `NaN`;
 * - `a+bxn` or `a-bxn`: n + 1 values a, a±b, …, a±n·b (`-2+4x3` is `-2 2 6 10`);
 * - `axn`: a repeated n + 1 times, the same as `a+0xn`;
 * - `_` for a missing sample, and `_xn` for n missing samples;
 * - `stale` for a staleness marker.
 * Item k of the expanded list belongs to time k × interval from the test's start.
 */

/** One expanded item: a number, or a sample that is missing or marked stale. */
export type SampleValue = number | 'missing' | 'stale';

export type NotationResult =
  { ok: true; values: SampleValue[] } | { ok: false; message: string; column: number };

/** Most values one item may expand to, so a typo such as `1x1e9` fails instead of filling memory. */
export const maxExpandedValues = 1_000_000;

const numberPattern = String.raw`[+-]?(?:Inf|NaN|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)`;
const expandingPattern = new RegExp(
  String.raw`^(${numberPattern})(?:([+-])((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?))?x(\d+)$`,
);
const plainPattern = new RegExp(`^${numberPattern}$`);
const missingPattern = /^_(?:x(\d+))?$/;

/** Expands a values string; an error names the item and its 1-based column in `text`. */
export function parseValues(text: string): NotationResult {
  const values: SampleValue[] = [];
  const items = /\S+/g;

  for (let match = items.exec(text); match !== null; match = items.exec(text)) {
    const item = match[0];
    const expanded = expandItem(item);
    if (typeof expanded === 'string') {
      return { ok: false, message: `invalid item "${item}": ${expanded}`, column: match.index + 1 };
    }
    if (values.length + expanded.length > maxExpandedValues) {
      const message = `"${text.slice(0, 40)}" expands to more than ${maxExpandedValues} values; shorten the test`;
      return { ok: false, message, column: match.index + 1 };
    }
    values.push(...expanded);
  }
  return { ok: true, values };
}

/** Expands one item, or returns what is wrong with it. */
function expandItem(item: string): SampleValue[] | string {
  if (item === 'stale') return ['stale'];

  const missing = missingPattern.exec(item);
  if (missing !== null) {
    const count = missing[1] === undefined ? 1 : Number(missing[1]);
    return count > maxExpandedValues
      ? 'too many values'
      : new Array<SampleValue>(count).fill('missing');
  }

  if (plainPattern.test(item)) return [parseNumber(item)];

  const expanding = expandingPattern.exec(item);
  if (expanding === null) {
    return 'expected a number, "a+bxn", "a-bxn", "axn", "_", "_xn" or "stale"';
  }
  const [, start, sign, step, times] = expanding;
  const count = Number(times);
  if (count >= maxExpandedValues) return 'too many values';
  const first = parseNumber(start!);
  const increment = step === undefined ? 0 : Number(step) * (sign === '-' ? -1 : 1);
  return Array.from({ length: count + 1 }, (_, index) => first + index * increment);
}

function parseNumber(text: string): number {
  const unsigned = text.replace(/^[+-]/, '');
  const negative = text.startsWith('-');
  if (unsigned === 'Inf') return negative ? -Infinity : Infinity;
  if (unsigned === 'NaN') return Number.NaN;
  return Number(text);
}

/** A series written as in PromQL, `name{label="value", ...}`, with exact label values. */
export interface SeriesSelector {
  name: string;
  labels: Record<string, string>;
}

export type SeriesResult =
  { ok: true; series: SeriesSelector } | { ok: false; message: string; column: number };

const namePattern = /^[A-Za-z_:][A-Za-z0-9_:.-]*/;
const labelPattern = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*/;

/**
 * Parses `name{a="x", b="y"}`; `{` and `}` may be left out when there are no labels. Label
 * values use `\"`, `\\` and `\n` escapes.
 */
export function parseSeries(text: string): SeriesResult {
  const name = namePattern.exec(text)?.[0];
  if (name === undefined) {
    const message = `invalid series "${text}": expected a name such as up or up{job="api"}`;
    return { ok: false, message, column: 1 };
  }

  const labels: Record<string, string> = {};
  let rest = text.slice(name.length);
  if (rest.trim() === '') return { ok: true, series: { name, labels } };
  if (!rest.startsWith('{') || !rest.trimEnd().endsWith('}')) {
    const message = `invalid series "${text}": labels go in braces, as ${name}{job="api"}`;
    return { ok: false, message, column: name.length + 1 };
  }

  rest = rest.trimEnd().slice(1, -1);
  let offset = name.length + 2;
  while (rest.trim() !== '') {
    const label = labelPattern.exec(rest);
    if (label === null) {
      const message = `invalid label in "${text}": expected name="value"`;
      return { ok: false, message, column: offset };
    }
    labels[label[1]!] = unescape(label[2]!);
    rest = rest.slice(label[0].length);
    offset += label[0].length;
    if (rest.startsWith(',')) {
      rest = rest.slice(1);
      offset += 1;
    }
  }
  return { ok: true, series: { name, labels } };
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, (_, char: string) => (char === 'n' ? '\n' : char));
}

/** Formats a series as `name{a="x", b="y"}` with sorted labels, as failure messages show it. */
export function formatSeries(name: string, labels: Record<string, string>): string {
  const pairs = Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  return pairs.length === 0 ? name : `${name}{${pairs.join(', ')}}`;
}

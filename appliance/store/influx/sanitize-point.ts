import { declaredKind, type InfluxPoint } from './influx-layout.ts';

/**
 * Vigil's own sanitising of a point before node-influx serialises it. node-influx escapes tag
 * keys, tag values and field keys (`,`, `=`, space) and quotes strings, but does not escape
 * measurement names and passes CR/LF through, so a newline in a tag would start a second,
 * injected line. InfluxDB 1.x also rejects empty tag values, a value ending in `\` (it escapes
 * the following separator), non-finite floats and a point without fields. Every name rejects a
 * backslash before a character that gets escaped or before another backslash. InfluxDB 1.6.7
 * reads such text differently in measurements, tag values and field keys, and a field key
 * `f\=x` fails the whole batch, so no escaping makes it round-trip. node-influx 5.12 also
 * doubles the backslash of the first `\'` in every tag, field key and string value it
 * escapes, so tags and field keys reject `\'` and string values lose backslashes before `'`.
 */
export type RejectReason =
  | 'measurement_invalid'
  | 'tag_trailing_backslash'
  | 'tag_backslash_escape'
  | 'field_not_finite'
  | 'field_kind_mismatch'
  | 'field_name_invalid'
  | 'no_fields'
  | 'timestamp_invalid';

/** A change made to a point that is still written. */
export type FixReason =
  | 'tag_newline_stripped'
  | 'tag_empty_dropped'
  | 'field_not_finite_dropped'
  | 'field_backslash_quote_stripped';

export interface Rejection {
  reason: RejectReason;
  /** What was wrong, with the value and the fix, for the log. */
  message: string;
}

export type SanitizeOutcome =
  | { ok: true; point: InfluxPoint; fixes: FixReason[] }
  | { ok: false; rejection: Rejection; fixes: FixReason[] };

const NEWLINES = /[\r\n]/g;
const HAS_NEWLINE = /[\r\n]/;
const MEASUREMENT_SPECIAL = /[, ]/;
/**
 * Characters after which a backslash is rejected: the escaped ones, `\` and, in the names
 * node-influx escapes, `'`.
 */
const MEASUREMENT_ESCAPED = ', \\';
const NAME_ESCAPED = ",= \\'";
const BACKSLASH_QUOTE = /\\+'/g;

/** Removes CR and LF; returns the same string when it has none, which is the usual case. */
function stripNewlines(text: string): string {
  return HAS_NEWLINE.test(text) ? text.replace(NEWLINES, '') : text;
}

/** Escapes a measurement name for line protocol: `,` and space get a backslash. */
export function escapeMeasurement(name: string): string {
  return MEASUREMENT_SPECIAL.test(name) ? name.replace(/[, ]/g, (c) => `\\${c}`) : name;
}

function rejected(reason: RejectReason, message: string, fixes: FixReason[]): SanitizeOutcome {
  return { ok: false, rejection: { reason, message }, fixes };
}

/**
 * Sanitises one point. It runs once per point on the write path, so it avoids per-point
 * closures, iterators and regex replacements on strings that need none.
 */
export function sanitizePoint(point: InfluxPoint): SanitizeOutcome {
  const fixes: FixReason[] = [];

  const measurement = stripNewlines(point.measurement);
  if (
    measurement === '' ||
    measurement.startsWith('#') ||
    measurement.endsWith('\\') ||
    hasBackslashBefore(measurement, MEASUREMENT_ESCAPED)
  ) {
    return rejected(
      'measurement_invalid',
      `measurement ${JSON.stringify(point.measurement)} is empty, starts with '#', ends in '\\' or has '\\' before ',', ' ' or '\\'; rename the series`,
      fixes,
    );
  }
  if (!Number.isSafeInteger(point.timestamp)) {
    return rejected(
      'timestamp_invalid',
      `timestamp ${point.timestamp} is not an integer epoch ms`,
      fixes,
    );
  }

  const tags = sanitizeTags(point.tags, fixes);
  if (!tags.ok) return rejected(tags.rejection.reason, tags.rejection.message, fixes);

  const fields = sanitizeFields(point.fields, fixes);
  if ('reason' in fields) return rejected(fields.reason, fields.message, fixes);
  if (fields.count === 0) {
    return fixes.includes('field_not_finite_dropped')
      ? rejected(
          'field_not_finite',
          `point of ${JSON.stringify(measurement)} has only NaN or infinite fields; InfluxDB stores finite floats only`,
          fixes,
        )
      : rejected(
          'no_fields',
          `point of ${JSON.stringify(measurement)} has no fields; send at least one`,
          fixes,
        );
  }

  return {
    ok: true,
    point: {
      measurement: escapeMeasurement(measurement),
      tags: tags.tags,
      fields: fields.value,
      timestamp: point.timestamp,
    },
    fixes,
  };
}

/** Returns whether `text` has a backslash right before a character of `escaped`. */
function hasBackslashBefore(text: string, escaped: string): boolean {
  for (let at = text.indexOf('\\'); at !== -1; at = text.indexOf('\\', at + 1)) {
    if (at + 1 < text.length && escaped.includes(text[at + 1]!)) return true;
  }
  return false;
}

/** Strips CR/LF and drops empty keys and values. Returns a rejection for a backslash it cannot carry. */
function sanitizeTags(
  raw: Record<string, string>,
  fixes: FixReason[],
): { ok: true; tags: Record<string, string> } | { ok: false; rejection: Rejection } {
  const tags: Record<string, string> = {};
  for (const rawKey in raw) {
    if (!Object.hasOwn(raw, rawKey)) continue;
    const rawValue = raw[rawKey]!;
    const key = stripNewlines(rawKey);
    const value = stripNewlines(typeof rawValue === 'string' ? rawValue : String(rawValue));
    if (key !== rawKey || value !== rawValue) fixes.push('tag_newline_stripped');
    if (key === '' || value === '') {
      fixes.push('tag_empty_dropped');
      continue;
    }
    if (key.endsWith('\\') || value.endsWith('\\')) {
      const message = `tag ${JSON.stringify(key)}=${JSON.stringify(value)} ends in a backslash, which line protocol cannot carry; remove it from the label`;
      return { ok: false, rejection: { reason: 'tag_trailing_backslash', message } };
    }
    if (hasBackslashBefore(key, NAME_ESCAPED) || hasBackslashBefore(value, NAME_ESCAPED)) {
      const message = `tag ${JSON.stringify(key)}=${JSON.stringify(value)} has a backslash before ',', '=', ' ', a quote or another backslash, which does not reach InfluxDB unchanged; remove the backslash from the label`;
      return { ok: false, rejection: { reason: 'tag_backslash_escape', message } };
    }
    setOwn(tags, key, value);
  }
  return { ok: true, tags };
}

type FieldsOutcome =
  { value: InfluxPoint['fields']; count: number } | { reason: RejectReason; message: string };

/** Checks each field against its declared kind; drops non-finite floats (counted). */
function sanitizeFields(raw: InfluxPoint['fields'], fixes: FixReason[]): FieldsOutcome {
  const fields: InfluxPoint['fields'] = {};
  let count = 0;
  for (const name in raw) {
    if (!Object.hasOwn(raw, name)) continue;
    const value = raw[name]!;
    if (
      name === '' ||
      name === 'time' ||
      HAS_NEWLINE.test(name) ||
      name.endsWith('\\') ||
      hasBackslashBefore(name, NAME_ESCAPED)
    ) {
      const message = `field name ${JSON.stringify(name)} is empty, 'time', has a newline, ends in '\\' or has '\\' before ',', '=', ' ', a quote or '\\'`;
      return { reason: 'field_name_invalid', message };
    }
    const kind = declaredKind(name);
    if (typeof value !== kindType(kind)) {
      const message = `field ${name} is declared ${kind} but got ${JSON.stringify(value)}`;
      return { reason: 'field_kind_mismatch', message };
    }
    if (typeof value === 'number' && !Number.isFinite(value)) {
      fixes.push('field_not_finite_dropped');
      continue;
    }
    fields[name] = typeof value === 'string' ? sanitizeString(value, fixes) : value;
    count++;
  }
  return { value: fields, count };
}

/** Replaces CR/LF with a space and drops backslashes before `'`, which node-influx mangles. */
function sanitizeString(value: string, fixes: FixReason[]): string {
  let text = HAS_NEWLINE.test(value) ? value.replace(NEWLINES, ' ') : value;
  if (text.includes("\\'")) {
    text = text.replace(BACKSLASH_QUOTE, "'");
    fixes.push('field_backslash_quote_stripped');
  }
  return text;
}

/** Sets an own property, so a label named `__proto__` is kept instead of setting the prototype. */
function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(record, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    record[key] = value;
  }
}

function kindType(kind: 'float' | 'boolean' | 'string'): 'number' | 'boolean' | 'string' {
  return kind === 'float' ? 'number' : kind;
}

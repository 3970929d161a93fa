import { declaredKind, type InfluxPoint } from './influx-layout.ts';

/**
 * Vigil's own sanitising of a point before node-influx serialises it. node-influx escapes tag
 * keys, tag values and field keys (`,`, `=`, space) and quotes strings, but does not escape
 * measurement names and passes CR/LF through, so a newline in a tag would start a second,
 * injected line. InfluxDB 1.x also rejects empty tag values, a value ending in `\` (it escapes
 * the following separator), non-finite floats and a point without fields.
 */
export type RejectReason =
  | 'measurement_invalid'
  | 'tag_trailing_backslash'
  | 'field_not_finite'
  | 'field_kind_mismatch'
  | 'field_name_invalid'
  | 'no_fields'
  | 'timestamp_invalid';

/** A change made to a point that is still written. */
export type FixReason = 'tag_newline_stripped' | 'tag_empty_dropped' | 'field_not_finite_dropped';

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
  if (measurement === '' || measurement.startsWith('#') || measurement.endsWith('\\')) {
    return rejected(
      'measurement_invalid',
      `measurement ${JSON.stringify(point.measurement)} is empty, starts with '#' or ends in '\\'; rename the series`,
      fixes,
    );
  }
  if (!Number.isFinite(point.timestamp)) {
    return rejected(
      'timestamp_invalid',
      `timestamp ${point.timestamp} is not a finite epoch ms`,
      fixes,
    );
  }

  const tags = sanitizeTags(point.tags, fixes);
  if (typeof tags === 'string') return rejected('tag_trailing_backslash', tags, fixes);

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
      tags,
      fields: fields.value,
      timestamp: point.timestamp,
    },
    fixes,
  };
}

/** Strips CR/LF, drops empty keys and values; returns an error text for a trailing backslash. */
function sanitizeTags(
  raw: Record<string, string>,
  fixes: FixReason[],
): Record<string, string> | string {
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
      return `tag ${JSON.stringify(key)}=${JSON.stringify(value)} ends in a backslash, which line protocol cannot carry; remove it from the label`;
    }
    tags[key] = value;
  }
  return tags;
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
    if (name === '' || name === 'time' || HAS_NEWLINE.test(name) || name.endsWith('\\')) {
      const message = `field name ${JSON.stringify(name)} is empty, 'time', has a newline or ends in '\\'`;
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
    fields[name] =
      typeof value === 'string' && HAS_NEWLINE.test(value) ? value.replace(NEWLINES, ' ') : value;
    count++;
  }
  return { value: fields, count };
}

function kindType(kind: 'float' | 'boolean' | 'string'): 'number' | 'boolean' | 'string' {
  return kind === 'float' ? 'number' : kind;
}

/**
 * A strict parser of one InfluxDB 1.x line-protocol line, for checking what Vigil sends. It
 * follows the escaping rules of the InfluxDB 1.8 line-protocol reference: measurements
 * escape `,` and space, tag keys, tag values and field keys escape `,`, `=` and space, and
 * string field values escape `"` and `\`. A backslash before any other character is
 * literal. Where InfluxDB is inconsistent, it is stricter and rejects a backslash before a
 * backslash in a name. A local influxd 1.6.7 unescapes `\\` in measurements but not in tag
 * values, and reads `f\\=x=2` as the field key `f\`. It also rejects CR and LF anywhere.
 */
export interface ParsedLine {
  measurement: string;
  tags: Record<string, string>;
  fields: Record<string, number | boolean | string>;
  timestamp: number | undefined;
}

export class LineProtocolError extends Error {
  override readonly name = 'LineProtocolError';
}

const MEASUREMENT_ESCAPES = ', ';
const NAME_ESCAPES = ',= ';
const BOOLEANS: Record<string, boolean> = {
  t: true,
  T: true,
  true: true,
  True: true,
  TRUE: true,
  f: false,
  F: false,
  false: false,
  False: false,
  FALSE: false,
};
const FLOAT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+i$/;
const TIMESTAMP = /^-?\d+$/;

/** Parses one line, or throws LineProtocolError with the position and the reason. */
export function parseLine(line: string): ParsedLine {
  if (/[\r\n]/.test(line)) throw new LineProtocolError('line contains CR or LF');
  const cursor = { text: line, at: 0 };

  const measurement = readName(cursor, MEASUREMENT_ESCAPES, ', ');
  if (measurement === '' || line.startsWith('#')) {
    throw new LineProtocolError(`invalid measurement at 0 in ${JSON.stringify(line)}`);
  }

  const tags: Record<string, string> = Object.create(null);
  while (line[cursor.at] === ',') {
    cursor.at += 1;
    const key = readName(cursor, NAME_ESCAPES, NAME_ESCAPES);
    expect(cursor, '=');
    const value = readName(cursor, NAME_ESCAPES, NAME_ESCAPES);
    if (key === '' || value === '' || key in tags) {
      throw new LineProtocolError(`empty or repeated tag before ${cursor.at}`);
    }
    tags[key] = value;
  }

  expect(cursor, ' ');
  const fields = readFields(cursor);
  let timestamp: number | undefined;
  if (cursor.at < line.length) {
    expect(cursor, ' ');
    const text = line.slice(cursor.at);
    if (!TIMESTAMP.test(text)) throw new LineProtocolError(`invalid timestamp ${text}`);
    timestamp = Number(text);
  }
  return { measurement, tags, fields, timestamp };
}

function readFields(cursor: { text: string; at: number }): ParsedLine['fields'] {
  const fields: ParsedLine['fields'] = Object.create(null);
  for (;;) {
    const key = readName(cursor, NAME_ESCAPES, NAME_ESCAPES);
    expect(cursor, '=');
    if (key === '' || key in fields) {
      throw new LineProtocolError(`empty or repeated field before ${cursor.at}`);
    }
    fields[key] = readFieldValue(cursor);
    if (cursor.text[cursor.at] !== ',') return fields;
    cursor.at += 1;
  }
}

function readFieldValue(cursor: { text: string; at: number }): number | boolean | string {
  const { text } = cursor;
  if (text[cursor.at] === '"') return readString(cursor);

  let end = cursor.at;
  while (end < text.length && text[end] !== ',' && text[end] !== ' ') end += 1;
  const token = text.slice(cursor.at, end);
  cursor.at = end;
  if (token in BOOLEANS) return BOOLEANS[token]!;
  if (INTEGER.test(token)) return Number(token.slice(0, -1));
  if (FLOAT.test(token)) return Number(token);
  throw new LineProtocolError(`invalid field value ${JSON.stringify(token)}`);
}

function readString(cursor: { text: string; at: number }): string {
  const { text } = cursor;
  let value = '';
  for (let i = cursor.at + 1; i < text.length; i++) {
    const char = text[i]!;
    if (char === '"') {
      cursor.at = i + 1;
      return value;
    }
    if (char === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
      value += text[i + 1];
      i += 1;
      continue;
    }
    value += char;
  }
  throw new LineProtocolError('string field value has no closing quote');
}

/** Reads a name up to an unescaped stop character, unescaping `escapes`. */
function readName(cursor: { text: string; at: number }, escapes: string, stops: string): string {
  const { text } = cursor;
  let name = '';
  let i = cursor.at;
  for (; i < text.length && !stops.includes(text[i]!); i++) {
    if (text[i] !== '\\') {
      name += text[i];
      continue;
    }
    const next = text[i + 1];
    if (next === undefined || next === '\\') {
      throw new LineProtocolError(`ambiguous backslash at ${i} in ${JSON.stringify(text)}`);
    }
    if (escapes.includes(next)) i += 1;
    name += escapes.includes(next) ? next : '\\';
  }
  cursor.at = i;
  return name;
}

function expect(cursor: { text: string; at: number }, char: string): void {
  if (cursor.text[cursor.at] !== char) {
    throw new LineProtocolError(
      `expected ${JSON.stringify(char)} at ${cursor.at} in ${JSON.stringify(cursor.text)}`,
    );
  }
  cursor.at += 1;
}

/**
 * Conversions between stored column values and the in-memory records. JSON text is the
 * on-disk form of every key-value record (features, labels, annotations, result values).
 */

/**
 * Parses a JSON object into a null-prototype record. JSON.parse defines `__proto__` as an
 * own property, and dropping the prototype afterwards keeps it an ordinary key on read too.
 */
export function parseRecord<T>(json: string): Record<string, T> {
  const record = JSON.parse(json) as Record<string, T>;
  Object.setPrototypeOf(record, null);
  return record;
}

/**
 * Serialises a record of numbers so NaN and the infinities survive: JSON has no literal for
 * them and JSON.stringify would write null, so they are stored as the strings 'NaN',
 * 'Infinity' and '-Infinity'.
 */
export function stringifyNumbers(values: Readonly<Record<string, number>>): string {
  return JSON.stringify(values, (_key, value: unknown) =>
    typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
  );
}

/** Parses the output of `stringifyNumbers` back into numbers, in a null-prototype record. */
export function parseNumbers(json: string): Record<string, number> {
  const values = parseRecord<number | string>(json);
  for (const key of Object.keys(values)) {
    const value = values[key];
    if (typeof value === 'string') values[key] = Number(value);
  }
  return values as Record<string, number>;
}

/** Maps a nullable REAL column back to a number: SQLite stores a bound NaN as NULL. */
export function realOrNaN(value: number | null): number {
  return value ?? Number.NaN;
}

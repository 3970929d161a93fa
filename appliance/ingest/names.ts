/** Name rules for streams, features, metrics and labels, with the messages that explain them. */

/** Feature names: a letter or `_`, then up to 127 of letters, digits, `_`, `.`, `:` and `-`. */
export const FEATURE_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,127}$/;
export const FEATURE_NAME_RULE =
  'names start with a letter or "_" and continue with up to 127 letters, digits, "_", ".", ":" or "-"';

/** Stream (model) names, as `PredictionEvent.stream` documents: no `:`, at most 128 characters. */
export const STREAM_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;
export const STREAM_NAME_RULE =
  'stream names start with a letter or "_" and continue with up to 127 letters, digits, "_", "." or "-"';

/** Prometheus metric names. */
export const METRIC_NAME = /^[A-Za-z_:][A-Za-z0-9_:]{0,199}$/;
export const METRIC_NAME_RULE =
  'metric names follow Prometheus: a letter, "_" or ":", then letters, digits, "_" or ":" (at most 200)';

/** Prometheus label names; the `__` prefix is reserved for internal use there and here. */
export const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
export const LABEL_NAME_RULE =
  'label names follow Prometheus: a letter or "_", then letters, digits or "_" (at most 128), not starting with "__"';

/** True for 1 to `maxLength` characters with no C0 control character or DEL (ids, versions). */
export function isPlainText(value: string, maxLength: number): boolean {
  if (value.length === 0 || value.length > maxLength) {
    return false;
  }
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) {
      return false;
    }
  }
  return true;
}

/** True for an object literal from JSON (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads an own property only, so `constructor` or `toString` never come from the prototype. */
export function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

import type { SeriesPoint } from '../core/types.ts';
import type { IngestLimits } from './limits.ts';
import {
  LABEL_NAME,
  LABEL_NAME_RULE,
  METRIC_NAME,
  METRIC_NAME_RULE,
  isRecord,
  own,
} from './names.ts';
import { parseTimestamp } from './parse-timestamp.ts';
import { reject, type Rejection } from './rejection.ts';

/**
 * Validates one numeric point, `{name, labels, value, timestamp}` on the wire. Names and label
 * names follow Prometheus; values must be finite because InfluxDB and SQLite cannot store NaN
 * consistently. Labels are built on a null prototype, so any label name is an ordinary key.
 */
export function validatePoint(
  raw: unknown,
  index: number,
  limits: IngestLimits,
  rejections: Rejection[],
): SeriesPoint | null {
  if (!isRecord(raw)) {
    const reason = 'each point must be an object such as {"name": "m", "value": 1, "timestamp": 0}';
    reject(rejections, index, '', raw, 'invalid_row', reason);
    return null;
  }

  const before = rejections.length;
  const name = own(raw, 'name');
  if (typeof name !== 'string' || !METRIC_NAME.test(name)) {
    const code = name === undefined || name === null ? 'missing_field' : 'invalid_name';
    reject(rejections, index, 'name', name, code, `invalid metric name: ${METRIC_NAME_RULE}`);
  }
  const labels = readLabels(own(raw, 'labels'), index, limits, rejections);
  const value = own(raw, 'value');
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    const code = value === undefined || value === null ? 'missing_field' : 'invalid_value';
    const reason = 'value must be a finite number (NaN and Infinity are not stored)';
    reject(rejections, index, 'value', value, code, reason);
  }
  const rawTimestamp = own(raw, 'timestamp');
  const timestamp = parseTimestamp(rawTimestamp);
  if (!timestamp.ok) {
    const missing = rawTimestamp === undefined || rawTimestamp === null;
    const code = missing ? 'missing_field' : 'invalid_timestamp';
    reject(rejections, index, 'timestamp', rawTimestamp, code, timestamp.reason);
  }

  if (rejections.length > before || !timestamp.ok) {
    return null;
  }
  return { name: name as string, labels: labels!, value: value as number, timestamp: timestamp.ms };
}

function readLabels(
  value: unknown,
  index: number,
  limits: IngestLimits,
  out: Rejection[],
): Record<string, string> | null {
  const labels: Record<string, string> = Object.create(null);
  if (value === undefined || value === null) {
    return labels;
  }
  if (!isRecord(value)) {
    const reason = 'labels must be an object of label name to string value';
    reject(out, index, 'labels', value, 'invalid_label', reason);
    return null;
  }

  const names = Object.keys(value);
  if (names.length > limits.maxLabels) {
    const reason = `${names.length} labels exceed the limit of ${limits.maxLabels}: send fewer labels`;
    reject(out, index, 'labels', `${names.length} keys`, 'invalid_label', reason);
    return null;
  }

  let valid = true;
  for (const name of names) {
    const labelValue = value[name];
    if (!LABEL_NAME.test(name) || name.startsWith('__')) {
      reject(out, index, 'labels', name, 'invalid_label', `invalid label name: ${LABEL_NAME_RULE}`);
      valid = false;
    } else if (typeof labelValue !== 'string' || labelValue.length > limits.maxStringLength) {
      const reason = `label values are strings of at most ${limits.maxStringLength} characters`;
      reject(out, index, `labels.${name}`, labelValue, 'invalid_label', reason);
      valid = false;
    } else {
      labels[name] = labelValue;
    }
  }
  return valid ? labels : null;
}

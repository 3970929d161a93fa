import type { FeatureValue, PredictionEvent } from '../core/types.ts';
import type { IngestLimits } from './limits.ts';
import {
  FEATURE_NAME,
  FEATURE_NAME_RULE,
  STREAM_NAME,
  STREAM_NAME_RULE,
  isPlainText,
  isRecord,
  own,
} from './names.ts';
import { parseTimestamp } from './parse-timestamp.ts';
import { reject, type Rejection } from './rejection.ts';
import { featureValueProblem, outcomeProblem } from './validate-value.ts';

/**
 * Validates one prediction event in the wire schema (snake_case, as Evidently users and model
 * servers write it) and normalises it into a `PredictionEvent`. Every problem of the row is
 * appended to `rejections`; the row is returned only when it has none.
 *
 * Wire fields: `stream` or `model`, `version` or `model_version`, `id` or `event_id`,
 * `timestamp`, `features`, `prediction`, and the optional `actual`, `latency_ms`, `error`.
 * Unknown fields are ignored. The event takes ownership of a valid plain `features` object, so
 * callers pass rows they do not reuse (as JSON.parse output is).
 */
export function validateEvent(
  raw: unknown,
  index: number,
  limits: IngestLimits,
  rejections: Rejection[],
): PredictionEvent | null {
  if (!isRecord(raw)) {
    const reason = 'each event must be a JSON object such as {"stream": "m", "id": "1", ...}';
    reject(rejections, index, '', raw, 'invalid_row', reason);
    return null;
  }

  const before = rejections.length;
  const stream = readStream(raw, index, rejections);
  const version = readVersion(raw, index, rejections);
  const id = readId(raw, index, rejections);
  const timestamp = readTimestamp(raw, index, rejections);
  const features = readFeatures(raw, index, limits, rejections);
  const prediction = readPrediction(raw, index, limits, rejections);
  const actual = readActual(raw, index, limits, rejections);
  const latencyMs = readLatency(raw, index, rejections);
  const error = readErrorFlag(raw, index, rejections);
  if (rejections.length > before) {
    return null;
  }

  return {
    stream: stream!,
    version,
    id: id!,
    timestamp: timestamp!,
    features: features!,
    prediction,
    actual,
    latencyMs,
    error,
  };
}

/** Reads `primary`, else `alias`; the field path names the key the client used. */
function pick(raw: Record<string, unknown>, primary: string, alias: string): [string, unknown] {
  const value = own(raw, primary);
  if (value !== undefined) {
    return [primary, value];
  }
  return [alias, own(raw, alias)];
}

function readStream(raw: Record<string, unknown>, index: number, out: Rejection[]) {
  const [field, value] = pick(raw, 'stream', 'model');
  const model = own(raw, 'model');
  if (field === 'stream' && model !== undefined && model !== value) {
    const reason = 'stream and model are both set and differ: send only one of them';
    reject(out, index, 'model', model, 'invalid_stream', reason);
    return null;
  }
  if (value === undefined || value === null) {
    const reason = 'stream is missing: set "stream" (or "model") to the model name';
    reject(out, index, 'stream', value, 'missing_field', reason);
    return null;
  }
  if (typeof value !== 'string' || !STREAM_NAME.test(value)) {
    reject(out, index, field, value, 'invalid_stream', `invalid stream name: ${STREAM_NAME_RULE}`);
    return null;
  }
  return value;
}

function readVersion(raw: Record<string, unknown>, index: number, out: Rejection[]): string {
  const [field, value] = pick(raw, 'version', 'model_version');
  if (value === undefined || value === null) {
    return '';
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    return String(value);
  }
  if (typeof value === 'string' && (value === '' || isPlainText(value, 128))) {
    return value;
  }
  const reason = 'version must be a string of at most 128 characters without control characters';
  reject(out, index, field, value, 'invalid_version', reason);
  return '';
}

function readId(raw: Record<string, unknown>, index: number, out: Rejection[]) {
  const [field, value] = pick(raw, 'id', 'event_id');
  if (typeof value === 'string' && isPlainText(value, 256)) {
    return value;
  }
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    return String(value);
  }
  if (value === undefined || value === null) {
    const reason = 'event id is missing: set "id" (or "event_id"), unique within the stream';
    reject(out, index, 'id', value, 'missing_field', reason);
    return null;
  }
  const reason =
    'event id must be a string of 1 to 256 characters without control characters, or an integer';
  reject(out, index, field, value, 'invalid_id', reason);
  return null;
}

function readTimestamp(raw: Record<string, unknown>, index: number, out: Rejection[]) {
  const value = own(raw, 'timestamp');
  const parsed = parseTimestamp(value);
  if (parsed.ok) {
    return parsed.ms;
  }
  const code = value === undefined || value === null ? 'missing_field' : 'invalid_timestamp';
  reject(out, index, 'timestamp', value, code, parsed.reason);
  return null;
}

/**
 * Returns the feature map with a null prototype, so `__proto__` and `constructor` are plain
 * keys. A plain object from JSON.parse is reused in place (its prototype set to null) once every
 * feature is valid, which saves a copy per event on the ingest path; other objects are copied.
 */
function readFeatures(
  raw: Record<string, unknown>,
  index: number,
  limits: IngestLimits,
  out: Rejection[],
): Record<string, FeatureValue> | null {
  const value = own(raw, 'features');
  if (value === undefined || value === null) {
    return Object.create(null) as Record<string, FeatureValue>;
  }
  if (!isRecord(value)) {
    const reason = 'features must be an object of name to value, such as {"temp": 21.5}';
    reject(out, index, 'features', value, 'invalid_feature', reason);
    return null;
  }

  // JSON.parse creates `__proto__` as an own property, so Object.keys lists it like any key.
  const names = Object.keys(value);
  if (names.length > limits.maxFeatures) {
    const reason = `${names.length} features exceed the limit of ${limits.maxFeatures}: send fewer features`;
    reject(out, index, 'features', `${names.length} keys`, 'invalid_feature', reason);
    return null;
  }
  if (!checkFeatures(value, names, index, limits, out)) {
    return null;
  }

  const prototype = Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) {
    return Object.setPrototypeOf(value, null) as Record<string, FeatureValue>;
  }
  const copy: Record<string, FeatureValue> = Object.create(null);
  for (const name of names) {
    copy[name] = value[name] as FeatureValue;
  }
  return copy;
}

/** Checks every feature name and value; returns whether all are valid. */
function checkFeatures(
  features: Record<string, unknown>,
  names: string[],
  index: number,
  limits: IngestLimits,
  out: Rejection[],
): boolean {
  let valid = true;
  for (const name of names) {
    if (!FEATURE_NAME.test(name)) {
      const reason = `invalid feature name: ${FEATURE_NAME_RULE}`;
      reject(out, index, 'features', name, 'invalid_feature', reason);
      valid = false;
      continue;
    }
    const featureValue = features[name];
    const problem = featureValueProblem(featureValue, limits.maxStringLength);
    if (problem !== null) {
      reject(out, index, `features.${name}`, featureValue, 'invalid_feature', problem);
      valid = false;
    }
  }
  return valid;
}

function readPrediction(
  raw: Record<string, unknown>,
  index: number,
  limits: IngestLimits,
  out: Rejection[],
): number | string | null {
  const value = own(raw, 'prediction');
  if (value === undefined) {
    const reason = 'prediction is missing: send the model output, or null when there was none';
    reject(out, index, 'prediction', value, 'missing_field', reason);
    return null;
  }
  if (value === null) {
    return null;
  }
  const problem = outcomeProblem(value, limits.maxStringLength);
  if (problem !== null) {
    reject(out, index, 'prediction', value, 'invalid_prediction', problem);
    return null;
  }
  return value as number | string;
}

function readActual(
  raw: Record<string, unknown>,
  index: number,
  limits: IngestLimits,
  out: Rejection[],
): number | string | null {
  const value = own(raw, 'actual');
  if (value === undefined || value === null) {
    return null;
  }
  const problem = outcomeProblem(value, limits.maxStringLength);
  if (problem !== null) {
    reject(out, index, 'actual', value, 'invalid_actual', problem);
    return null;
  }
  return value as number | string;
}

function readLatency(raw: Record<string, unknown>, index: number, out: Rejection[]) {
  const value = own(raw, 'latency_ms');
  if (value === undefined || value === null) {
    return null;
  }
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
    return value;
  }
  const reason = 'latency_ms must be a non-negative number of milliseconds, such as 12.5, or null';
  reject(out, index, 'latency_ms', value, 'invalid_latency', reason);
  return null;
}

function readErrorFlag(raw: Record<string, unknown>, index: number, out: Rejection[]): boolean {
  const value = own(raw, 'error');
  if (value === undefined || value === null) {
    return false;
  }
  if (typeof value === 'boolean') {
    return value;
  }
  const reason = 'error must be true or false (true when serving the prediction failed)';
  reject(out, index, 'error', value, 'invalid_error_flag', reason);
  return false;
}

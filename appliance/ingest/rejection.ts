/**
 * The rejected-row shape the ingest API returns and the fixed set of reason codes that label
 * the `vigil_events_rejected_total` and `vigil_points_rejected_total` counters.
 */

export type RejectionCode =
  | 'invalid_json'
  | 'invalid_row'
  | 'missing_field'
  | 'invalid_stream'
  | 'invalid_version'
  | 'invalid_id'
  | 'invalid_timestamp'
  | 'invalid_feature'
  | 'invalid_prediction'
  | 'invalid_actual'
  | 'invalid_latency'
  | 'invalid_error_flag'
  | 'invalid_name'
  | 'invalid_label'
  | 'invalid_value'
  | 'cardinality_limit';

/** One problem with one input row. A row with several problems gets one entry per problem. */
export interface Rejection {
  /** Position of the row in the request: array index, or NDJSON line number minus one. */
  index: number;
  /** Path of the offending field, such as `features.temp` or `latency_ms`; `''` for the row. */
  field: string;
  /** The offending value as a short string, truncated to `MAX_VALUE_CHARS`. */
  value: string;
  /** Stable machine-readable reason, one of `RejectionCode`. */
  code: RejectionCode;
  /** What is wrong and how to fix it. */
  reason: string;
  /** 1-based line of the row, for NDJSON bodies only. */
  line?: number;
}

export const MAX_VALUE_CHARS = 64;

/** Renders a rejected value for the response: JSON text, cut to `MAX_VALUE_CHARS` with `…`. */
export function describeValue(value: unknown): string {
  let text: string;
  if (value === undefined) {
    text = '(missing)';
  } else if (typeof value === 'string') {
    text = JSON.stringify(value.length > MAX_VALUE_CHARS ? value.slice(0, MAX_VALUE_CHARS) : value);
  } else if (typeof value === 'number') {
    text = String(value);
  } else {
    text = safeStringify(value);
  }

  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Appends a rejection to `out`; the value is rendered with `describeValue`. */
export function reject(
  out: Rejection[],
  index: number,
  field: string,
  value: unknown,
  code: RejectionCode,
  reason: string,
): void {
  out.push({ index, field, value: describeValue(value), code, reason });
}

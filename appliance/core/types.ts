/**
 * The normalised records every collector produces and every layer after ingest consumes.
 * Times are Unix epoch milliseconds (UTC) throughout.
 */

/** A feature value after validation: numbers are finite, strings are categories, null is missing. */
export type FeatureValue = number | string | boolean | null;

/** A prediction event as stored, after validation and normalisation. */
export interface PredictionEvent {
  /** Stream (model) name: `[A-Za-z_][A-Za-z0-9_.-]*`. */
  stream: string;
  /** Model version, `''` when the source did not send one. */
  version: string;
  /** Event id, unique within a stream; a repeated id is a duplicate and is not counted again. */
  id: string;
  /** Event time in epoch milliseconds. */
  timestamp: number;
  /** Feature values by name. Created with a null prototype, so `__proto__` is an ordinary key. */
  features: Record<string, FeatureValue>;
  /** The model output: a number for regression and scores, a string or number label for classes. */
  prediction: number | string | null;
  /** The observed outcome, when known at event time or joined later by id. */
  actual: number | string | null;
  /** Serving latency in milliseconds, null when not reported. */
  latencyMs: number | null;
  /** True when serving the prediction failed. */
  error: boolean;
}

/** A late label for an event already ingested. */
export interface ActualUpdate {
  stream: string;
  id: string;
  actual: number | string;
}

/** A generic numeric point, as in Prometheus: a metric name, labels, a value and a time. */
export interface SeriesPoint {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestamp: number;
}

/** A half-open time range [from, to) in epoch milliseconds. */
export interface TimeRange {
  from: number;
  to: number;
}

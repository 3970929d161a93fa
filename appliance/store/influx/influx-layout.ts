import type { SeriesPoint } from '../../core/types.ts';
import type { StoredResult } from '../store.ts';

/**
 * Vigil's measurement and tag layout in InfluxDB 1.x, with the declared kind of every field;
 * `docs/storage.md` documents the same table. Every numeric field is a float: InfluxDB fixes a
 * field's type at its first write to a shard, and a JSON number carries no integer/float
 * distinction, so one declared kind keeps a later `3` from conflicting with an earlier `2.5`.
 */
export type FieldKind = 'float' | 'boolean' | 'string';

/** A point in Vigil's layout, before sanitising. */
export interface InfluxPoint {
  measurement: string;
  tags: Record<string, string>;
  fields: Record<string, number | boolean | string>;
  /** Epoch milliseconds; the writer sends `precision=ms`. */
  timestamp: number;
}

/** Evaluator results: one point per result, tagged by rule identity and the result's labels. */
export const RESULTS_MEASUREMENT = 'vigil_results';

/** The appliance's own operational metrics: tag `metric`, field `value`. */
export const OPERATIONS_MEASUREMENT = 'vigil_operations';

/** Field names on result points that are not result values. */
export const CONVENTION_FIELD = '_convention';
export const REASON_FIELD = '_reason';

/** Declared kinds: a field not listed is a float (raw values and result values). */
const DECLARED: Record<string, FieldKind> = {
  [CONVENTION_FIELD]: 'string',
  [REASON_FIELD]: 'string',
};

export function declaredKind(field: string): FieldKind {
  // Own keys only, so a field named __proto__ or constructor is a float like any other.
  return Object.hasOwn(DECLARED, field) ? (DECLARED[field] as FieldKind) : 'float';
}

/** A raw numeric series point: measurement = series name, tags = labels, field `value`. */
export function seriesPointToInflux(point: SeriesPoint): InfluxPoint {
  return {
    measurement: point.name,
    tags: { ...point.labels },
    fields: { value: point.value },
    timestamp: point.timestamp,
  };
}

/**
 * An evaluator result: tags `rule`, `group`, `evaluator` plus the result labels (a label with
 * one of those names is stored as `label_<name>`), one float field per value, the convention
 * as JSON text and the reason when there is one.
 */
export function resultToInflux(result: StoredResult): InfluxPoint {
  const tags: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.labels)) {
    const own = name === 'rule' || name === 'group' || name === 'evaluator';
    tags[own ? `label_${name}` : name] = value;
  }
  tags.rule = result.rule;
  tags.group = result.group;
  tags.evaluator = result.evaluator;

  const fields: InfluxPoint['fields'] = {};
  for (const [name, value] of Object.entries(result.values)) {
    // The outbox stores JSON, where NaN becomes null. Back as NaN, the sanitiser drops the field
    // and counts it, so the rest of the result (its reason, other values) is still stored.
    fields[name] = typeof value === 'number' ? value : Number.NaN;
  }
  fields[CONVENTION_FIELD] = JSON.stringify(result.convention);
  if (result.reason !== undefined) fields[REASON_FIELD] = result.reason;
  return { measurement: RESULTS_MEASUREMENT, tags, fields, timestamp: result.timestamp };
}

/** An operational metric sample of the appliance itself. */
export function operationToInflux(
  metric: string,
  value: number,
  timestamp: number,
  tags: Record<string, string> = {},
): InfluxPoint {
  return {
    measurement: OPERATIONS_MEASUREMENT,
    tags: { ...tags, metric },
    fields: { value },
    timestamp,
  };
}

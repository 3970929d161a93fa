import { Counter, type Registry } from 'prom-client';
import type { PredictionEvent, SeriesPoint } from '../core/types.ts';
import type { Logger } from '../log/logger.ts';
import { CardinalityKeyLog, type AdmittedKey } from './cardinality-keys.ts';
import { reject, type Rejection } from './rejection.ts';

/** Upper bounds on distinct keys the appliance keeps state for; each a positive integer. */
export interface CardinalityLimits {
  /** Distinct event streams (models). */
  maxStreams: number;
  /** Distinct series names. */
  maxMetrics: number;
  /** Distinct label sets under one series name. */
  maxSeriesPerMetric: number;
  /** Distinct values of one label name under one series name. */
  maxLabelValuesPerLabel: number;
  /** Distinct string values of one feature in one stream. */
  maxCategoriesPerFeature: number;
}

export const DEFAULT_CARDINALITY_LIMITS: CardinalityLimits = {
  maxStreams: 1_000,
  maxMetrics: 1_000,
  maxSeriesPerMetric: 10_000,
  maxLabelValuesPerLabel: 10_000,
  maxCategoriesPerFeature: 1_000,
};

export type CardinalityKind = 'streams' | 'metrics' | 'series' | 'label_values' | 'categories';

const COUNTER_NAME = 'vigil_cardinality_rejected_total';

/**
 * Rejects records that would create a key past a limit, and remembers the keys it admitted, so
 * existing streams, series and categories keep working after a limit is reached. Each admitted
 * key costs one string, so memory grows with the limits and stops there.
 * With a key file (`persistence`), admitted keys are appended to it and read back at start,
 * so after a restart the limits count the keys admitted before it.
 * NOTE: distinct string feature names per stream are not bounded here, only by the feature-name
 * charset and `maxFeatures` per event.
 */
export class CardinalityGuard {
  readonly limits: CardinalityLimits;
  private readonly streams = new Set<string>();
  /** Series name to its label-set keys. */
  private readonly series = new Map<string, Set<string>>();
  /** `name\0label` to the values seen. */
  private readonly labelValues = new Map<string, Set<string>>();
  /** `stream\0feature` to the string values seen. */
  private readonly categories = new Map<string, Set<string>>();
  private readonly rejected: Counter<'kind'>;
  private readonly keyLog: CardinalityKeyLog | undefined;
  private readonly logger: Logger | undefined;

  /**
   * Creates the guard, with the keys of `persistence.path` admitted when given. Keys read
   * back are admitted even past a limit lowered since, so their records keep working.
   */
  constructor(
    registry: Registry,
    limits: Partial<CardinalityLimits> = {},
    persistence?: { path: string; logger: Logger },
  ) {
    this.limits = resolveCardinalityLimits(limits);
    this.rejected = rejectedCounter(registry);
    this.logger = persistence?.logger;
    if (persistence === undefined) return;

    const { log, keys, skipped } = CardinalityKeyLog.open(persistence.path);
    this.keyLog = log;
    for (const key of keys) this.restore(key);
    persistence.logger.info(
      { path: persistence.path, keys: keys.length, skipped },
      'cardinality keys restored',
    );
  }

  /** Admits an event whose stream and string features fit the limits; else adds a rejection. */
  admitEvent(event: PredictionEvent, index: number, out: Rejection[]): boolean {
    const { stream } = event;
    if (!this.streams.has(stream) && this.streams.size >= this.limits.maxStreams) {
      const reason = `stream would exceed ${this.limits.maxStreams} streams: reuse a stream or raise cardinality.max_streams`;
      return this.rejectRecord('streams', out, index, 'stream', stream, reason);
    }

    const fresh: [Set<string>, string, string][] = [];
    for (const [feature, value] of Object.entries(event.features)) {
      if (typeof value !== 'string') continue;
      const seen = ensure(this.categories, `${stream}\0${feature}`);
      if (seen.has(value)) continue;
      if (seen.size >= this.limits.maxCategoriesPerFeature) {
        const reason = `feature ${feature} would exceed ${this.limits.maxCategoriesPerFeature} categories: bucket rare values or raise cardinality.max_categories_per_feature`;
        return this.rejectRecord('categories', out, index, `features.${feature}`, value, reason);
      }
      fresh.push([seen, value, `${stream}\0${feature}`]);
    }

    const newStream = !this.streams.has(stream);
    this.streams.add(stream);
    for (const [seen, value] of fresh) seen.add(value);
    if (newStream || fresh.length > 0) {
      const admitted: AdmittedKey[] = fresh.map(([, value, scope]) => ({
        kind: 'category',
        scope,
        value,
      }));
      if (newStream) admitted.push({ kind: 'stream', value: stream });
      this.persist(admitted);
    }
    return true;
  }

  /** Admits a point whose name, label set and label values fit the limits; else a rejection. */
  admitPoint(point: SeriesPoint, index: number, out: Rejection[]): boolean {
    const { name } = point;
    const known = this.series.get(name);
    if (known === undefined && this.series.size >= this.limits.maxMetrics) {
      const reason = `series name would exceed ${this.limits.maxMetrics} names: reuse a name or raise cardinality.max_metrics`;
      return this.rejectRecord('metrics', out, index, 'name', name, reason);
    }

    const key = labelKey(point.labels);
    if (known?.has(key) === true) return true;
    if (known !== undefined && known.size >= this.limits.maxSeriesPerMetric) {
      const reason = `${name} would exceed ${this.limits.maxSeriesPerMetric} label sets: drop a label or raise cardinality.max_series_per_metric`;
      return this.rejectRecord('series', out, index, 'labels', point.labels, reason);
    }

    const fresh: [Set<string>, string, string][] = [];
    for (const [label, value] of Object.entries(point.labels)) {
      const seen = ensure(this.labelValues, `${name}\0${label}`);
      if (seen.has(value)) continue;
      if (seen.size >= this.limits.maxLabelValuesPerLabel) {
        const reason = `label ${label} of ${name} would exceed ${this.limits.maxLabelValuesPerLabel} values: drop the label or raise cardinality.max_label_values_per_label`;
        return this.rejectRecord('label_values', out, index, `labels.${label}`, value, reason);
      }
      fresh.push([seen, value, `${name}\0${label}`]);
    }

    ensure(this.series, name).add(key);
    const admitted: AdmittedKey[] = [{ kind: 'series', scope: name, value: key }];
    for (const [seen, value, scope] of fresh) {
      seen.add(value);
      admitted.push({ kind: 'label_value', scope, value });
    }
    this.persist(admitted);
    return true;
  }

  private restore(key: AdmittedKey): void {
    if (key.kind === 'stream') this.streams.add(key.value);
    else if (key.kind === 'series') ensure(this.series, key.scope).add(key.value);
    else if (key.kind === 'label_value') ensure(this.labelValues, key.scope).add(key.value);
    else ensure(this.categories, key.scope).add(key.value);
  }

  /**
   * Appends new keys to the key file. A failed write is logged and the keys stay admitted in
   * memory, so ingest goes on, but a restart would not count them.
   */
  private persist(keys: AdmittedKey[]): void {
    if (this.keyLog === undefined || keys.length === 0) return;
    try {
      this.keyLog.append(keys);
    } catch (error) {
      this.logger?.error({ err: error, keys: keys.length }, 'cardinality key write failed');
    }
  }

  private rejectRecord(
    kind: CardinalityKind,
    out: Rejection[],
    index: number,
    field: string,
    value: unknown,
    reason: string,
  ): false {
    this.rejected.inc({ kind });
    reject(out, index, field, value, 'cardinality_limit', reason);
    return false;
  }
}

/** Fills defaults and throws on a limit that is not a positive integer, naming it. */
export function resolveCardinalityLimits(partial: Partial<CardinalityLimits>): CardinalityLimits {
  const limits = { ...DEFAULT_CARDINALITY_LIMITS, ...partial };
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`cardinality limit ${key} is ${value}: set a positive integer`);
    }
  }
  return limits;
}

/** Joins a label set into one key, independent of key order; label names never contain `\0`. */
function labelKey(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((label) => `${label}\0${labels[label]}`)
    .join('\0');
}

function ensure(map: Map<string, Set<string>>, key: string): Set<string> {
  let set = map.get(key);
  if (set === undefined) {
    set = new Set();
    map.set(key, set);
  }
  return set;
}

/** Creates the counter, or reuses the registry's, so several ingestors can share one registry. */
function rejectedCounter(registry: Registry): Counter<'kind'> {
  const existing = registry.getSingleMetric(COUNTER_NAME);
  if (existing !== undefined) return existing as Counter<'kind'>;
  return new Counter({
    name: COUNTER_NAME,
    help: 'Records rejected because they would create a stream, series, label value or category past its limit.',
    labelNames: ['kind'],
    registers: [registry],
  });
}

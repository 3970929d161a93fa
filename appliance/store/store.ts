import type { ActualUpdate, PredictionEvent, SeriesPoint, TimeRange } from '../core/types.ts';
import type { AlertHistoryEntry, AlertInstanceState } from '../alerting/alert.ts';

/** The outcome of a durable event write: the call returns only after the transaction committed. */
export interface InsertEventsResult {
  inserted: number;
  /** Events whose (stream, id) was already stored; they are acknowledged but not counted again. */
  duplicates: number;
  /** Positions in the input array of the duplicates. */
  duplicateIndexes: number[];
}

export interface ApplyActualsResult {
  updated: number;
  /** Positions in the input array of updates whose event id is not stored (yet). */
  notFoundIndexes: number[];
}

/** Points of one series (one name and labelset), in time order. */
export interface SeriesSamples {
  name: string;
  labels: Record<string, string>;
  timestamps: number[];
  values: number[];
}

/** One evaluator output at one evaluation time, as written by the rule engine. */
export interface StoredResult {
  /** Evaluation time, epoch ms. */
  timestamp: number;
  rule: string;
  group: string;
  evaluator: string;
  labels: Record<string, string>;
  values: Record<string, number>;
  convention: Record<string, string | number | boolean>;
  reason?: string;
}

/** Label matchers of a series selector: exact equality on each named label. */
export type LabelMatchers = Record<string, string>;

/**
 * The persistence contract every backend implements. All methods are synchronous for the
 * embedded store; a write method that returns has committed durably.
 */
export interface Store {
  insertEvents(events: readonly PredictionEvent[]): InsertEventsResult;
  applyActuals(updates: readonly ActualUpdate[]): ApplyActualsResult;
  insertPoints(points: readonly SeriesPoint[]): number;

  /** Events of a stream with `from <= timestamp < to`, in timestamp order. */
  queryEvents(stream: string, range: TimeRange): PredictionEvent[];
  /** Series named `name` whose labels include every matcher, with points in the range. */
  queryPoints(name: string, matchers: LabelMatchers, range: TimeRange): SeriesSamples[];
  /** Stream names that have events. */
  listStreams(): string[];

  writeResults(results: readonly StoredResult[]): void;
  queryResults(rule: string, range: TimeRange): StoredResult[];

  loadAlertStates(): AlertInstanceState[];
  /** Replaces the stored state of the given alert instances; deleted ones are passed in `removed`. */
  saveAlertStates(states: readonly AlertInstanceState[], removed: readonly string[]): void;
  appendAlertHistory(entries: readonly AlertHistoryEntry[]): void;
  queryAlertHistory(range: TimeRange, rule?: string): AlertHistoryEntry[];

  /** Deletes events, points and results older than `before` (epoch ms); returns rows deleted. */
  prune(before: number): number;
  close(): void;
}

import type {
  IngestOutcome,
  EventsAccepted,
  PointsAccepted,
} from '../appliance/ingest/ingestor.ts';
import type { Rejection } from '../appliance/ingest/rejection.ts';
import type { Logger } from '../appliance/log/logger.ts';
import type { CollectorMetrics } from './collector-metrics.ts';

/**
 * The one interface every collector implements. `start()` resolves once the collector runs
 * (its first read may still be pending) and rejects only on a configuration error. `stop()`
 * resolves after the read in flight has committed or been abandoned, so nothing is half done.
 */
export interface Collector {
  readonly name: string;
  readonly kind: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): CollectorHealth;
}

/** Health as `/readyz` and tests see it. Times are epoch milliseconds. */
export interface CollectorHealth {
  state: 'idle' | 'running' | 'backoff' | 'stopped';
  /** End of the last read that committed, null before the first. */
  lastSuccessMs: number | null;
  /** Reason of the last failed read, null after a success. */
  lastError: string | null;
  /** Failed reads in a row; 0 after a success. */
  consecutiveFailures: number;
}

/** The part of the ingestor a collector writes to; results resolve after the durable commit. */
export interface IngestSink {
  submitEvents(
    rows: readonly unknown[],
    preRejected?: readonly Rejection[],
  ): Promise<IngestOutcome<EventsAccepted>>;
  submitPoints(
    rows: readonly unknown[],
    preRejected?: readonly Rejection[],
  ): Promise<IngestOutcome<PointsAccepted>>;
}

/** Dependencies the appliance passes to every collector. */
export interface CollectorContext {
  ingest: IngestSink;
  logger: Logger;
  metrics: CollectorMetrics;
  /** Wall clock in epoch milliseconds; tests pass a fixed one. */
  now?: () => number;
}

/** Thrown by a read step for a failure worth a retry, such as a store outage. */
export class RetryableError extends Error {
  override readonly name: string = 'RetryableError';
}

/**
 * Thrown when a batch contains more records than one ingest commit takes. It stays a
 * `RetryableError` for callers that split their batches by count, but a caller that cannot
 * split (one Kafka message of too many records) must reject the batch, since resending it
 * fails the same way.
 */
export class BatchTooLargeError extends RetryableError {
  override readonly name = 'BatchTooLargeError';

  constructor(
    readonly records: number,
    readonly limit: number,
  ) {
    super(`batch of ${records} records is above ingest.max_batch_records (${limit})`);
  }
}

/**
 * Submits rows and turns every non-committed outcome into a `RetryableError`, except
 * `invalid` (every row rejected), which is final: sending the same rows again cannot help.
 */
export async function submitOrThrow(
  ingest: IngestSink,
  target: 'events' | 'points',
  rows: readonly unknown[],
  preRejected: readonly Rejection[] = [],
): Promise<{ stored: number; rejected: Rejection[] }> {
  if (rows.length === 0) return { stored: 0, rejected: [] };
  const outcome =
    target === 'events'
      ? await ingest.submitEvents(rows, preRejected)
      : await ingest.submitPoints(rows, preRejected);

  switch (outcome.status) {
    case 'committed':
      return { stored: outcome.result.stored, rejected: outcome.result.rejected };
    case 'invalid':
      return { stored: 0, rejected: outcome.rejected };
    case 'queue_full':
      throw new RetryableError('ingest queue full; retrying after a backoff');
    case 'store_failed':
      throw new RetryableError(`store write failed: ${outcome.reason}`);
    case 'too_many_records':
      throw new BatchTooLargeError(outcome.records, outcome.limit);
  }
}

/**
 * Sets the lag gauge to the time from the newest event time among `rows` to `nowMs`, in
 * seconds. Rows without a numeric or RFC 3339 `timestamp` are ignored. With none, the gauge
 * keeps its previous value.
 */
export function recordLag(
  metrics: CollectorMetrics,
  collector: string,
  rows: readonly unknown[],
  nowMs: number,
): void {
  let newest = -Infinity;
  for (const row of rows) {
    const time = eventTime(row);
    if (Number.isFinite(time) && time > newest) newest = time;
  }
  if (Number.isFinite(newest)) metrics.lag.set({ collector }, Math.max(0, nowMs - newest) / 1000);
}

/** Returns a row's `timestamp` in epoch milliseconds, NaN when it has none that parses. */
export function eventTime(row: unknown): number {
  const value = (row as { timestamp?: unknown } | null)?.timestamp;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Date.parse(value);
  return NaN;
}

import type { ActualUpdate, PredictionEvent, SeriesPoint } from '../core/types.ts';
import type { Logger } from '../log/logger.ts';
import type { VigilMetrics } from '../metrics/metrics.ts';
import type { Store } from '../store/store.ts';
import { CardinalityGuard, type CardinalityLimits } from './cardinality.ts';
import { commitGroup, recordCount, type BatchCommit, type IngestPayload } from './group-commit.ts';
import { IngestQueue, type CommitResult } from './ingest-queue.ts';
import { resolveLimits, type IngestLimits } from './limits.ts';
import { RateLimitedLog } from './rate-limited-log.ts';
import type { Rejection } from './rejection.ts';
import { StreamLabels } from './stream-labels.ts';
import { validateActual } from './validate-actual.ts';
import { validateEvent } from './validate-event.ts';
import { validatePoint } from './validate-point.ts';

/** The parts of window state the ingestor feeds after each commit. */
export interface WindowSink {
  addEvents(events: readonly PredictionEvent[]): void;
  applyActuals(updates: readonly ActualUpdate[]): void;
  addPoints(points: readonly SeriesPoint[]): void;
}

/** Records committed by one group commit, duplicates and unknown actuals excluded. */
export interface CommittedRecords {
  events: readonly PredictionEvent[];
  points: readonly SeriesPoint[];
}

export interface IngestorOptions {
  store: Store;
  window?: WindowSink;
  metrics: VigilMetrics;
  logger: Logger;
  limits?: Partial<IngestLimits>;
  /** Bounds on distinct streams, series, label values and categories; see `CardinalityGuard`. */
  cardinality?: Partial<CardinalityLimits>;
  /** File of admitted cardinality keys, read at start. Without it the keys live in memory only. */
  cardinalityKeysPath?: string;
  /** Records in one group commit; default 10,000, about 0.1 s of inserts at 100,000 events/s. */
  maxGroupRecords?: number;
  /** `Retry-After` value of a 429 answer, in seconds; default 1. */
  retryAfterSeconds?: number;
  /** Distinct stream label values on the per-stream counters before `_other` is used. */
  maxStreamLabels?: number;
  /** Scheduler of the writer after an enqueue; see `IngestQueueOptions.schedule`. */
  schedule?: (drain: () => void) => void;
}

export interface EventsAccepted {
  received: number;
  stored: number;
  /** Indexes (request positions) of events whose (stream, id) was already known. */
  duplicateIndexes: number[];
  rejected: Rejection[];
}

export interface ActualsAccepted {
  received: number;
  updated: number;
  /** Indexes of actuals whose event is not stored (yet); the client may resend them later. */
  notFoundIndexes: number[];
  rejected: Rejection[];
}

export interface PointsAccepted {
  received: number;
  stored: number;
  rejected: Rejection[];
}

/** The outcome of one submission. The ingestor never throws at its caller. */
export type IngestOutcome<T> =
  | { status: 'committed'; result: T }
  | { status: 'invalid'; rejected: Rejection[] }
  | { status: 'too_many_records'; records: number; limit: number }
  | { status: 'queue_full'; retryAfterSeconds: number }
  | { status: 'store_failed'; reason: string };

type Validator<V> = (
  raw: unknown,
  index: number,
  limits: IngestLimits,
  out: Rejection[],
) => V | null;

/**
 * Validates rows from any collector, queues the valid ones, and resolves once they committed
 * to the store. After each commit it feeds window state and notifies `onCommitted` listeners
 * (the rule engine's event-time clock).
 */
export class Ingestor {
  readonly limits: IngestLimits;
  private readonly queue: IngestQueue<IngestPayload, BatchCommit>;
  private readonly listeners: ((records: CommittedRecords) => void)[] = [];
  private readonly logger: Logger;
  private readonly rateLimited: RateLimitedLog;
  private readonly streamLabels: StreamLabels;
  private readonly cardinality: CardinalityGuard;

  constructor(private readonly options: IngestorOptions) {
    this.limits = resolveLimits(options.limits);
    this.logger = options.logger.child({ component: 'ingest' });
    this.rateLimited = new RateLimitedLog(this.logger);
    this.streamLabels = new StreamLabels(options.maxStreamLabels ?? 1_000);
    this.cardinality = new CardinalityGuard(
      options.metrics.registry,
      options.cardinality,
      options.cardinalityKeysPath === undefined
        ? undefined
        : { path: options.cardinalityKeysPath, logger: this.logger },
    );
    this.queue = new IngestQueue<IngestPayload, BatchCommit>({
      maxQueueRecords: this.limits.maxQueueRecords,
      maxGroupRecords: options.maxGroupRecords ?? 10_000,
      commitGroup: (payloads) => this.commit(payloads),
      onDepth: (depth) => options.metrics.ingestQueueDepth.set(depth),
      schedule: options.schedule,
    });
  }

  /** Subscribes to commits; listeners run synchronously after each group commit. */
  onCommitted(listener: (records: CommittedRecords) => void): void {
    this.listeners.push(listener);
  }

  get queueDepth(): number {
    return this.queue.depth;
  }

  /**
   * Validates and stores prediction events. `preRejected` lists rows the body parser could not
   * read (such as NDJSON lines that are not JSON); they are reported and not validated again.
   */
  async submitEvents(
    rows: readonly unknown[],
    preRejected: readonly Rejection[] = [],
  ): Promise<IngestOutcome<EventsAccepted>> {
    const checked = this.validateAll(
      rows,
      preRejected,
      validateEvent,
      'eventsRejected',
      (event, index, out) => this.cardinality.admitEvent(event, index, out),
    );
    if (checked.status !== 'valid') {
      return checked;
    }

    const outcome = await this.enqueue({ kind: 'events', events: checked.records });
    if (outcome.status !== 'committed' || outcome.result.kind !== 'events') {
      return outcome as IngestOutcome<EventsAccepted>;
    }
    const duplicateIndexes = outcome.result.duplicateIndexes.map((i) => checked.indexes[i]!);
    const stored = checked.records.length - duplicateIndexes.length;
    return {
      status: 'committed',
      result: { received: rows.length, stored, duplicateIndexes, rejected: checked.rejected },
    };
  }

  /** Validates late actuals and joins them to stored events by (stream, id). */
  async submitActuals(
    rows: readonly unknown[],
    preRejected: readonly Rejection[] = [],
  ): Promise<IngestOutcome<ActualsAccepted>> {
    const checked = this.validateAll(rows, preRejected, validateActual, null);
    if (checked.status !== 'valid') {
      if (checked.status === 'invalid') {
        this.options.metrics.actualsReceived.inc({ outcome: 'rejected' }, checked.rejectedRows);
      }
      return checked;
    }
    const rejectedRows = rows.length - checked.records.length;
    this.options.metrics.actualsReceived.inc({ outcome: 'rejected' }, rejectedRows);

    const outcome = await this.enqueue({ kind: 'actuals', updates: checked.records });
    if (outcome.status !== 'committed' || outcome.result.kind !== 'actuals') {
      return outcome as IngestOutcome<ActualsAccepted>;
    }
    const notFoundIndexes = outcome.result.notFoundIndexes.map((i) => checked.indexes[i]!);
    const updated = checked.records.length - notFoundIndexes.length;
    return {
      status: 'committed',
      result: { received: rows.length, updated, notFoundIndexes, rejected: checked.rejected },
    };
  }

  /** Validates and stores numeric series points. */
  async submitPoints(
    rows: readonly unknown[],
    preRejected: readonly Rejection[] = [],
  ): Promise<IngestOutcome<PointsAccepted>> {
    const checked = this.validateAll(
      rows,
      preRejected,
      validatePoint,
      'pointsRejected',
      (point, index, out) => this.cardinality.admitPoint(point, index, out),
    );
    if (checked.status !== 'valid') {
      return checked;
    }

    const outcome = await this.enqueue({ kind: 'points', points: checked.records });
    if (outcome.status !== 'committed' || outcome.result.kind !== 'points') {
      return outcome as IngestOutcome<PointsAccepted>;
    }
    return {
      status: 'committed',
      result: { received: rows.length, stored: outcome.result.stored, rejected: checked.rejected },
    };
  }

  /** Commits everything still queued; call on shutdown before closing the store. */
  flush(): void {
    this.queue.drain();
  }

  private validateAll<V>(
    rows: readonly unknown[],
    preRejected: readonly Rejection[],
    validate: Validator<V>,
    counter: 'eventsRejected' | 'pointsRejected' | null,
    admit: (record: V, index: number, out: Rejection[]) => boolean = () => true,
  ) {
    if (rows.length > this.limits.maxBatchRecords) {
      const limit = this.limits.maxBatchRecords;
      return { status: 'too_many_records' as const, records: rows.length, limit };
    }

    const rejected: Rejection[] = [...preRejected];
    const skip = new Set(preRejected.map((rejection) => rejection.index));
    const records: V[] = [];
    const indexes: number[] = [];
    for (let index = 0; index < rows.length; index++) {
      if (skip.has(index)) {
        continue;
      }
      const record = validate(rows[index], index, this.limits, rejected);
      if (record !== null && admit(record, index, rejected)) {
        records.push(record);
        indexes.push(index);
      }
    }

    const rejectedRows = rows.length - records.length;
    this.countRejections(rejected, counter);
    if (records.length === 0) {
      return { status: 'invalid' as const, rejected, rejectedRows };
    }
    return { status: 'valid' as const, records, indexes, rejected };
  }

  /** Counts each rejected row once, under the code of its first problem, and logs it. */
  private countRejections(
    rejected: readonly Rejection[],
    counter: 'eventsRejected' | 'pointsRejected' | null,
  ): void {
    let previousIndex = -1;
    for (const rejection of rejected) {
      if (rejection.index === previousIndex) {
        continue;
      }
      previousIndex = rejection.index;
      if (counter !== null) {
        this.options.metrics[counter].inc({ reason: rejection.code });
      }
      const fields = { code: rejection.code, field: rejection.field, index: rejection.index };
      this.rateLimited.warn(`rejected:${rejection.code}`, fields, 'ingest row rejected');
    }
  }

  private async enqueue(payload: IngestPayload): Promise<IngestOutcome<BatchCommit>> {
    const queued = this.queue.enqueue(payload, recordCount(payload));
    if (!queued.accepted) {
      this.options.metrics.ingestQueueRejected.inc();
      this.rateLimited.warn('queue_full', { depth: queued.depth }, 'ingest queue full');
      return { status: 'queue_full', retryAfterSeconds: this.options.retryAfterSeconds ?? 1 };
    }

    const committed = await queued.committed;
    if (!committed.ok) {
      return { status: 'store_failed', reason: committed.reason };
    }
    return { status: 'committed', result: committed.value };
  }

  /** The writer's group commit, then window state, metrics and listeners. */
  private commit(payloads: IngestPayload[]): CommitResult<BatchCommit>[] {
    const stopTimer = this.options.metrics.ingestCommitDuration.startTimer();
    const results = commitGroup(this.options.store, payloads);
    stopTimer();

    const events: PredictionEvent[] = [];
    const updates: ActualUpdate[] = [];
    const points: SeriesPoint[] = [];
    for (let i = 0; i < payloads.length; i++) {
      this.collectCommitted(payloads[i]!, results[i]!, events, updates, points);
    }
    this.publish(events, updates, points);
    return results;
  }

  private collectCommitted(
    payload: IngestPayload,
    result: CommitResult<BatchCommit>,
    events: PredictionEvent[],
    updates: ActualUpdate[],
    points: SeriesPoint[],
  ): void {
    if (!result.ok) {
      this.rateLimited.error(
        `store:${payload.kind}`,
        { reason: result.reason },
        'store write failed',
      );
      return;
    }
    const value = result.value;
    if (payload.kind === 'events' && value.kind === 'events') {
      keepExcept(payload.events, value.duplicateIndexes, events);
      this.countDuplicates(payload.events, value.duplicateIndexes);
    } else if (payload.kind === 'actuals' && value.kind === 'actuals') {
      keepExcept(payload.updates, value.notFoundIndexes, updates);
      const joined = payload.updates.length - value.notFoundIndexes.length;
      this.options.metrics.actualsReceived.inc({ outcome: 'joined' }, joined);
      this.options.metrics.actualsReceived.inc(
        { outcome: 'not_found' },
        value.notFoundIndexes.length,
      );
    } else if (payload.kind === 'points') {
      keepExcept(payload.points, [], points);
      this.options.metrics.pointsReceived.inc(payload.points.length);
    }
  }

  private countDuplicates(events: readonly PredictionEvent[], duplicateIndexes: number[]): void {
    for (const index of duplicateIndexes) {
      const stream = this.streamLabels.label(events[index]!.stream);
      this.options.metrics.eventsDuplicate.inc({ stream });
    }
  }

  private publish(events: PredictionEvent[], updates: ActualUpdate[], points: SeriesPoint[]) {
    this.countReceived(events);
    const window = this.options.window;
    if (window !== undefined) {
      this.guard('window', () => {
        if (events.length > 0) window.addEvents(events);
        if (updates.length > 0) window.applyActuals(updates);
        if (points.length > 0) window.addPoints(points);
      });
    }
    if (events.length === 0 && points.length === 0) {
      return;
    }
    for (const listener of this.listeners) {
      this.guard('listener', () => listener({ events, points }));
    }
  }

  private countReceived(events: readonly PredictionEvent[]): void {
    const perStream = new Map<string, number>();
    for (const event of events) {
      perStream.set(event.stream, (perStream.get(event.stream) ?? 0) + 1);
    }
    for (const [stream, count] of perStream) {
      this.options.metrics.eventsReceived.inc({ stream: this.streamLabels.label(stream) }, count);
    }
  }

  /** Runs a post-commit step; its error is logged, as the records are already committed. */
  private guard(step: string, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.rateLimited.error(
        `after-commit:${step}`,
        { step, err: error },
        'post-commit step failed',
      );
    }
  }
}

/** Appends the items of `source` whose positions are not in `excluded`. */
function keepExcept<V>(source: readonly V[], excluded: readonly number[], target: V[]): void {
  const skip = excluded.length === 0 ? null : new Set(excluded);
  for (let i = 0; i < source.length; i++) {
    if (skip === null || !skip.has(i)) {
      target.push(source[i]!);
    }
  }
}

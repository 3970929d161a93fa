import type { ActualUpdate, PredictionEvent, SeriesPoint, TimeRange } from '../../core/types.ts';
import type { AlertHistoryEntry, AlertInstanceState } from '../../alerting/alert.ts';
import type { Logger } from '../../log/logger.ts';
import type {
  ApplyActualsResult,
  InsertEventsResult,
  LabelMatchers,
  SeriesSamples,
  Store,
  StoredResult,
} from '../store.ts';
import type { Outbox } from './outbox.ts';
import type { OutboxTarget, SeriesItem } from './outbox-sinks.ts';

export interface ForwardingStoreOptions {
  inner: Store;
  outbox: Outbox;
  logger: Logger;
  /** Remote roles configured; only their targets get entries. */
  documents: boolean;
  series: boolean;
}

/**
 * The embedded store, with every committed write also appended to the outbox for the remote
 * stores. Ingest is admitted only while the outbox has room: when it is full, `insertEvents`
 * and `insertPoints` throw before storing anything, which the ingestor turns into a 503 with
 * the outbox's reason. Reads stay on the embedded store. Events are forwarded with duplicates
 * too, because a kill between the two commits leaves the remote copy to a resend, and the
 * document ids make a resent event a 409.
 */
export class ForwardingStore implements Store {
  constructor(private readonly options: ForwardingStoreOptions) {}

  insertEvents(events: readonly PredictionEvent[]): InsertEventsResult {
    this.admit();
    const result = this.options.inner.insertEvents(events);
    if (this.options.documents) this.forward('events', events);
    return result;
  }

  insertPoints(points: readonly SeriesPoint[]): number {
    this.admit();
    const stored = this.options.inner.insertPoints(points);
    if (this.options.series)
      this.forward(
        'series',
        points.map((point) => ({ point })),
      );
    return stored;
  }

  writeResults(results: readonly StoredResult[]): void {
    this.options.inner.writeResults(results);
    if (this.options.documents) this.forward('results', results);
    if (this.options.series) {
      this.forward(
        'series',
        results.map((result): SeriesItem => ({ result })),
      );
    }
  }

  appendAlertHistory(entries: readonly AlertHistoryEntry[]): void {
    this.options.inner.appendAlertHistory(entries);
    if (this.options.documents) this.forward('alerts', entries);
  }

  /**
   * Forwards the updates the embedded store applied. Updates of events not stored (yet) are not
   * forwarded: the ingestor reports them, and they change no document.
   */
  applyActuals(updates: readonly ActualUpdate[]): ApplyActualsResult {
    const result = this.options.inner.applyActuals(updates);
    if (this.options.documents) {
      const notFound = new Set(result.notFoundIndexes);
      this.forward(
        'actuals',
        updates.filter((_, index) => !notFound.has(index)),
      );
    }
    return result;
  }

  queryEvents(stream: string, range: TimeRange): PredictionEvent[] {
    return this.options.inner.queryEvents(stream, range);
  }

  queryPoints(name: string, matchers: LabelMatchers, range: TimeRange): SeriesSamples[] {
    return this.options.inner.queryPoints(name, matchers, range);
  }

  listStreams(): string[] {
    return this.options.inner.listStreams();
  }

  queryResults(rule: string, range: TimeRange): StoredResult[] {
    return this.options.inner.queryResults(rule, range);
  }

  loadAlertStates(): AlertInstanceState[] {
    return this.options.inner.loadAlertStates();
  }

  saveAlertStates(states: readonly AlertInstanceState[], removed: readonly string[]): void {
    this.options.inner.saveAlertStates(states, removed);
  }

  queryAlertHistory(range: TimeRange, rule?: string): AlertHistoryEntry[] {
    return this.options.inner.queryAlertHistory(range, rule);
  }

  prune(before: number): number {
    return this.options.inner.prune(before);
  }

  close(): void {
    this.options.inner.close();
  }

  private admit(): void {
    const reason = this.options.outbox.fullReason();
    if (reason !== undefined) throw new Error(reason);
  }

  /** Appends past the byte limit if it must: these records are committed locally already. */
  private forward(target: OutboxTarget, items: readonly unknown[]): void {
    if (items.length === 0) return;
    const appended = this.options.outbox.append(target, items, { pastLimit: true });
    if (!appended.ok) {
      this.options.logger.error({ target, reason: appended.reason }, 'outbox append failed');
    }
  }
}

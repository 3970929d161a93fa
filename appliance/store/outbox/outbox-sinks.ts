import type { ActualUpdate, PredictionEvent, SeriesPoint } from '../../core/types.ts';
import type { AlertHistoryEntry } from '../../alerting/alert.ts';
import type { StoredResult } from '../store.ts';
import type { InfluxBatchWriter } from '../influx/influx-batch-writer.ts';
import { resultToInflux, seriesPointToInflux } from '../influx/influx-layout.ts';
import type { SearchBulkWriter } from '../search/search-bulk-writer.ts';
import type { SearchActualUpdater } from '../search/search-actual-updater.ts';
import { alertDocument, eventDocument, resultDocument } from '../search/search-layout.ts';
import type { OutboxSink } from './outbox-drainer.ts';

/** Outbox targets: three document kinds, late actuals of events, and the series store. */
export const OUTBOX_TARGETS = ['events', 'results', 'alerts', 'actuals', 'series'] as const;

/** `actuals` entries wait for the `events` entries appended before them (see the drainer). */
export const OUTBOX_ORDER: Record<string, OutboxTarget> = { actuals: 'events' };
export type OutboxTarget = (typeof OUTBOX_TARGETS)[number];

/** An item of the `series` target: a raw point or an evaluator result. */
export type SeriesItem = { point: SeriesPoint } | { result: StoredResult };

/**
 * Sinks that hand outbox entries to the document writer. The writer retries until the store
 * responds, so a sink throws only when the writer was closed with documents unsent.
 */
export function documentSinks(writer: SearchBulkWriter): Record<string, OutboxSink> {
  const sink =
    (
      kind: 'events' | 'results' | 'alerts',
      toDocument: (item: never) => ReturnType<typeof eventDocument>,
    ) =>
    async (items: unknown[]) => {
      const outcome = await writer.write(
        kind,
        items.map((item) => toDocument(item as never)),
      );
      if (outcome.unsent.length > 0) {
        throw new Error(`document writer closed with ${outcome.unsent.length} ${kind} unsent`);
      }
    };
  return {
    events: sink('events', (item: PredictionEvent) => eventDocument(item)),
    results: sink('results', (item: StoredResult) => resultDocument(item)),
    alerts: sink('alerts', (item: AlertHistoryEntry) => alertDocument(item)),
  };
}

/**
 * Returns a sink that sets late actuals on event documents. An update whose event document is missing
 * is logged by the updater and not sent again; a failed request throws, so it is sent again.
 */
export function actualsSink(updater: SearchActualUpdater): OutboxSink {
  return async (items: unknown[]) => {
    await updater.apply(items as ActualUpdate[]);
  };
}

/**
 * A sink that hands `series` entries to the InfluxDB writer and waits until InfluxDB
 * acknowledged them. Points the writer rejects are counted by the writer with their reason;
 * points it has no room for make the sink throw, so the entry is sent again later.
 */
export function seriesSink(writer: InfluxBatchWriter): OutboxSink {
  return async (items: unknown[]) => {
    const points = (items as SeriesItem[]).map((item) =>
      'point' in item ? seriesPointToInflux(item.point) : resultToInflux(item.result),
    );
    const accepted = writer.write(points);
    if (!(await writer.flush())) {
      throw new Error(`influx writer stopped with ${writer.buffered} points unsent`);
    }
    if (accepted.overflow > 0) {
      throw new Error(`influx writer buffer full, ${accepted.overflow} points to send again`);
    }
  };
}

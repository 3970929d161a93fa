import type { Client } from '@elastic/elasticsearch';
import type { Registry } from 'prom-client';
import type { Logger } from '../../log/logger.ts';
import { dataStreamName, type DocumentKind, type SearchDocument } from './search-layout.ts';
import { createSearchWriterMetrics, type SearchWriterMetrics } from './search-writer-metrics.ts';

export interface SearchBulkWriterOptions {
  client: Client;
  logger: Logger;
  prefix?: string;
  registry?: Registry;
  /** Bytes per `_bulk` request. Default 5,000,000 (the helper's default). */
  flushBytes?: number;
  /** `_bulk` requests in flight. Default 2. */
  concurrency?: number;
  /** First delay before sending the rest again, doubled up to `maxRetryDelayMs`. 200 and 5,000 ms. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

/** A document the store rejected with a status that retrying cannot fix, and the store's reason. */
export interface RejectedDocument {
  id: string;
  status: number;
  reason: string;
}

export interface BulkOutcome {
  /** Created by this call. */
  stored: number;
  /** Documents that returned 409, because an earlier send of the same id stored them. */
  alreadyStored: number;
  rejected: RejectedDocument[];
  /** Documents not settled because `close` was called first; the caller keeps them. */
  unsent: SearchDocument[];
}

/** Statuses after which the same document can succeed when sent again. */
function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Writes documents with the client's bulk helper as `create` with their deterministic `_id`, so
 * a document sent twice is stored once (the second response is a 409, counted as already stored).
 * Every document ends in exactly one of: stored, already stored, rejected (logged and counted),
 * or unsent after `close`. A refused connection or a 5xx makes the call send the documents not
 * yet settled again, with a growing delay, until the store responds.
 */
export class SearchBulkWriter {
  readonly metrics: SearchWriterMetrics;
  private closed = false;

  constructor(private readonly options: SearchBulkWriterOptions) {
    this.metrics = createSearchWriterMetrics(options.registry);
  }

  async write(kind: DocumentKind, documents: readonly SearchDocument[]): Promise<BulkOutcome> {
    const outcome: BulkOutcome = { stored: 0, alreadyStored: 0, rejected: [], unsent: [] };
    let pending = new Map(documents.map((d) => [d.id, d]));
    let delay = this.options.retryDelayMs ?? 200;

    while (pending.size > 0) {
      if (this.closed) {
        outcome.unsent.push(...pending.values());
        break;
      }
      const again = await this.sendOnce(kind, pending, outcome);
      if (again.size > 0) {
        this.metrics.retries.inc({ kind }, again.size);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, this.options.maxRetryDelayMs ?? 5000);
      }
      pending = again;
    }
    return outcome;
  }

  /** Stops retrying; calls in progress return what they have not settled as `unsent`. */
  close(): void {
    this.closed = true;
  }

  /** One pass of the bulk helper; returns the documents to send again. */
  private async sendOnce(
    kind: DocumentKind,
    pending: Map<string, SearchDocument>,
    outcome: BulkOutcome,
  ): Promise<Map<string, SearchDocument>> {
    const settled = new Set<string>();
    const again = new Map<string, SearchDocument>();
    const index = dataStreamName(kind, this.options.prefix);
    const bodies = new WeakMap<object, string>();
    const datasource = [...pending.values()].map((d) => {
      bodies.set(d.body, d.id);
      return d.body;
    });

    try {
      await this.options.client.helpers.bulk({
        datasource,
        onDocument: (body) => ({ create: { _index: index, _id: bodies.get(body)! } }),
        onSuccess: ({ result }) => {
          settled.add(result.create!._id!);
          outcome.stored += 1;
          this.metrics.stored.inc({ kind });
        },
        onDrop: (drop) => {
          const id = (drop.operation as { create: { _id: string } }).create._id;
          settled.add(id);
          this.settleDrop(kind, id, drop.status, drop.error?.reason ?? '', pending, again, outcome);
        },
        flushBytes: this.options.flushBytes ?? 5_000_000,
        concurrency: this.options.concurrency ?? 2,
        retries: 3,
        wait: 1000,
      });
    } catch (error) {
      // The connection failed or a whole `_bulk` request got a 5xx, so which documents landed
      // is unknown. All unsettled ones are sent again, and one that did land returns a 409.
      this.options.logger.warn(
        { kind, err: error },
        'document store request failed, sending the unsettled documents again',
      );
      for (const [id, doc] of pending) if (!settled.has(id)) again.set(id, doc);
    }
    return again;
  }

  private settleDrop(
    kind: DocumentKind,
    id: string,
    status: number,
    reason: string,
    pending: Map<string, SearchDocument>,
    again: Map<string, SearchDocument>,
    outcome: BulkOutcome,
  ): void {
    if (status === 409) {
      outcome.alreadyStored += 1;
      this.metrics.alreadyStored.inc({ kind });
      return;
    }
    if (retryable(status)) {
      again.set(id, pending.get(id)!);
      return;
    }
    outcome.rejected.push({ id, status, reason });
    this.metrics.rejected.inc({ kind, reason: `status_${status}` });
    this.options.logger.error(
      { kind, id, status, reason },
      'document store rejected a document, dropped it',
    );
  }
}

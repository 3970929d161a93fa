import type { Client } from '@elastic/elasticsearch';
import type { ActualUpdate } from '../../core/types.ts';
import type { Logger } from '../../log/logger.ts';
import { dataStreamName, documentId } from './search-layout.ts';

export interface SearchActualUpdaterOptions {
  client: Client;
  logger: Logger;
  prefix?: string;
  /** Documents updated by one `_update_by_query` request. Default 1000. */
  chunkSize?: number;
}

export interface ActualsOutcome {
  updated: number;
  /** Updates whose event document is not in the store, by event document `_id`. */
  missing: string[];
}

/** Sets `actual` from `params.actuals`, keyed by the document `_id`. */
const SCRIPT = 'ctx._source.actual = params.actuals[ctx._id]';

/** A missing events stream means no event document exists, so every update is missing. */
const MISSING_STREAM_OK = { ignore_unavailable: true, allow_no_indices: true };

/**
 * Sets the late `actual` on stored event documents. A data stream takes no update by `_id`, so
 * each chunk is one `_update_by_query` with an `ids` query and the actuals as script params. The
 * events stream is refreshed first, because the query finds only refreshed documents and an
 * event created a moment ago may not be yet. Writing the same actual twice gives the same
 * document, so a chunk that failed part way is simply sent again.
 */
export class SearchActualUpdater {
  private readonly abort = new AbortController();

  constructor(private readonly options: SearchActualUpdaterOptions) {}

  /** Applies the updates in order, so a later update of one event wins. Throws to be retried. */
  async apply(updates: readonly ActualUpdate[]): Promise<ActualsOutcome> {
    const actuals = new Map<string, number | string>();
    for (const update of updates) {
      actuals.set(documentId('event', update.stream, update.id), update.actual);
    }
    const index = dataStreamName('events', this.options.prefix);
    const signal = this.abort.signal;
    const outcome: ActualsOutcome = { updated: 0, missing: [] };
    if (actuals.size === 0) return outcome;

    await this.options.client.indices.refresh({ index, ...MISSING_STREAM_OK }, { signal });
    const ids = [...actuals.keys()];
    const size = this.options.chunkSize ?? 1000;
    for (let start = 0; start < ids.length; start += size) {
      const chunk = ids.slice(start, start + size);
      const found = await this.updateChunk(index, chunk, actuals, signal);
      outcome.updated += found.size;
      for (const id of chunk) if (!found.has(id)) outcome.missing.push(id);
    }

    if (outcome.missing.length > 0) {
      this.options.logger.warn(
        { index, missing: outcome.missing.length, example: outcome.missing[0] },
        'late actuals found no event document, skipped them (was the event rejected?)',
      );
    }
    return outcome;
  }

  /** Aborts the request in flight, so a shutdown does not wait for an unreachable store. */
  close(): void {
    this.abort.abort();
  }

  /** Updates one chunk and returns the ids it found. */
  private async updateChunk(
    index: string,
    ids: string[],
    actuals: Map<string, number | string>,
    signal: AbortSignal,
  ): Promise<Set<string>> {
    const params: Record<string, number | string> = {};
    for (const id of ids) params[id] = actuals.get(id)!;

    const response = await this.options.client.updateByQuery(
      {
        index,
        ...MISSING_STREAM_OK,
        query: { ids: { values: ids } },
        script: { source: SCRIPT, lang: 'painless', params: { actuals: params } },
        refresh: true,
      },
      { signal },
    );
    const failures = response.failures ?? [];
    if (failures.length > 0) {
      throw new Error(`update of late actuals failed on ${failures.length} documents`);
    }

    const total = response.total ?? 0;
    if (total === ids.length) return new Set(ids);
    return this.presentIds(index, ids, signal);
  }

  /** Returns which of `ids` exist, for the rare chunk where some event documents are missing. */
  private async presentIds(index: string, ids: string[], signal: AbortSignal) {
    const response = await this.options.client.search(
      {
        index,
        ...MISSING_STREAM_OK,
        query: { ids: { values: ids } },
        size: ids.length,
        _source: false,
      },
      { signal },
    );
    return new Set(response.hits.hits.map((hit) => hit._id!));
  }
}

/**
 * Document store half of `stores.bench.ts`: Vigil's `SearchBulkWriter` against the client's
 * raw bulk helper with the same documents, `_id`s, flush size and concurrency, each into a data
 * stream of its own that Vigil's `ensureSearchLayout` created fresh for the round.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { silentLogger } from '../appliance/log/logger.ts';
import { Outbox } from '../appliance/store/outbox/outbox.ts';
import { OutboxDrainer } from '../appliance/store/outbox/outbox-drainer.ts';
import { documentSinks } from '../appliance/store/outbox/outbox-sinks.ts';
import type { StoredResult } from '../appliance/store/store.ts';
import { SearchBulkWriter } from '../appliance/store/search/search-bulk-writer.ts';
import type { SearchFlavor } from '../appliance/store/search/search-client.ts';
import {
  dataStreamName,
  DOCUMENT_KINDS,
  eventDocument,
  type SearchDocument,
} from '../appliance/store/search/search-layout.ts';
import { ensureSearchLayout } from '../appliance/store/search/search-setup.ts';
import { storedRow } from './ingest-rows.ts';

/** The writer's defaults, given to the raw helper too. */
const FLUSH_BYTES = 5_000_000;
const CONCURRENCY = 2;

/** Builds the event documents of the ingest benchmark's rows (20 numeric features each). */
export function eventDocuments(count: number): SearchDocument[] {
  return Array.from({ length: count }, (_, i) => eventDocument(storedRow(i)));
}

/** Deletes the prefix's data streams, then creates its templates and policies again. */
async function freshLayout(client: Client, flavor: SearchFlavor, prefix: string): Promise<void> {
  for (const kind of DOCUMENT_KINDS) {
    await client.indices.deleteDataStream(
      { name: dataStreamName(kind, prefix) },
      { ignore: [404] },
    );
  }
  await ensureSearchLayout(client, { flavor, prefix }, silentLogger());
}

/** Measures the raw bulk helper (`create` with the document's `_id`) in documents/s until it resolved. */
export async function rawBulkRate(
  client: Client,
  flavor: SearchFlavor,
  documents: SearchDocument[],
): Promise<number> {
  const prefix = 'vigil-bench-raw';
  await freshLayout(client, flavor, prefix);
  const index = dataStreamName('events', prefix);
  const ids = new WeakMap<object, string>();
  for (const document of documents) ids.set(document.body, document.id);

  const started = performance.now();
  const stats = await client.helpers.bulk({
    datasource: documents.map((document) => document.body),
    onDocument: (body) => ({ create: { _index: index, _id: ids.get(body)! } }),
    flushBytes: FLUSH_BYTES,
    concurrency: CONCURRENCY,
  });
  const rate = documents.length / ((performance.now() - started) / 1000);
  if (stats.successful !== documents.length) {
    throw new Error(`the bulk helper stored ${stats.successful} of ${documents.length} documents`);
  }
  return rate;
}

/** Measures Vigil's writer in documents/s until `write` settled every document. */
export async function writerBulkRate(
  client: Client,
  flavor: SearchFlavor,
  documents: SearchDocument[],
): Promise<number> {
  const prefix = 'vigil-bench-writer';
  await freshLayout(client, flavor, prefix);
  const writer = new SearchBulkWriter({ client, logger: silentLogger(), prefix });

  const started = performance.now();
  const outcome = await writer.write('events', documents);
  const rate = documents.length / ((performance.now() - started) / 1000);
  if (outcome.stored !== documents.length) {
    throw new Error(`the writer stored ${outcome.stored} of ${documents.length} documents`);
  }
  return rate;
}

/** Returns result `i` of a drift rule over 20 features, as the rule engine writes them. */
function benchResult(i: number): StoredResult {
  return {
    timestamp: 1_700_000_000_000 + Math.floor(i / 20) * 60_000,
    rule: 'BenchDrift',
    group: 'bench',
    evaluator: 'drift.psi',
    labels: { stream: 'bench', feature: `f${i % 20}` },
    values: { value: (i % 97) / 100, n_current: 500, n_reference: 500 },
    convention: { bins: 10, empty_bin: 'epsilon 1e-4' },
  };
}

/**
 * Fills an outbox with `entries` entries of `resultsPerEntry` results on the `results` target,
 * then times `drainOnce` into the document store until the outbox is empty. Returns entries/s.
 * `entriesPerDelivery` 1 is the drainer's former one bulk request per entry.
 */
export async function outboxDocumentDrainRate(
  client: Client,
  flavor: SearchFlavor,
  entries: number,
  resultsPerEntry: number,
  entriesPerDelivery?: number,
): Promise<number> {
  const prefix = 'vigil-bench-drain';
  await freshLayout(client, flavor, prefix);
  const directory = mkdtempSync(join(tmpdir(), 'vigil-bench-drain-'));
  const outbox = new Outbox({ path: join(directory, 'outbox.sqlite'), targets: ['results'] });
  for (let e = 0; e < entries; e++) {
    const items = Array.from({ length: resultsPerEntry }, (_, r) =>
      benchResult(e * resultsPerEntry + r),
    );
    outbox.append('results', items);
  }
  const writer = new SearchBulkWriter({ client, logger: silentLogger(), prefix });
  const drainer = new OutboxDrainer({
    outbox,
    sinks: { results: documentSinks(writer).results! },
    logger: silentLogger(),
    ...(entriesPerDelivery === undefined ? {} : { maxEntriesPerDelivery: entriesPerDelivery }),
  });

  const started = performance.now();
  const delivered = await drainer.drainOnce('results');
  const seconds = (performance.now() - started) / 1000;
  const stored = (await writer.metrics.stored.get()).values.reduce((sum, v) => sum + v.value, 0);
  outbox.close();
  rmSync(directory, { recursive: true, force: true });

  if (delivered !== entries || stored !== entries * resultsPerEntry) {
    throw new Error(`the drain delivered ${delivered} of ${entries} entries, ${stored} documents`);
  }
  return entries / seconds;
}

/** Removes the benchmark's data streams, so the node keeps no benchmark data. */
export async function dropBenchStreams(client: Client): Promise<void> {
  for (const prefix of ['vigil-bench-raw', 'vigil-bench-writer', 'vigil-bench-drain']) {
    for (const kind of DOCUMENT_KINDS) {
      await client.indices.deleteDataStream(
        { name: dataStreamName(kind, prefix) },
        { ignore: [404] },
      );
    }
  }
}

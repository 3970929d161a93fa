/**
 * Remote store throughput, each figure beside its raw client baseline in the same run:
 * - points/s from `InfluxBatchWriter` into InfluxDB against node-influx `writePoints` of the
 *   same 5,000-point batches (target: the writer reaches at least 80% of raw);
 * - documents/s from `SearchBulkWriter` into OpenSearch or Elasticsearch against the client's
 *   bulk helper with the same documents and settings (target: at least 80% of raw);
 * - the drain rate of a filled outbox into InfluxDB, in entries/s, payload bytes/s and points/s;
 * - the drain rate of small entries (a few results each, as the rule engine appends them) into
 *   InfluxDB and into the document store. Joined deliveries are measured against one request
 *   per entry, the drainer's former behaviour, in the same run.
 * Each rate is the median of the rounds after an untimed warm-up round; raw and writer
 * alternate which goes first. A store whose URL (`INFLUX_URL`, `OPENSEARCH_URL`) is unset is
 * skipped with a message.
 */
import type { SearchFlavor } from '../appliance/store/search/search-client.ts';
import { createSearchClient } from '../appliance/store/search/search-client.ts';
import { influxPoints, outboxDrainRate, rawInfluxRate, writerInfluxRate } from './stores-influx.ts';
import {
  dropBenchStreams,
  eventDocuments,
  outboxDocumentDrainRate,
  rawBulkRate,
  writerBulkRate,
} from './stores-search.ts';

const POINTS = Number(process.env.VIGIL_BENCH_POINTS ?? 200_000);
const DOCUMENTS = Number(process.env.VIGIL_BENCH_DOCUMENTS ?? 50_000);
const OUTBOX_ENTRIES = Number(process.env.VIGIL_BENCH_OUTBOX_ENTRIES ?? 200);
const OUTBOX_POINTS = Number(process.env.VIGIL_BENCH_OUTBOX_POINTS ?? 1_000);
const SMALL_ENTRIES = Number(process.env.VIGIL_BENCH_SMALL_ENTRIES ?? 1_000);
/** Items per small entry: a group of a few rules appends about this many results at a time. */
const SMALL_ITEMS = 5;
const ROUNDS = Number(process.env.VIGIL_BENCH_ROUNDS ?? 3);
const TARGET_RATIO = 0.8;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function format(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Runs both sides once untimed, then ROUNDS times alternating the order; prints medians. */
async function compare(
  unit: string,
  raw: () => Promise<number>,
  vigil: () => Promise<number>,
): Promise<void> {
  const rawRates: number[] = [];
  const vigilRates: number[] = [];
  // An untimed round first: JIT, connection pools and the store's first index or shard.
  await raw();
  await vigil();
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      rawRates.push(await raw());
      vigilRates.push(await vigil());
    } else {
      vigilRates.push(await vigil());
      rawRates.push(await raw());
    }
  }

  const ratio = median(vigilRates) / median(rawRates);
  console.log(`  raw client   ${format(median(rawRates))} ${unit}/s`);
  console.log(`  Vigil writer ${format(median(vigilRates))} ${unit}/s`);
  console.log(`  rounds raw   ${rawRates.map(format).join(', ')}`);
  console.log(`  rounds Vigil ${vigilRates.map(format).join(', ')}`);
  const verdict = ratio >= TARGET_RATIO ? 'meets' : 'misses';
  console.log(`  ratio ${(ratio * 100).toFixed(1)}% of raw (${verdict} the 80% target)`);
}

async function influxBenchmarks(url: string): Promise<void> {
  const points = influxPoints(POINTS);
  console.log(`InfluxDB ${url}: ${format(POINTS)} points, batches of 5,000, ${ROUNDS} rounds`);
  await compare(
    'points',
    () => rawInfluxRate(url, points),
    () => writerInfluxRate(url, points),
  );

  const drain = await outboxDrainRate(url, OUTBOX_ENTRIES, OUTBOX_POINTS);
  console.log(
    `Outbox drain into InfluxDB: ${drain.entries} entries of ${OUTBOX_POINTS} points, ` +
      `${format(drain.bytes)} payload bytes`,
  );
  console.log(
    `  ${format(drain.entriesPerSecond)} entries/s, ` +
      `${(drain.bytesPerSecond / 1e6).toFixed(2)} MB/s, ${format(drain.pointsPerSecond)} points/s`,
  );

  console.log(
    `Outbox drain into InfluxDB: ${format(SMALL_ENTRIES)} entries of ${SMALL_ITEMS} points, ` +
      'one request per entry against joined deliveries',
  );
  await compareDrain(
    async () => (await outboxDrainRate(url, SMALL_ENTRIES, SMALL_ITEMS, 1)).entriesPerSecond,
    async () => (await outboxDrainRate(url, SMALL_ENTRIES, SMALL_ITEMS)).entriesPerSecond,
  );
}

/** Prints the median entries/s of one request per entry and of joined deliveries, and the ratio. */
async function compareDrain(
  perEntry: () => Promise<number>,
  joined: () => Promise<number>,
): Promise<void> {
  const perEntryRates: number[] = [];
  const joinedRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    perEntryRates.push(await perEntry());
    joinedRates.push(await joined());
  }
  const speedup = median(joinedRates) / median(perEntryRates);
  console.log(`  one request per entry ${format(median(perEntryRates))} entries/s`);
  console.log(`  joined deliveries     ${format(median(joinedRates))} entries/s`);
  console.log(`  rounds joined         ${joinedRates.map(format).join(', ')}`);
  console.log(`  joined is ${speedup.toFixed(1)} times one request per entry`);
}

async function searchBenchmarks(url: string, flavor: SearchFlavor): Promise<void> {
  const client = createSearchClient({ flavor, url, requestTimeoutMs: 120_000 });
  const documents = eventDocuments(DOCUMENTS);
  console.log(`${flavor} ${url}: ${format(DOCUMENTS)} event documents, ${ROUNDS} rounds`);
  try {
    await compare(
      'documents',
      () => rawBulkRate(client, flavor, documents),
      () => writerBulkRate(client, flavor, documents),
    );
    console.log(
      `Outbox drain into ${flavor}: ${format(SMALL_ENTRIES)} entries of ${SMALL_ITEMS} results, ` +
        'one bulk request per entry against joined deliveries',
    );
    await compareDrain(
      () => outboxDocumentDrainRate(client, flavor, SMALL_ENTRIES, SMALL_ITEMS, 1),
      () => outboxDocumentDrainRate(client, flavor, SMALL_ENTRIES, SMALL_ITEMS),
    );
  } finally {
    await dropBenchStreams(client);
    await client.close();
  }
}

export async function run(): Promise<void> {
  const influxUrl = process.env.INFLUX_URL;
  const searchUrl = process.env.OPENSEARCH_URL;
  const flavor = (process.env.VIGIL_BENCH_SEARCH_FLAVOR ?? 'opensearch') as SearchFlavor;

  if (influxUrl) await influxBenchmarks(influxUrl);
  else console.log('skipped InfluxDB and outbox: set INFLUX_URL (such as http://127.0.0.1:8086)');

  if (searchUrl) await searchBenchmarks(searchUrl, flavor);
  else console.log('skipped OpenSearch: set OPENSEARCH_URL (such as http://127.0.0.1:9201)');
}

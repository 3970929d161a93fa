/**
 * InfluxDB halves of `stores.bench.ts`: Vigil's `InfluxBatchWriter` against node-influx
 * `writePoints` of the same batches, and the drain of a filled outbox into InfluxDB.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InfluxDB } from 'influx';
import type { SeriesPoint } from '../appliance/core/types.ts';
import { silentLogger } from '../appliance/log/logger.ts';
import { InfluxBatchWriter } from '../appliance/store/influx/influx-batch-writer.ts';
import { seriesPointToInflux, type InfluxPoint } from '../appliance/store/influx/influx-layout.ts';
import { createInfluxClient, ensureInfluxLayout } from '../appliance/store/influx/influx-setup.ts';
import { OutboxDrainer } from '../appliance/store/outbox/outbox-drainer.ts';
import { seriesSink, type SeriesItem } from '../appliance/store/outbox/outbox-sinks.ts';
import { Outbox } from '../appliance/store/outbox/outbox.ts';

/** The writer's default batch size, used for both sides so each request carries the same lines. */
export const INFLUX_BATCH = 5_000;

/** Inside the 30-day raw retention policy that `ensureInfluxLayout` creates. */
const START_MS = Date.now() - 3_600_000;

/** Returns point `i`: 50 series (5 models × 10 features), one point per series and millisecond. */
export function benchPoint(i: number): SeriesPoint {
  return {
    name: 'vigil_bench_feature',
    labels: { model: `m${i % 5}`, feature: `f${Math.floor(i / 5) % 10}` },
    value: Math.sin(i) * 100,
    timestamp: START_MS + Math.floor(i / 50),
  };
}

/** Drops and creates again `database` with Vigil's layout, so every round writes new series. */
async function freshDatabase(url: string, database: string): Promise<InfluxDB> {
  const influx = createInfluxClient(url, database, 60_000);
  await influx.dropDatabase(database);
  await ensureInfluxLayout(influx, { database }, silentLogger());
  return influx;
}

/** Measures raw node-influx: one `writePoints` per batch and one request in flight, as the writer sends. */
export async function rawInfluxRate(url: string, points: InfluxPoint[]): Promise<number> {
  const database = 'vigil_bench_raw';
  const influx = await freshDatabase(url, database);
  const started = performance.now();
  for (let first = 0; first < points.length; first += INFLUX_BATCH) {
    const batch = points.slice(first, first + INFLUX_BATCH);
    await influx.writePoints(batch, { database, precision: 'ms' });
  }
  return points.length / ((performance.now() - started) / 1000);
}

/** Measures Vigil's writer, fed batch by batch and timed until `flush` resolved (every point acknowledged). */
export async function writerInfluxRate(url: string, points: InfluxPoint[]): Promise<number> {
  const database = 'vigil_bench_writer';
  const influx = await freshDatabase(url, database);
  const writer = new InfluxBatchWriter({ influx, database, logger: silentLogger() });
  const started = performance.now();
  for (let first = 0; first < points.length; first += INFLUX_BATCH) {
    writer.write(points.slice(first, first + INFLUX_BATCH));
  }
  await writer.flush();
  const rate = points.length / ((performance.now() - started) / 1000);

  const written = (await writer.metrics.written.get()).values[0]?.value ?? 0;
  await writer.close();
  if (written !== points.length) {
    throw new Error(`the writer acknowledged ${written} of ${points.length} points`);
  }
  return rate;
}

export interface DrainFigures {
  entries: number;
  bytes: number;
  points: number;
  entriesPerSecond: number;
  bytesPerSecond: number;
  pointsPerSecond: number;
}

/**
 * Fills an outbox with `entries` entries of `pointsPerEntry` raw points on the `series` target.
 * Then times `drainOnce` until the outbox is empty. The sink waits for InfluxDB to acknowledge
 * each delivery. `entriesPerDelivery` 1 is the drainer's former one request per entry.
 */
export async function outboxDrainRate(
  url: string,
  entries: number,
  pointsPerEntry: number,
  entriesPerDelivery?: number,
): Promise<DrainFigures> {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-bench-outbox-'));
  const database = 'vigil_bench_outbox';
  const influx = await freshDatabase(url, database);
  const outbox = new Outbox({ path: join(directory, 'outbox.sqlite'), targets: ['series'] });
  for (let e = 0; e < entries; e++) {
    const items: SeriesItem[] = [];
    for (let p = 0; p < pointsPerEntry; p++)
      items.push({ point: benchPoint(e * pointsPerEntry + p) });
    outbox.append('series', items);
  }
  const bytes = outbox.depthBytes;

  const writer = new InfluxBatchWriter({ influx, database, logger: silentLogger() });
  const drainer = new OutboxDrainer({
    outbox,
    sinks: { series: seriesSink(writer) },
    logger: silentLogger(),
    ...(entriesPerDelivery === undefined ? {} : { maxEntriesPerDelivery: entriesPerDelivery }),
  });
  const started = performance.now();
  const delivered = await drainer.drainOnce('series');
  const seconds = (performance.now() - started) / 1000;
  await writer.close();
  const left = outbox.depthBytes;
  outbox.close();
  rmSync(directory, { recursive: true, force: true });

  if (delivered !== entries || left !== 0) {
    throw new Error(`the drain delivered ${delivered} of ${entries} entries, ${left} bytes left`);
  }
  const points = entries * pointsPerEntry;
  return {
    entries,
    bytes,
    points,
    entriesPerSecond: entries / seconds,
    bytesPerSecond: bytes / seconds,
    pointsPerSecond: points / seconds,
  };
}

/** Builds the benchmark's points in Vigil's layout, once and outside the timed sections. */
export function influxPoints(count: number): InfluxPoint[] {
  return Array.from({ length: count }, (_, i) => seriesPointToInflux(benchPoint(i)));
}

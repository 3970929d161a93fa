/**
 * Ingest throughput: events/s through `POST /api/v1/events` (NDJSON batches of 1,000 events
 * with 20 numeric features, several concurrent clients in a child process) into a SqliteStore
 * on disk, beside raw better-sqlite3 inserts of the same rows in the same run: the same table,
 * pragmas and prepared statement, one transaction per 1,000 rows. Targets: the API reaches at
 * least 50% of the raw rate and at least 50,000 events/s.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createHttpApp, listen } from '../appliance/http/server.ts';
import { Ingestor } from '../appliance/ingest/ingestor.ts';
import { silentLogger } from '../appliance/log/logger.ts';
import { createMetrics } from '../appliance/metrics/metrics.ts';
import { DATABASE_FILE, SqliteStore } from '../appliance/store/sqlite-store.ts';
import { BATCH_SIZE, storedRow } from './ingest-rows.ts';

const BATCHES = Number(process.env.VIGIL_BENCH_BATCHES ?? 100);
const CLIENTS = Number(process.env.VIGIL_BENCH_CLIENTS ?? 4);
const ROUNDS = Number(process.env.VIGIL_BENCH_ROUNDS ?? 3);

/** Inserts the rows straight through better-sqlite3 and returns events/s. */
function rawInsertRate(directory: string, batches: number): number {
  SqliteStore.open({ directory }).close();
  const db = new Database(join(directory, DATABASE_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const insert = db.prepare(
    'INSERT OR IGNORE INTO events ' +
      '(stream, id, ts, version, features, prediction, actual, latency_ms, error) ' +
      'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertBatch = db.transaction((first: number) => {
    for (let i = first; i < first + BATCH_SIZE; i++) {
      const row = rows[i]!;
      const features = JSON.stringify(row.features);
      insert.run(
        row.stream,
        row.id,
        row.timestamp,
        row.version,
        features,
        row.prediction,
        row.actual,
        row.latencyMs,
        0,
      );
    }
  });

  const rows = Array.from({ length: batches * BATCH_SIZE }, (_, i) => storedRow(i));
  const started = performance.now();
  for (let b = 0; b < batches; b++) {
    insertBatch(b * BATCH_SIZE);
  }
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return rows.length / seconds;
}

/** Posts the batches from a child process and returns events/s as the clients saw it. */
async function httpIngestRate(directory: string, batches: number, clients: number) {
  const store = SqliteStore.open({ directory });
  const metrics = createMetrics({ defaultMetrics: false });
  const logger = silentLogger();
  const ingestor = new Ingestor({
    store,
    metrics,
    logger,
    limits: { maxBatchRecords: BATCH_SIZE },
  });
  const readiness = () => ({ ready: true, checks: {} });
  const server = await listen(
    createHttpApp({ ingestor, metrics, logger, readiness }),
    '127.0.0.1',
    0,
  );
  const { port } = server.address() as AddressInfo;

  const url = `http://127.0.0.1:${port}/api/v1/events`;
  const child = fork(
    new URL('./ingest-client.ts', import.meta.url),
    [url, String(batches), String(clients)],
    {
      execArgv: ['--import', 'tsx'],
    },
  );
  const result = await new Promise<{ elapsedMs: number; failed: number }>((resolve, reject) => {
    child.on('message', (message: { type: string; elapsedMs: number; failed: number }) => {
      if (message.type === 'ready') child.send('go');
      if (message.type === 'done') resolve(message);
    });
    child.once('exit', (code) => reject(new Error(`benchmark client exited with code ${code}`)));
  });

  const stored = store.queryEvents('bench', { from: 0, to: Number.MAX_SAFE_INTEGER }).length;
  server.closeAllConnections();
  server.close();
  store.close();
  return {
    rate: (batches * BATCH_SIZE) / (result.elapsedMs / 1000),
    failed: result.failed,
    stored,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Alternates raw and HTTP runs for ROUNDS rounds, each into a fresh database, and reports the
 * medians, so that a burst of load from other processes skews one round and not the result.
 */
export async function run(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'vigil-bench-ingest-'));
  const rawRates: number[] = [];
  const httpRates: number[] = [];
  let failed = 0;
  let stored = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      rawRates.push(rawInsertRate(join(root, `raw-${round}`), BATCHES));
      const http = await httpIngestRate(join(root, `http-${round}`), BATCHES, CLIENTS);
      httpRates.push(http.rate);
      failed += http.failed;
      stored += http.stored;
      const ratio = http.rate / rawRates[round]!;
      console.log(
        `round ${round + 1}: raw ${Math.round(rawRates[round]!)}/s, http ${Math.round(http.rate)}/s, ratio ${ratio.toFixed(2)}`,
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }

  const raw = median(rawRates);
  const http = median(httpRates);
  const ratio = http / raw;
  console.log(
    `events per round: ${BATCHES * BATCH_SIZE} in NDJSON batches of ${BATCH_SIZE}, 20 numeric features`,
  );
  console.log(`raw better-sqlite3 inserts (median of ${ROUNDS}): ${Math.round(raw)} events/s`);
  console.log(
    `POST /api/v1/events, ${CLIENTS} clients (median of ${ROUNDS}): ${Math.round(http)} events/s`,
  );
  console.log(`ratio http/raw: ${ratio.toFixed(2)} (target >= 0.50, and >= 50000 events/s)`);
  console.log(`stored ${stored} of ${ROUNDS * BATCHES * BATCH_SIZE}, failed requests ${failed}`);
  const meets = ratio >= 0.5 && http >= 50_000 && failed === 0;
  console.log(meets ? 'targets met' : 'TARGETS NOT MET');
}

import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createHttpApp, listen } from '../../../appliance/http/server.ts';
import { Ingestor, type IngestorOptions } from '../../../appliance/ingest/ingestor.ts';
import { silentLogger } from '../../../appliance/log/logger.ts';
import { createMetrics, type VigilMetrics } from '../../../appliance/metrics/metrics.ts';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';
import type { Store } from '../../../appliance/store/store.ts';

/** A running HTTP API on 127.0.0.1 with an in-memory SQLite store. */
export interface AppFixture {
  url: string;
  store: Store;
  metrics: VigilMetrics;
  ingestor: Ingestor;
  server: Server;
  close(): Promise<void>;
}

export async function startApp(
  options: {
    store?: Store;
    bodyLimitBytes?: number;
    ingestor?: Partial<IngestorOptions>;
  } = {},
): Promise<AppFixture> {
  const store = options.store ?? SqliteStore.open({ directory: ':memory:' });
  const metrics = createMetrics({ defaultMetrics: false });
  const logger = silentLogger();
  const ingestor = new Ingestor({ store, metrics, logger, ...options.ingestor });
  const app = createHttpApp({
    ingestor,
    metrics,
    logger,
    bodyLimitBytes: options.bodyLimitBytes,
    readiness: () => ({ ready: true, checks: { store: 'ok', rules: 'ok' } }),
  });
  const server = await listen(app, '127.0.0.1', 0);
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    store,
    metrics,
    ingestor,
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      store.close();
    },
  };
}

/** A valid wire event with index-based id and time. */
export function wireEvent(i: number, overrides: Record<string, unknown> = {}) {
  return {
    stream: 'bikes',
    version: 'v1',
    id: `e${i}`,
    timestamp: 1_700_000_000_000 + i * 1000,
    features: { temp: 20 + (i % 10), season: 'summer' },
    prediction: 100 + i,
    latency_ms: 3.5,
    ...overrides,
  };
}

/** A decoded JSON response; tests read its fields loosely. */
export interface JsonResponse {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response shapes vary per test
  body: any;
}

export async function postJson(
  url: string,
  body: unknown,
  contentType = 'application/json',
): Promise<JsonResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) };
}

export const ALL_TIME = { from: 0, to: Number.MAX_SAFE_INTEGER };

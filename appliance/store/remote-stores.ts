import { join } from 'node:path';
import type { Registry } from 'prom-client';
import type { ApplianceConfig } from '../config/config.ts';
import type { Logger } from '../log/logger.ts';
import type { Store } from './store.ts';
import { InfluxBatchWriter } from './influx/influx-batch-writer.ts';
import { createInfluxClient, ensureInfluxLayout } from './influx/influx-setup.ts';
import { createSearchClient } from './search/search-client.ts';
import { ensureSearchLayout, type LifecycleState } from './search/search-setup.ts';
import { SearchBulkWriter } from './search/search-bulk-writer.ts';
import { SearchActualUpdater } from './search/search-actual-updater.ts';
import { Outbox } from './outbox/outbox.ts';
import { OutboxDrainer, type OutboxSink } from './outbox/outbox-drainer.ts';
import {
  OUTBOX_ORDER,
  OUTBOX_TARGETS,
  actualsSink,
  documentSinks,
  seriesSink,
} from './outbox/outbox-sinks.ts';
import { ForwardingStore } from './outbox/forwarding-store.ts';

/** Remote stores beside the embedded one; each role is optional. */
export type RemoteStoreConfig = NonNullable<ApplianceConfig['store']['remote']>;

/** The remote stores wired behind the embedded store, with their readiness. */
export interface RemoteStores {
  /** The store for writers (ingest, rule engine): the embedded store plus the outbox. */
  store: Store;
  outbox: Outbox;
  /** Checks for `/readyz`: `ok`, or why a remote store is degraded. */
  checks(): Record<string, string>;
  /**
   * Waits until the outbox is empty or `timeoutMs` passed, while writes may continue. Returns
   * the entries left per target, and an empty object when everything was delivered.
   */
  drain(timeoutMs: number): Promise<Record<string, number>>;
  /**
   * Drains for up to `drainTimeoutMs` (from the config unless given), then stops the writers.
   * Returns the entries left per target. They stay in the outbox and are sent after the next
   * start, so nothing acknowledged is lost either way.
   */
  close(drainTimeoutMs?: number): Promise<Record<string, number>>;
}

/** Seconds an outbox entry may wait before `/readyz` reports its target as degraded. */
const DEGRADED_AFTER_SECONDS = 30;

/** Default of `drainTimeoutMs`: the maximum wait on close for the outbox to drain, ms. */
const DRAIN_TIMEOUT_MS = 5000;

/**
 * Maximum wait, after the writers stopped, for the delivery in flight to return, ms. An InfluxDB
 * request in flight ends by its 10 s request timeout at the latest.
 */
const STOP_WAIT_MS = 12_000;

/**
 * Opens the outbox beside the embedded database and starts draining; the remote layouts are
 * prepared before the first delivery to each. A remote store that is down at start-up does not
 * hold up the start: writes queue in the outbox and the drainer retries.
 */
export function openRemoteStores(options: {
  inner: Store;
  config: RemoteStoreConfig;
  /** Directory of the embedded store; the outbox is `outbox.db` inside it. */
  directory: string;
  logger: Logger;
  registry?: Registry;
}): RemoteStores {
  const logger = options.logger.child({ component: 'remote-store' });
  const { config } = options;
  const path = options.directory === ':memory:' ? ':memory:' : join(options.directory, 'outbox.db');
  const outbox = new Outbox({
    path,
    targets: OUTBOX_TARGETS,
    ...(config.outboxMaxBytes === undefined ? {} : { maxBytes: config.outboxMaxBytes }),
    ...(options.registry === undefined ? {} : { registry: options.registry }),
  });
  const sinks: Record<string, OutboxSink> = {};
  const stopRetrying: (() => void)[] = [];
  const closeClients: (() => Promise<void>)[] = [];
  const layout: Record<string, string> = {};

  if (config.documents) {
    const { kind, url } = config.documents;
    const prefix = config.documents.prefix ?? 'vigil';
    const client = createSearchClient({ flavor: kind, url });
    const ready = layoutGate('documents', layout, logger, () =>
      ensureSearchLayout(client, { flavor: kind, prefix }, logger),
    );
    const writer = new SearchBulkWriter({
      client,
      logger,
      prefix,
      ...registryOf(options.registry),
    });
    const updater = new SearchActualUpdater({ client, logger, prefix });
    for (const [target, sink] of Object.entries(documentSinks(writer))) {
      sinks[target] = gated(ready, sink);
    }
    sinks.actuals = gated(ready, actualsSink(updater));
    stopRetrying.push(
      () => writer.close(),
      () => updater.close(),
    );
    closeClients.push(() => client.close());
  }
  if (config.series) {
    const { url, database } = config.series;
    const influx = createInfluxClient(url, database);
    const rawRetention = config.series.retention ?? '30d';
    const ready = layoutGate('series', layout, logger, () =>
      ensureInfluxLayout(influx, { database, rawRetention }, logger),
    );
    const writer = new InfluxBatchWriter({
      influx,
      database,
      logger,
      ...registryOf(options.registry),
    });
    sinks.series = gated(ready, seriesSink(writer));
    stopRetrying.push(() => writer.abort());
  }

  const drainer = new OutboxDrainer({ outbox, sinks, logger, after: OUTBOX_ORDER });
  drainer.start();
  const store = new ForwardingStore({
    inner: options.inner,
    outbox,
    logger,
    documents: config.documents !== undefined,
    series: config.series !== undefined,
  });
  return {
    store,
    outbox,
    checks: () => remoteChecks(outbox, drainer, Object.keys(sinks), layout),
    drain: (timeoutMs) => drainer.drain(timeoutMs),
    close: async (drainTimeoutMs = config.drainTimeoutMs ?? DRAIN_TIMEOUT_MS) => {
      const started = Date.now();
      await drainer.drain(drainTimeoutMs);

      // The writers retry while a store is down, so they are stopped before the loops: the
      // delivery in flight then throws and its entries stay in the outbox.
      for (const stop of stopRetrying) stop();
      await Promise.race([drainer.stop(), new Promise((r) => setTimeout(r, STOP_WAIT_MS))]);
      const left = drainer.entriesLeft();
      for (const close of closeClients) await close();
      outbox.close();

      const waitedMs = Date.now() - started;
      if (Object.keys(left).length === 0) logger.info({ waitedMs }, 'outbox drained on close');
      else
        logger.warn(
          { left, waitedMs },
          'outbox not drained on close, entries kept for the next start',
        );
      return left;
    },
  };
}

function registryOf(registry: Registry | undefined) {
  return registry === undefined ? {} : { registry };
}

/**
 * Returns a function that prepares a remote layout once, on the first delivery. Until it
 * succeeds every delivery throws, so the drainer backs off and keeps the entries: writing
 * before the index templates exist would create plain indices with guessed mappings.
 */
function layoutGate(
  role: string,
  layout: Record<string, string>,
  logger: Logger,
  step: () => Promise<unknown>,
): () => Promise<void> {
  let done = false;
  layout[role] = 'preparing';
  return async () => {
    if (done) return;
    try {
      const result = (await step()) as LifecycleState | undefined;
      layout[role] =
        result?.kind === 'unavailable' ? `ok, lifecycle unavailable: ${result.reason}` : 'ok';
      done = true;
    } catch (error) {
      layout[role] = `layout failed: ${(error as Error).message}`;
      logger.warn({ role, err: error }, 'remote store layout failed, retrying before delivery');
      throw error;
    }
  };
}

function gated(ready: () => Promise<void>, sink: OutboxSink): OutboxSink {
  return async (items) => {
    await ready();
    await sink(items);
  };
}

function remoteChecks(
  outbox: Outbox,
  drainer: OutboxDrainer,
  targets: string[],
  layout: Record<string, string>,
): Record<string, string> {
  const checks: Record<string, string> = {};
  const failing = drainer.failing();
  const now = Date.now();
  for (const target of targets) {
    const oldest = outbox.oldest(target, 1)[0];
    const age = oldest === undefined ? 0 : (now - oldest.createdMs) / 1000;
    if (failing[target] !== undefined) checks[`outbox_${target}`] = `degraded: ${failing[target]}`;
    else if (age > DEGRADED_AFTER_SECONDS)
      checks[`outbox_${target}`] = `degraded: oldest entry ${Math.round(age)} s old`;
    else checks[`outbox_${target}`] = 'ok';
  }
  for (const [role, state] of Object.entries(layout)) checks[`store_${role}`] = state;
  const full = outbox.fullReason();
  if (full !== undefined) checks.outbox = `full: ${full}`;
  return checks;
}

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
import { Outbox } from './outbox/outbox.ts';
import { OutboxDrainer, type OutboxSink } from './outbox/outbox-drainer.ts';
import { OUTBOX_TARGETS, documentSinks, seriesSink } from './outbox/outbox-sinks.ts';
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
  close(): Promise<void>;
}

/** Seconds an outbox entry may wait before `/readyz` reports its target as degraded. */
const DEGRADED_AFTER_SECONDS = 30;

/** Longest wait on close for deliveries in progress, ms. */
const CLOSE_WAIT_MS = 5000;

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
    const client = createSearchClient({ flavor: kind, url });
    const ready = layoutGate('documents', layout, logger, () =>
      ensureSearchLayout(client, { flavor: kind }, logger),
    );
    const writer = new SearchBulkWriter({ client, logger, ...registryOf(options.registry) });
    for (const [target, sink] of Object.entries(documentSinks(writer))) {
      sinks[target] = gated(ready, sink);
    }
    stopRetrying.push(() => writer.close());
    closeClients.push(() => client.close());
  }
  if (config.series) {
    const { url, database } = config.series;
    const influx = createInfluxClient(url, database);
    const ready = layoutGate('series', layout, logger, () =>
      ensureInfluxLayout(influx, { database }, logger),
    );
    const writer = new InfluxBatchWriter({
      influx,
      database,
      logger,
      ...registryOf(options.registry),
    });
    sinks.series = gated(ready, seriesSink(writer));
  }

  const drainer = new OutboxDrainer({ outbox, sinks, logger });
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
    close: async () => {
      // The writers retry while a store is down, so the drainer gets a bounded wait. Entries
      // not delivered by then stay in the outbox for the next start.
      for (const stop of stopRetrying) stop();
      await Promise.race([drainer.stop(), new Promise((r) => setTimeout(r, CLOSE_WAIT_MS))]);
      for (const close of closeClients) await close();
      outbox.close();
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

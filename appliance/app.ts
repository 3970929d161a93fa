import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

import { createCollectorMetrics } from '../collectors/collector-metrics.ts';
import type { Collector } from '../collectors/collector.ts';
import { startCollectors, type RunningCollectors } from '../collectors/start-collectors.ts';
import type { ApplianceConfig, Problem } from './config/config.ts';
import { evaluators as defaultEvaluators } from './evaluators/registry.ts';
import type { EvaluatorFactory } from './evaluators/evaluator.ts';
import { collectorChecks } from './http/routes/health.ts';
import { createHttpApp } from './http/server.ts';
import { Ingestor } from './ingest/ingestor.ts';
import type { Logger } from './log/logger.ts';
import { createMetrics, type VigilMetrics } from './metrics/metrics.ts';
import { Notifier } from './alerting/notifier.ts';
import { addSilenceRoutes } from './http/routes/silences-routes.ts';
import { Silences } from './alerting/silence.ts';
import { groupIntervals, storeEvidence } from './alerting/evidence.ts';
import { addRulesRoutes } from './http/routes/rules-routes.ts';
import { RuleEngine } from './rules/engine.ts';
import { loadRules } from './rules/load-rules.ts';
import { RuleReloader, type ReloadResult } from './rules/rule-reloader.ts';
import type { RuleSet } from './rules/model.ts';
import { SqliteStore } from './store/sqlite-store.ts';
import { openRemoteStores, type RemoteStores } from './store/remote-stores.ts';
import { ruleLookbackMs } from './window/rule-lookback.ts';
import { WindowState } from './window/window-state.ts';

/** A running appliance: every component wired together, and one `close()` that stops them. */
export interface Appliance {
  /** Base URL of the HTTP API, such as `http://127.0.0.1:9680`. */
  url: string;
  store: SqliteStore;
  /** The remote stores and their outbox, when `store.remote` is configured. */
  remote: RemoteStores | undefined;
  window: WindowState;
  ingestor: Ingestor;
  engine: RuleEngine;
  notifier: Notifier;
  metrics: VigilMetrics;
  ruleSet: RuleSet;
  collectors: RunningCollectors;
  /** Reloads the rule files, all or nothing; SIGHUP and `POST /-/reload` call it. */
  reload(trigger: string): Promise<ReloadResult>;
  close(): Promise<void>;
}

export class RuleLoadError extends Error {
  override readonly name = 'RuleLoadError';
  constructor(readonly problems: Problem[]) {
    super(`rule files are invalid (${problems.length} problems)`);
  }
}

const PRUNE_EVERY_MS = 60_000;

/** Hosts that only local clients reach, so an API without tokens is safe to bind there. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Starts the appliance: opens the store, rebuilds window state from it, loads the rules (all or
 * nothing: any error rejects the start), starts the rule engine and the HTTP server.
 */
export async function startAppliance(
  config: ApplianceConfig,
  options: {
    logger: Logger;
    evaluators?: ReadonlyMap<string, EvaluatorFactory>;
    /** Environment for `${NAME}` in rule files. */
    env?: NodeJS.ProcessEnv;
    /**
     * Clock that stamps collected points, in epoch ms, by default the wall clock. A replay in
     * event time passes its own clock, so that scraped series line up with the replayed events.
     * NOTE: vigil_collector_last_success_timestamp_seconds then follows that clock too.
     */
    collectorClock?: () => number;
  },
): Promise<Appliance> {
  const { logger } = options;
  const evaluators = options.evaluators ?? defaultEvaluators;
  const metrics = createMetrics();

  const { ruleSet, problems } = loadRules(config.rules.paths, {
    evaluators,
    env: options.env ?? {},
  });
  const errors = problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0) throw new RuleLoadError(errors);

  const store = SqliteStore.open({
    directory: config.store.path,
    logger: logger.child({ component: 'store' }),
  });
  // Writers (ingest, rule engine) go through the outbox when remote stores are configured;
  // reads stay on the embedded store.
  const remote =
    config.store.remote === undefined
      ? undefined
      : openRemoteStores({
          inner: store,
          config: config.store.remote,
          directory: config.store.path,
          logger,
          registry: metrics.registry,
        });
  const writeStore = remote?.store ?? store;
  const window = new WindowState({
    store,
    bucketMs: config.windows.bucketMs,
    horizonMs: config.windows.horizonMs,
    maxEvents: config.windows.maxEvents,
    maxPoints: config.windows.maxPoints,
  });
  window.rebuild(memoryStart(config, store));

  const notifier = new Notifier({
    receivers: config.alerting.receivers,
    externalUrl: config.alerting.externalUrl,
    metrics,
    logger: logger.child({ component: 'notifier' }),
    alerting: config.alerting,
    log: store.delivery,
    silences: new Silences({ store: store.delivery }),
    receiverDeps: {
      groupIntervals: groupIntervals(ruleSet),
      evidence: storeEvidence(store, ruleSet),
    },
  });
  const engine = new RuleEngine({
    ruleSet,
    evaluators,
    store: writeStore,
    window,
    notifier,
    metrics,
    logger: logger.child({ component: 'rules' }),
    clock: config.rules.clock,
    externalUrl: config.alerting.externalUrl,
    // Reference profiles sit beside the database; an in-memory store keeps them in memory.
    ...(config.store.path === ':memory:' ? {} : { profileDirectory: config.store.path }),
  });
  const ingestor = new Ingestor({
    store: writeStore,
    window,
    metrics,
    logger,
    limits: config.ingest,
    cardinality: config.cardinality,
    // Admitted keys sit beside the database, so the limits count them after a restart.
    ...(config.store.path === ':memory:'
      ? {}
      : { cardinalityKeysPath: join(config.store.path, 'cardinality-keys.ndjson') }),
  });
  // Retention follows the engine's clock, so a replay of old data is not pruned as it lands.
  const clockNow =
    config.rules.clock === 'event' ? wireEventClock(ingestor, engine, window) : () => Date.now();
  const reloader = new RuleReloader({
    paths: config.rules.paths,
    engine,
    evaluators,
    env: options.env ?? {},
    logger: logger.child({ component: 'rules' }),
  });

  // Filled once the collectors start, after the server listens. /readyz lists them from then on.
  const startedCollectors: Collector[] = [];
  const app = createHttpApp({
    ingestor,
    metrics,
    logger,
    bodyLimitBytes: config.http.bodyLimitBytes,
    auth: config.auth,
    ...(config.http.rateLimit === undefined ? {} : { rateLimit: config.http.rateLimit }),
    readiness: () => {
      const remoteChecks = remote?.checks() ?? {};
      return {
        // A degraded remote store still takes writes into the outbox; a full outbox does not.
        ready: remoteChecks.outbox === undefined,
        checks: {
          store: 'ok',
          rules: `${engine.ruleSet().groups.length} groups`,
          ...remoteChecks,
          ...collectorChecks(startedCollectors),
        },
      };
    },
    extraRoutes: (router) => {
      addRulesRoutes(router, { engine, reloader });
      addSilenceRoutes(router, notifier.silences);
    },
  });
  const server = await listen(app, config.http);
  const address = server.address() as AddressInfo;
  const scheme = config.http.tls === undefined ? 'http' : 'https';
  const url = `${scheme}://${config.http.host}:${address.port}`;

  // Collectors start once the HTTP server listens, so a failed listen leaves none running.
  const collectors = await startCollectors(config.collectors ?? [], {
    ingest: ingestor,
    logger,
    metrics: createCollectorMetrics(metrics.registry),
    ...(options.collectorClock === undefined ? {} : { now: options.collectorClock }),
  });
  startedCollectors.push(...collectors.collectors);
  if (config.auth.tokens.length === 0 && !LOOPBACK_HOSTS.has(config.http.host)) {
    logger.warn(
      { host: config.http.host },
      'the API is open to the network: set auth.tokens or bind http.host to 127.0.0.1',
    );
  }
  if (config.rules.clock === 'wall') engine.start();
  reloader.start();
  const pruneTimer = setInterval(() => {
    const now = clockNow();
    if (!Number.isFinite(now)) return;
    store.prune(now - config.store.retentionMs);
    if (config.rules.clock === 'wall') window.prune(now, ruleLookbackMs(engine.ruleSet()));
  }, PRUNE_EVERY_MS);
  pruneTimer.unref();
  logger.info(
    {
      url,
      groups: ruleSet.groups.length,
      clock: config.rules.clock,
      tokens: config.auth.tokens.length,
    },
    'appliance started',
  );

  return {
    url,
    store,
    remote,
    window,
    ingestor,
    engine,
    notifier,
    metrics,
    ruleSet,
    collectors,
    reload: (trigger) => reloader.reload(trigger),
    close: async () => {
      clearInterval(pruneTimer);
      reloader.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await collectors.stop();
      await ingestor.flush();
      await engine.stop();
      await notifier.flush();
      await remote?.close();
      store.close();
      logger.info('appliance stopped');
    },
  };
}

/**
 * Advances the event-time clock of each stream and series as their data commits. The lowest
 * timestamp of a commit is passed too, so the first evaluation of a group covers its first data.
 * Returns the latest event time committed so far (-Infinity before any data).
 */
function wireEventClock(ingestor: Ingestor, engine: RuleEngine, window: WindowState): () => number {
  let latest = -Infinity;
  ingestor.onCommitted(({ events, points }) => {
    const ranges = new Map<string, { earliest: number; watermark: number }>();
    for (const event of events) widen(ranges, `stream:${event.stream}`, event.timestamp);
    for (const point of points) widen(ranges, `series:${point.name}`, point.timestamp);
    for (const [source, range] of ranges) {
      engine.advance(source, range.watermark, range.earliest);
      latest = Math.max(latest, range.watermark);
    }
    if (Number.isFinite(latest)) window.prune(latest);
  });
  return () => latest;
}

/**
 * Picks the time whose horizon window state loads at start. On the wall clock that is now. On
 * the event-time clock a fresh store starts with everything in memory, and window state then
 * follows the data's own time as it is pruned.
 */
function memoryStart(config: ApplianceConfig, store: SqliteStore): number {
  if (config.rules.clock === 'event' && store.listStreams().length === 0) return 0;
  return Date.now();
}

function widen(
  ranges: Map<string, { earliest: number; watermark: number }>,
  source: string,
  timestamp: number,
): void {
  const range = ranges.get(source);
  if (range === undefined) {
    ranges.set(source, { earliest: timestamp, watermark: timestamp });
    return;
  }
  range.earliest = Math.min(range.earliest, timestamp);
  range.watermark = Math.max(range.watermark, timestamp);
}

/** Listens on `http.host:http.port`, over HTTPS when `http.tls` names a certificate and key. */
function listen(
  app: ReturnType<typeof createHttpApp>,
  http: ApplianceConfig['http'],
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const { host, port, tls } = http;
    const server =
      tls === undefined
        ? app.listen(port, host)
        : createHttpsServer(
            { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) },
            app,
          ).listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

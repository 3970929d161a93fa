import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { startAppliance, type Appliance } from '../app.ts';
import { loadConfig } from '../config/load-config.ts';
import { remoteStoresFromEnv } from '../config/remote-store-config.ts';
import { formatProblem } from '../config/config.ts';
import { createLogger } from '../log/logger.ts';
import { readBikeHours } from './bike-data.ts';
import { fitBikeModel } from './bike-model.ts';
import type { Slowdown } from './model-server.ts';
import { startModelServerThread } from './model-server-thread.ts';
import { readNabCategory, tickerOf, type NabSeries } from './nab-data.ts';
import { printSummary, type BikeReplay } from './print-summary.ts';
import { replay } from './replay.ts';
import { replayBikes } from './replay-bikes.ts';
import { WebhookSink } from './webhook-sink.ts';

const HELP = `Usage: npm run demo -- [--once] [--port N] [--data DIR] [--log-level LEVEL]

Replays real data through a local Vigil in event time: the UCI bike-sharing hours as a model
stream (a regression fitted on January 2011 predicts rentals behind a local model server that
Vigil scrapes), and the NAB tweet volumes per ticker as series. Prints the alerts that fired,
then keeps serving the API and /metrics unless --once is given.

  --once             exit after the replay and the summary (exit code 0 on success)
  --port N           HTTP port of the appliance on 127.0.0.1 (default 9680; 0 picks a free one)
  --data DIR         directory of the demo's embedded store (default ./data/demo, emptied first)
  --log-level LEVEL  JSON log level on stdout (default warn)
  --no-progress      no progress bars
`;

const REPOSITORY = resolve(import.meta.dirname, '..', '..');
const DEMO_CONFIG = join(import.meta.dirname, 'appliance.yaml');

/**
 * The simulated incident: for two weeks of September 2012 the model server runs on a degraded
 * node, and every prediction takes 100 ms longer.
 */
const SLOWDOWN: Slowdown = {
  from: Date.parse('2012-09-10T00:00:00Z'),
  to: Date.parse('2012-09-24T00:00:00Z'),
  extraMs: 100,
};

/** Maximum wait at exit for the remote stores to receive the whole replay, in milliseconds. */
const DRAIN_TIMEOUT_MS = 10 * 60_000;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      once: { type: 'boolean', default: false },
      port: { type: 'string', default: '9680' },
      data: { type: 'string', default: join('data', 'demo') },
      'log-level': { type: 'string', default: 'warn' },
      'no-progress': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`invalid --port "${values.port}": expected an integer 0..65535\n`);
    return 2;
  }

  const rows = readBikeHours(join(REPOSITORY, 'datasets', 'bike-sharing', 'hour.csv'));
  const january = rows.filter((row) => row.year === 2011 && row.month === 1);
  const model = fitBikeModel(january, 'ols-2011-01');
  const server = await startModelServerThread(model, [SLOWDOWN]);
  const modelUrl = server.url;
  // Scraped points are stamped with the replay's event time: the hour of the last request sent
  // to the model server, and one hour before the first row until the replay starts.
  const clock = { time: rows[0]!.timestamp - 3_600_000 };

  const sink = new WebhookSink();
  const webhookUrl = await sink.start();
  const appliance = await startDemoAppliance({
    port,
    dataDirectory: resolve(values.data),
    logLevel: values['log-level'],
    webhookUrl,
    modelUrl,
    clock: () => clock.time,
  });
  if (!appliance) {
    await Promise.all([server.stop(), sink.stop()]);
    return 1;
  }
  const progress = !values['no-progress'] && process.stderr.isTTY === true;

  const served = await replayBikes({ appliance, rows, model, modelUrl, clock, progress });
  const bike: BikeReplay = { ...served, model, slowdown: SLOWDOWN };
  const tweets = await replayTweets(appliance, progress);
  await appliance.notifier.flush();
  printSummary(appliance, bike, tweets, sink);

  if (values.once) {
    await appliance.close();
    await Promise.all([server.stop(), sink.stop()]);
    return 0;
  }
  process.stdout.write(
    `\nServing ${appliance.url}/api/v1/events and ${appliance.url}/metrics; Ctrl-C stops.\n`,
  );
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  await appliance.close();
  await Promise.all([server.stop(), sink.stop()]);
  return 0;
}

async function startDemoAppliance(options: {
  port: number;
  dataDirectory: string;
  logLevel: string;
  webhookUrl: string;
  modelUrl: string;
  clock: () => number;
}): Promise<Appliance | undefined> {
  const { config, problems } = loadConfig({
    path: DEMO_CONFIG,
    env: { MODEL_SERVER_URL: options.modelUrl },
    cwd: REPOSITORY,
  });
  // VIGIL_STORE=influx+opensearch with INFLUX_URL and OPENSEARCH_URL writes to those servers too.
  const remote = remoteStoresFromEnv(process.env);
  if (remote !== undefined) config.store.remote = remote;
  if (config.store.remote?.series) {
    // InfluxDB rejects points older than the raw policy, and the demo's data is from 2011-2015.
    config.store.remote.series.retention ??= 'INF';
  }
  if (config.store.remote) config.store.remote.drainTimeoutMs = DRAIN_TIMEOUT_MS;
  for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
  if (problems.some((problem) => problem.severity === 'error')) return undefined;

  rmSync(options.dataDirectory, { recursive: true, force: true });
  config.http.port = options.port;
  config.store.path = options.dataDirectory;
  config.rules.paths = [join(REPOSITORY, 'rules')];
  config.rules.clock = 'event';
  // The replay spans 2011 to 2015 in event time; keep all of it for the summary.
  config.store.retentionMs = 20 * 365 * 86_400_000;
  config.log.level = options.logLevel as typeof config.log.level;
  config.alerting.receivers = [
    {
      name: 'demo-webhook',
      kind: 'webhook',
      url: options.webhookUrl,
      timeoutMs: 60_000,
      maxAttempts: 5,
      initialBackoffMs: 100,
      maxBackoffMs: 2000,
    },
  ];
  // A firing alert is sent again once per replayed week. With the default 4 h of event time it
  // would go out at every daily evaluation of a replay that spans two years.
  config.alerting.route = {
    receiver: 'demo-webhook',
    groupBy: ['alertname'],
    matchers: [],
    continue: false,
    groupWaitMs: 0,
    groupIntervalMs: 0,
    repeatIntervalMs: 7 * 86_400_000,
    muteTimeIntervals: [],
    activeTimeIntervals: [],
    routes: [],
  };
  const logger = createLogger({ level: config.log.level });
  return startAppliance(config, { logger, collectorClock: options.clock });
}

async function replayTweets(appliance: Appliance, progress: boolean): Promise<NabSeries[]> {
  const series = readNabCategory(join(REPOSITORY, 'datasets', 'nab'), 'realTweets');
  const points = series.flatMap((file) =>
    file.timestamps.map((timestamp, index) => ({
      name: 'twitter_mentions',
      labels: { ticker: tickerOf(file.file) },
      value: file.values[index]!,
      timestamp,
    })),
  );
  points.sort((a, b) => a.timestamp - b.timestamp);
  await replay({
    url: `${appliance.url}/api/v1/series`,
    label: 'NAB tweets',
    records: points,
    batchSize: 2000,
    progress,
  });
  return series;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);

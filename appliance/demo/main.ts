import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { startAppliance, type Appliance } from '../app.ts';
import { loadConfig } from '../config/load-config.ts';
import { remoteStoresFromEnv } from '../config/remote-store-config.ts';
import { formatProblem } from '../config/config.ts';
import { createLogger } from '../log/logger.ts';
import { readBikeHours, type BikeHour } from './bike-data.ts';
import { fitBikeModel, type BikeModel } from './bike-model.ts';
import { readNabCategory, type NabSeries } from './nab-data.ts';
import { replay } from './replay.ts';
import { coverNabWindows, formatTime, summariseRules } from './summary.ts';
import { WebhookSink } from './webhook-sink.ts';

const HELP = `Usage: npm run demo -- [--once] [--port N] [--data DIR] [--log-level LEVEL]

Replays real data through a local Vigil in event time: the UCI bike-sharing hours as a model
stream (a regression fitted on January 2011 predicts rentals), and the NAB tweet volumes per
ticker as series. Prints the alerts that fired, then keeps serving the API and /metrics
unless --once is given.

  --once             exit after the replay and the summary (exit code 0 on success)
  --port N           HTTP port of the appliance on 127.0.0.1 (default 9680; 0 picks a free one)
  --data DIR         directory of the demo's embedded store (default ./data/demo, emptied first)
  --log-level LEVEL  JSON log level on stdout (default warn)
  --no-progress      no progress bars
`;

const REPOSITORY = resolve(import.meta.dirname, '..', '..');
const TWEET_RULE = 'TweetVolumeAnomaly';

/** Longest wait at exit for the remote stores to receive the whole replay, ms. */
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

  const sink = new WebhookSink();
  const webhookUrl = await sink.start();
  const appliance = await startDemoAppliance({
    port,
    dataDirectory: resolve(values.data),
    logLevel: values['log-level'],
    webhookUrl,
  });
  if (!appliance) return 1;
  const progress = !values['no-progress'] && process.stderr.isTTY === true;

  const bike = await replayBikes(appliance, progress);
  const tweets = await replayTweets(appliance, progress);
  await appliance.notifier.flush();
  printSummary(appliance, bike, tweets, sink);

  if (values.once) {
    await appliance.close();
    await sink.stop();
    return 0;
  }
  process.stdout.write(
    `\nServing ${appliance.url}/api/v1/events and ${appliance.url}/metrics; Ctrl-C stops.\n`,
  );
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  await appliance.close();
  await sink.stop();
  return 0;
}

async function startDemoAppliance(options: {
  port: number;
  dataDirectory: string;
  logLevel: string;
  webhookUrl: string;
}): Promise<Appliance | undefined> {
  const { config, problems } = loadConfig({ env: {}, cwd: REPOSITORY });
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
  const logger = createLogger({ level: config.log.level });
  return startAppliance(config, { logger });
}

interface BikeReplay {
  rows: BikeHour[];
  model: BikeModel;
  stored: number;
}

async function replayBikes(appliance: Appliance, progress: boolean): Promise<BikeReplay> {
  const rows = readBikeHours(join(REPOSITORY, 'datasets', 'bike-sharing', 'hour.csv'));
  const january = rows.filter((row) => row.year === 2011 && row.month === 1);
  const model = fitBikeModel(january, 'ols-2011-01');

  const events = rows.map((row) => {
    const started = performance.now();
    const prediction = model.predict(row);
    return {
      stream: 'bike',
      version: model.version,
      id: String(row.instant),
      timestamp: new Date(row.timestamp).toISOString(),
      features: {
        season: String(row.season),
        hour: row.hour,
        weekday: String(row.weekday),
        workingday: row.workingday === 1,
        holiday: row.holiday === 1,
        weathersit: String(row.weathersit),
        temp: row.temp,
        atemp: row.atemp,
        hum: row.hum,
        windspeed: row.windspeed,
      },
      prediction: Math.round(prediction * 100) / 100,
      actual: row.cnt,
      latency_ms: performance.now() - started,
      error: false,
    };
  });
  const result = await replay({
    url: `${appliance.url}/api/v1/events`,
    label: 'bike sharing',
    records: events,
    batchSize: 500,
    progress,
  });
  return { rows, model, stored: result.stored };
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

function tickerOf(file: string): string {
  return file.replace(/^Twitter_volume_/, '').replace(/\.csv$/, '');
}

function printSummary(
  appliance: Appliance,
  bike: BikeReplay,
  tweets: NabSeries[],
  sink: WebhookSink,
): void {
  const history = appliance.store.queryAlertHistory({ from: 0, to: Number.MAX_SAFE_INTEGER });
  const out = (line = ''): boolean => process.stdout.write(`${line}\n`);

  out(
    `\nReplayed ${bike.stored} bike-sharing hours (model ${bike.model.version}) and ${tweets.length} tweet-volume series.`,
  );
  out('\nAlerts per rule (first firing in event time):');
  out(`  ${'rule'.padEnd(28)} ${'firings'.padStart(8)} ${'instances'.padStart(10)}  first firing`);
  for (const rule of summariseRules(history)) {
    out(
      `  ${rule.rule.padEnd(28)} ${String(rule.firings).padStart(8)} ${String(rule.instances).padStart(10)}  ${formatTime(rule.firstFiring)}`,
    );
  }

  const coverage = coverNabWindows(history, TWEET_RULE, tweets, tickerOf);
  out(
    `\nTweets: ${coverage.detected} of ${coverage.windows} labelled anomaly windows got a ${TWEET_RULE} alert; ${coverage.firingsOutside} firings fell outside every window.`,
  );
  const alerts = sink.payloads.reduce((sum, payload) => sum + payload.alerts.length, 0);
  out(
    `Webhook: ${sink.payloads.length} notifications (Alertmanager payload version ${sink.payloads[0]?.version ?? '-'}) carrying ${alerts} alerts.`,
  );
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

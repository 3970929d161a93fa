import type { Appliance } from '../app.ts';
import type { BikeModel } from './bike-model.ts';
import type { BikeServingResult } from './bike-serving.ts';
import type { Slowdown } from './model-server.ts';
import { tickerOf, type NabSeries } from './nab-data.ts';
import { SCRAPE_COLLECTOR } from './replay-bikes.ts';
import {
  coverNabWindows,
  firingsWithin,
  formatTime,
  scrapeSummary,
  summariseRules,
} from './summary.ts';
import type { WebhookSink } from './webhook-sink.ts';

const TWEET_RULE = 'TweetVolumeAnomaly';
const LATENCY_RULE = 'BikeServerLatencyHigh';
const ALL_TIME = { from: 0, to: Number.MAX_SAFE_INTEGER };

/** Counts and settings of the bike replay, for the summary. */
export interface BikeReplay extends BikeServingResult {
  model: BikeModel;
  slowdown: Slowdown;
}

/** Prints the demo's summary: the replay, the model server, the alerts and the webhook. */
export function printSummary(
  appliance: Appliance,
  bike: BikeReplay,
  tweets: NabSeries[],
  sink: WebhookSink,
): void {
  const history = appliance.store.queryAlertHistory(ALL_TIME);
  const out = (line = ''): boolean => process.stdout.write(`${line}\n`);

  out(
    `\nReplayed ${bike.stored} bike-sharing hours (model ${bike.model.version}) and ${tweets.length} tweet-volume series.`,
  );
  printModelServer(appliance, bike, out);

  out('\nAlerts per rule (first firing in event time):');
  out(`  ${'rule'.padEnd(28)} ${'firings'.padStart(8)} ${'instances'.padStart(10)}  first firing`);
  for (const rule of summariseRules(history)) {
    out(
      `  ${rule.rule.padEnd(28)} ${String(rule.firings).padStart(8)} ${String(rule.instances).padStart(10)}  ${formatTime(rule.firstFiring)}`,
    );
  }

  const during = firingsWithin(history, LATENCY_RULE, bike.slowdown);
  out(
    `\n${LATENCY_RULE} fired ${during.length} times during the simulated slowdown (first at ${formatTime(during[0] ?? NaN)}), from the scraped p95 latency.`,
  );

  const coverage = coverNabWindows(history, TWEET_RULE, tweets, tickerOf);
  out(
    `Tweets: ${coverage.detected} of ${coverage.windows} labelled anomaly windows got a ${TWEET_RULE} alert; ${coverage.firingsOutside} firings fell outside every window.`,
  );
  const alerts = sink.payloads.reduce((sum, payload) => sum + payload.alerts.length, 0);
  out(
    `Webhook: ${sink.payloads.length} notifications (Alertmanager payload version ${sink.payloads[0]?.version ?? '-'}) carrying ${alerts} alerts.`,
  );
}

function printModelServer(
  appliance: Appliance,
  bike: BikeReplay,
  out: (line?: string) => boolean,
): void {
  const store = appliance.store;
  const scrapes = scrapeSummary({
    up: store.queryPoints('up', { job: SCRAPE_COLLECTOR }, ALL_TIME),
    p95: store.queryPoints(
      'http_request_duration_seconds:p95',
      { job: SCRAPE_COLLECTOR, handler: '/predict', code: '200' },
      ALL_TIME,
    ),
    slowdown: bike.slowdown,
  });
  const { slowdown } = bike;

  out(
    `Model server: ${bike.requests} POST /predict requests, ${bike.failed} rejected (422 for a humidity of 0 on 2011-03-10, when the sensor was out).`,
  );
  out(
    `Scrape collector ${SCRAPE_COLLECTOR}: ${scrapes.scrapes} scrapes stamped in event time (one per replayed day), up = 1 in ${scrapes.up} of them.`,
  );
  out(
    `Scraped /predict p95 latency: median ${milliseconds(scrapes.medianP95)} per day, ${milliseconds(scrapes.medianP95During)} during the simulated slowdown (+${slowdown.extraMs} ms from ${formatTime(slowdown.from)} to ${formatTime(slowdown.to)}).`,
  );
}

function milliseconds(seconds: number): string {
  return Number.isFinite(seconds) ? `${(seconds * 1000).toFixed(1)} ms` : '-';
}

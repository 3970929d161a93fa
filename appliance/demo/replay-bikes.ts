import { setTimeout as sleep } from 'node:timers/promises';

import type { Appliance } from '../app.ts';
import { PrometheusCollector } from '../../collectors/prometheus-collector.ts';
import type { BikeHour } from './bike-data.ts';
import type { BikeModel } from './bike-model.ts';
import { serveBikeHours, type BikeServingResult } from './bike-serving.ts';

/** Name of the scrape collector in `appliance/demo/appliance.yaml`. */
export const SCRAPE_COLLECTOR = 'model-server';

/** Maximum wait for the collector's first scrape, which its own timer runs at start, in ms. */
const FIRST_SCRAPE_TIMEOUT_MS = 30_000;

/**
 * Replays the bike hours through the model server while the appliance's scrape collector reads
 * its `/metrics` once per event-time day. `clock.time` is the collector's clock: it is set to
 * each day's last hour before that day's scrape.
 */
export async function replayBikes(options: {
  appliance: Appliance;
  rows: readonly BikeHour[];
  model: BikeModel;
  modelUrl: string;
  clock: { time: number };
  progress: boolean;
}): Promise<BikeServingResult> {
  const { appliance, clock } = options;
  const collector = appliance.collectors.collectors.find((c) => c.name === SCRAPE_COLLECTOR);
  if (!(collector instanceof PrometheusCollector)) {
    throw new Error(
      `collector "${SCRAPE_COLLECTOR}" of kind prometheus is missing from appliance/demo/appliance.yaml`,
    );
  }
  await firstScrape(collector);

  return serveBikeHours({
    rows: options.rows,
    modelUrl: options.modelUrl,
    version: options.model.version,
    eventsUrl: `${appliance.url}/api/v1/events`,
    scrape: async (time) => {
      clock.time = time;
      await collector.scrapeAll();
    },
    progress: options.progress,
  });
}

/** Waits for the scrape the collector runs at start, so no demo scrape overlaps it. */
async function firstScrape(collector: PrometheusCollector): Promise<void> {
  const deadline = Date.now() + FIRST_SCRAPE_TIMEOUT_MS;
  while (collector.health().lastSuccessMs === null) {
    if (Date.now() > deadline) {
      const reason = collector.health().lastError ?? 'no scrape finished';
      throw new Error(
        `first scrape of the model server timed out after ${FIRST_SCRAPE_TIMEOUT_MS} ms: ${reason}`,
      );
    }
    await sleep(20);
  }
}

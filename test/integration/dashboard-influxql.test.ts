import { test } from 'node:test';
import assert from 'node:assert/strict';

import { buildDashboards } from '../../dashboards/src/build.ts';
import { InfluxBatchWriter } from '../../appliance/store/influx/influx-batch-writer.ts';
import { resultToInflux, seriesPointToInflux } from '../../appliance/store/influx/influx-layout.ts';
import {
  createInfluxClient,
  ensureInfluxLayout,
} from '../../appliance/store/influx/influx-setup.ts';
import { memoryLogger } from './store/server-helpers.ts';

// Runs every InfluxQL target of the generated dashboards against a real influxd, with the
// template variables substituted as Grafana would for "last 6 hours" and series `requests`.
// The test writes the data itself through the InfluxDB writer, in the documented layout,
// without starting the appliance. It checks the queries, not a deployment.

const url = process.env.INFLUX_URL;
const skip = url ? false : 'INFLUX_URL is not set (.ci/run starts influxd)';
const database = 'vigil_it_dashboards';
const series = 'requests';

interface InfluxqlTarget {
  panel: string;
  query: string;
}

function influxqlTargets(): InfluxqlTarget[] {
  const targets: InfluxqlTarget[] = [];
  for (const [file, dashboard] of buildDashboards()) {
    for (const panel of dashboard.panels ?? []) {
      if (!('targets' in panel)) continue;
      for (const target of panel.targets ?? []) {
        const query = (target as { query?: unknown }).query;
        if (typeof query === 'string') targets.push({ panel: `${file}: ${panel.title}`, query });
      }
    }
  }
  return targets;
}

// Substitute as Grafana does: $timeFilter becomes the time range, $__interval the group-by step
// and a variable inside a regex its regex-escaped value (`requests` needs no escaping).
function substitute(query: string): string {
  return query
    .replaceAll('$timeFilter', 'time >= now() - 6h and time <= now()')
    .replaceAll('$__interval', '1m')
    .replaceAll('$series', series);
}

async function writeFixture(): Promise<void> {
  const influx = createInfluxClient(url!, database);
  await influx.dropDatabase(database);
  const { logger } = memoryLogger();
  await ensureInfluxLayout(influx, { database }, logger);
  const writer = new InfluxBatchWriter({ influx, database, logger });

  const now = Date.now();
  for (let minute = 60; minute > 0; minute--) {
    const timestamp = now - minute * 60_000;
    writer.write([
      seriesPointToInflux({ name: series, labels: { ticker: 'ABC' }, value: minute, timestamp }),
      resultToInflux({
        timestamp,
        rule: 'RequestsAnomaly',
        group: 'traffic',
        evaluator: 'anomaly.robust_zscore',
        labels: { series },
        values: { value: 1.5, max_score: 2 },
        convention: {},
      }),
    ]);
  }
  await writer.close();
}

test('every InfluxQL panel query returns a series', { skip }, async () => {
  await writeFixture();
  const influx = createInfluxClient(url!, database);
  const targets = influxqlTargets();
  assert.equal(targets.length, 2);

  for (const target of targets) {
    const results = await influx.queryRaw(substitute(target.query), { database });
    const first = (results as { results: Array<{ series?: unknown[]; error?: string }> })
      .results[0];
    assert.equal(first?.error, undefined, `${target.panel}: ${first?.error}`);
    assert.ok((first?.series?.length ?? 0) > 0, `${target.panel}: no series`);
  }
});

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { readBikeHours } from '../../appliance/demo/bike-data.ts';
import { SqliteStore } from '../../appliance/store/sqlite-store.ts';
import { createInfluxClient } from '../../appliance/store/influx/influx-setup.ts';
import { createSearchClient } from '../../appliance/store/search/search-client.ts';
import { replayDemoInto } from './demo-remote-helpers.ts';
import { REPOSITORY } from './process-helpers.ts';

const influxUrl = process.env.INFLUX_URL;
const openSearchUrl = process.env.OPENSEARCH_URL;
const skip =
  influxUrl && openSearchUrl
    ? false
    : 'INFLUX_URL or OPENSEARCH_URL is not set (.ci/run sets both)';

const DAY_MS = 86_400_000;
const EVERYTHING = { from: 0, to: Number.MAX_SAFE_INTEGER };

/** Firing counts per rule from the demo's "Alerts per rule" table. */
function printedFirings(stdout: string): Map<string, number> {
  const firings = new Map<string, number>();
  for (const match of stdout.matchAll(/^ {2}(\S+) +(\d+) +\d+ {2}20\d\d-/gm)) {
    firings.set(match[1]!, Number(match[2]));
  }
  return firings;
}

/** Days the daily bike group is evaluated: each UTC midnight after the first hour of data. */
function bikeEvaluationDays(): number {
  const hours = readBikeHours(join(REPOSITORY, 'datasets', 'bike-sharing', 'hour.csv'));
  const times = hours.map((hour) => hour.timestamp);
  const firstDay = Math.floor(Math.min(...times) / DAY_MS);
  const lastDay = Math.floor(Math.max(...times) / DAY_MS);
  return lastDay - firstDay;
}

test('demo fills InfluxDB and OpenSearch', { skip, timeout: 1_000_000 }, async (t) => {
  const database = `vigil_it_demo_${Date.now()}`;
  const prefix = `vigil-it-demo-${Date.now()}`;
  const influx = createInfluxClient(influxUrl!, database);
  const search = createSearchClient({ flavor: 'opensearch', url: openSearchUrl! });
  t.after(async () => {
    await influx.dropDatabase(database);
    for (const kind of ['events', 'results', 'alerts']) {
      await search.indices.deleteDataStream({ name: `${prefix}-${kind}` }, { ignore: [404] });
    }
    await search.close();
  });

  const replay = await replayDemoInto({
    influxUrl: influxUrl!,
    openSearchUrl: openSearchUrl!,
    database,
    prefix,
  });
  const local = SqliteStore.open({ directory: replay.dataDirectory });
  t.after(() => local.close());

  const count = async (index: string, query?: Record<string, unknown>) =>
    (await search.count({ index: `${prefix}-${index}`, ...(query ? { query } : {}) })).count;
  const influxCount = async (query: string) => {
    const rows = await influx.query<{ count: number }>(query);
    return rows[0]?.count ?? 0;
  };

  await t.test('influx holds raw series and results', async () => {
    const measurements = await influx.getMeasurements();
    for (const name of ['twitter_mentions', 'vigil_results', 'vigil:bike_mae:7d']) {
      assert.ok(measurements.includes(name), `measurement ${name} in ${measurements.join(', ')}`);
    }
    const tweets = await influxCount('SELECT count(value) AS count FROM twitter_mentions');
    const tweetsLocal = local
      .queryPoints('twitter_mentions', {}, EVERYTHING)
      .reduce((sum, series) => sum + series.values.length, 0);
    assert.ok(tweets > 0);
    assert.equal(tweets, tweetsLocal);
  });

  await t.test('bike MAE evaluated once a day', async () => {
    const expected = bikeEvaluationDays();
    const recorded = await influxCount('SELECT count(value) AS count FROM "vigil:bike_mae:7d"');
    const results = await influxCount(
      `SELECT count(value) AS count FROM vigil_results WHERE rule = 'vigil:bike_mae:7d'`,
    );
    assert.equal(expected, 730);
    assert.equal(recorded, expected);
    assert.equal(results, expected);
  });

  await t.test('opensearch holds every bike event', async () => {
    assert.equal(await count('events'), 17_379);
    assert.equal(await count('events', { term: { stream: 'bike' } }), 17_379);
  });

  await t.test('opensearch results match the local store', async () => {
    const rules = (
      await influx.query<{ value: string }>('SHOW TAG VALUES FROM vigil_results WITH KEY = "rule"')
    ).map((row) => row.value);
    assert.ok(rules.includes('TweetVolumeAnomaly'), rules.join(', '));
    let total = 0;
    for (const rule of rules) {
      const stored = local.queryResults(rule, EVERYTHING).length;
      const documents = await count('results', { term: { rule } });
      const points = await influxCount(
        `SELECT count("_convention") AS count FROM vigil_results WHERE rule = '${rule}'`,
      );
      assert.ok(stored > 0, `${rule} has local results`);
      assert.equal(documents, stored, `${rule} documents`);
      assert.equal(points, stored, `${rule} points`);
      total += stored;
    }
    assert.equal(await count('results'), total);
  });

  await t.test('tweet results cover every ticker', async () => {
    const response = await search.search({
      index: `${prefix}-results`,
      size: 0,
      query: { term: { rule: 'TweetVolumeAnomaly' } },
      aggs: { tickers: { terms: { field: 'labels.ticker', size: 50 } } },
    });
    const buckets = (response.aggregations?.tickers as { buckets: { key: string }[] }).buckets;
    assert.equal(buckets.length, 10);
  });

  await t.test('opensearch holds the printed alerts', async () => {
    const firings = printedFirings(replay.stdout);
    assert.ok(firings.size >= 3, replay.stdout);
    for (const [rule, printed] of firings) {
      const query = { bool: { filter: [{ term: { rule } }, { term: { transition: 'firing' } }] } };
      assert.equal(await count('alerts', query), printed, rule);
    }
    const history = local.queryAlertHistory(EVERYTHING);
    assert.equal(await count('alerts'), history.length);
  });
});

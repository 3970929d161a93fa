import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Ingestor } from '../../../appliance/ingest/ingestor.ts';
import { silentLogger } from '../../../appliance/log/logger.ts';
import { createMetrics } from '../../../appliance/metrics/metrics.ts';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';
import { modelFromCoefficients, type ModelInput } from '../../../appliance/demo/bike-model.ts';
import { ModelServer } from '../../../appliance/demo/model-server.ts';
import { createCollectorMetrics } from '../../../collectors/collector-metrics.ts';
import { PrometheusCollector } from '../../../collectors/prometheus-collector.ts';

// A model whose prediction is 100 + 200 × temp: the intercept and the temp coefficient of the
// design row, every other coefficient 0.
const coefficients = new Array<number>(33).fill(0);
coefficients[0] = 100;
coefficients[1] = 200;
const model = modelFromCoefficients('test-v1', coefficients);
const SLOW_FROM = Date.parse('2012-09-10T00:00:00Z');
const server = new ModelServer({
  model,
  slowdowns: [{ from: SLOW_FROM, to: SLOW_FROM + 86_400_000, extraMs: 200 }],
});
let url = '';

before(async () => {
  url = await server.start();
});
after(() => server.stop());

const features = {
  hour: 8,
  weathersit: '1',
  workingday: true,
  holiday: false,
  temp: 0.5,
  atemp: 0.5,
  hum: 0.6,
  windspeed: 0.2,
};

async function predict(body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function metricsText(): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}

/** Returns the value of the one exposition line that starts with `prefix`. */
function sample(text: string, prefix: string): number {
  const lines = text.split('\n').filter((line) => line.startsWith(prefix));
  assert.equal(lines.length, 1, `one line starts with ${prefix}`);
  return Number(lines[0]!.slice(prefix.length).trim());
}

test('predict returns the model prediction', async () => {
  const answer = await predict({ timestamp: '2011-06-01T08:00:00Z', features });

  assert.equal(answer.status, 200);
  assert.equal(answer.body.prediction, 200);
  assert.equal(answer.body.version, 'test-v1');
});

test('predict rejects a humidity of 0 with 422', async () => {
  const answer = await predict({
    timestamp: '2011-03-10T08:00:00Z',
    features: { ...features, hum: 0 },
  });

  assert.equal(answer.status, 422);
  assert.equal(answer.body.error, 'out_of_range');
  assert.match(String(answer.body.message), /features\.hum is 0: expected .* above 0/);
});

test('predict rejects a body that is not JSON', async () => {
  const answer = await predict('{"timestamp": ');

  assert.equal(answer.status, 400);
  assert.equal(answer.body.error, 'invalid_body');
});

test('predict rejects a missing hour', async () => {
  const withoutHour: Record<string, unknown> = { ...features };
  delete withoutHour.hour;

  const answer = await predict({ timestamp: '2011-06-01T08:00:00Z', features: withoutHour });

  assert.equal(answer.status, 400);
  assert.match(String(answer.body.message), /features\.hour is undefined/);
});

test('metrics count requests and errors', async () => {
  const before = await metricsText();
  await predict({ timestamp: '2011-06-01T08:00:00Z', features });
  await predict({ timestamp: '2011-03-10T08:00:00Z', features: { ...features, hum: 0 } });

  const text = await metricsText();

  const ok = 'http_requests_total{handler="/predict",code="200"}';
  const rejected = 'http_requests_total{handler="/predict",code="422"}';
  const outOfRange = 'model_prediction_errors_total{reason="out_of_range"}';
  assert.equal(sample(text, ok) - sample(before, ok), 1);
  assert.equal(sample(text, rejected) - sample(before, rejected), 1);
  assert.equal(sample(text, outOfRange) - sample(before, outOfRange), 1);
  assert.match(text, /^# TYPE http_request_duration_seconds histogram$/m);
  assert.match(
    text,
    /^http_request_duration_seconds_bucket\{le="0\.001",handler="\/predict",code="200"\} \d+$/m,
  );
});

test('slowdown delays requests in its range', async () => {
  const bucket = 'http_request_duration_seconds_bucket{le="0.15",handler="/predict",code="200"}';
  const count = 'http_request_duration_seconds_count{handler="/predict",code="200"}';
  const before = await metricsText();

  const answer = await predict({ timestamp: '2012-09-10T12:00:00Z', features });

  const text = await metricsText();
  assert.equal(answer.status, 200);
  // The request waited at least 200 ms, so it is counted but not in the bucket up to 150 ms.
  assert.equal(sample(text, count) - sample(before, count), 1);
  assert.equal(sample(text, bucket) - sample(before, bucket), 0);
});

test('scrape collector derives percentiles and error rate', async () => {
  const store = SqliteStore.open({ directory: ':memory:' });
  const metrics = createMetrics({ defaultMetrics: false });
  const clock = { now: Date.parse('2011-03-09T23:00:00Z') };
  const collector = new PrometheusCollector(
    { name: 'model-server', targets: [`${url}/metrics`], intervalMs: 3_600_000, timeoutMs: 2000 },
    {
      ingest: new Ingestor({ store, metrics, logger: silentLogger() }),
      logger: silentLogger(),
      metrics: createCollectorMetrics(metrics.registry),
      now: () => clock.now,
    },
  );
  await collector.scrapeAll();
  for (let hour = 0; hour < 4; hour++) {
    const hum = hour === 0 ? 0 : 0.6;
    await predict({ timestamp: `2011-03-10T0${hour}:00:00Z`, features: { ...features, hum } });
  }
  clock.now += 86_400_000;

  await collector.scrapeAll();

  const range = { from: 0, to: Number.MAX_SAFE_INTEGER };
  const errors = store.queryPoints(
    'model_prediction_errors_total:rate',
    { reason: 'out_of_range' },
    range,
  );
  const p95 = store.queryPoints(
    'http_request_duration_seconds:p95',
    { handler: '/predict', code: '200' },
    range,
  );
  assert.deepEqual(
    errors.map((series) => [...series.values]),
    [[1 / 86_400]],
  );
  assert.equal(p95.length, 1);
  assert.deepEqual([...p95[0]!.timestamps], [clock.now]);
  assert.ok(p95[0]!.values[0]! > 0.001, `p95 ${p95[0]!.values[0]} is above the 1 ms wait`);
  store.close();
});

test('model input type lists the fields the model reads', () => {
  const input: ModelInput = {
    hour: 8,
    weathersit: 1,
    workingday: 1,
    holiday: 0,
    temp: 0.25,
    atemp: 0.5,
    hum: 0.6,
    windspeed: 0.2,
  };

  assert.equal(model.predict(input), 150);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { evaluators } from '../../../appliance/evaluators/registry.ts';
import type { SeriesSamples } from '../../../appliance/store/store.ts';
import { FakeReader, contextAt } from '../evaluators/fake-reader.ts';

const STEP = 5 * 60_000;
const HOUR = 3_600_000;

function series(ticker: string, count: number, spikeAt = -1): SeriesSamples {
  const timestamps = Array.from({ length: count }, (_, i) => i * STEP);
  let state = 9;
  const values = timestamps.map((_, i) => {
    state = (state * 48271) % 2147483647;
    return i === spikeAt ? 500 : 20 + (state % 7);
  });
  return { name: 'mentions', labels: { ticker }, timestamps, values };
}

function create(name: string, params: Record<string, unknown> = {}) {
  const factory = evaluators.get(name);
  assert.ok(factory !== undefined, `${name} is registered`);
  return factory.create({ series: { name: 'mentions', matchers: {} }, windowMs: STEP, params });
}

const names = [
  'anomaly.kmeans',
  'anomaly.seasonal',
  'anomaly.ewma',
  'anomaly.cusum',
  'anomaly.burst',
];

for (const name of names) {
  void test(`${name} states warm-up as NaN`, () => {
    const evaluator = create(name);
    const reader = new FakeReader([], [series('AAPL', 4)]);
    const [output] = evaluator.evaluate(contextAt(reader, 4 * STEP, STEP));
    assert.ok(output !== undefined);
    assert.ok(Number.isNaN(output.values.value));
    assert.match(output.reason ?? '', /warming up/);
  });

  void test(`${name} scores a spike per series`, () => {
    const evaluator = create(name);
    const count = 3 * 24 * 12;
    const reader = new FakeReader([], [series('AAPL', count, count - 1), series('IBM', count)]);
    // The first evaluation reads the detector's history; later ones only the new points.
    let outputs = evaluator.evaluate(contextAt(reader, (count - 12) * STEP, STEP));
    outputs = evaluator.evaluate(contextAt(reader, count * STEP, STEP));
    const spiked = outputs.find((output) => output.labels.ticker === 'AAPL');
    const calm = outputs.find((output) => output.labels.ticker === 'IBM');
    assert.ok(spiked !== undefined);
    assert.ok(calm !== undefined);
    assert.equal(spiked.values.new_points, 12);
    assert.ok(spiked.values.value > 0.5, `spike scores ${spiked.values.value}`);
    assert.ok(calm.values.max_score < spiked.values.value);
  });
}

void test('anomaly.kmeans reads durations', () => {
  const evaluator = create('anomaly.kmeans', {
    train_window: '2h',
    retrain_every: '1h',
    min_train_points: 12,
  });
  const reader = new FakeReader([], [series('AAPL', 48)]);
  const [output] = evaluator.evaluate(contextAt(reader, 48 * STEP, STEP));
  assert.ok(output !== undefined);
  assert.ok(output.values.value >= 0, `score ${output.values.value}`);
  assert.throws(() => create('anomaly.kmeans', { train_window: 'soon' }), /params\.train_window/);
  assert.throws(() => create('anomaly.kmeans', { max_models: 0 }), /option maxModels/);
  assert.equal(HOUR, 12 * STEP);
});

void test('anomaly.ensemble states warm-up as NaN', () => {
  const evaluator = create('anomaly.ensemble');
  const reader = new FakeReader([], [series('AAPL', 4)]);
  const [output] = evaluator.evaluate(contextAt(reader, 4 * STEP, STEP));
  assert.ok(output !== undefined);
  assert.ok(Number.isNaN(output.values.value));
  assert.match(output.reason ?? '', /warming up/);
});

void test('anomaly.ensemble scores a spike per series', () => {
  const evaluator = create('anomaly.ensemble');
  const count = 3 * 24 * 12;
  const reader = new FakeReader([], [series('AAPL', count, count - 1), series('IBM', count)]);
  evaluator.evaluate(contextAt(reader, (count - 12) * STEP, STEP));
  const outputs = evaluator.evaluate(contextAt(reader, count * STEP, STEP));
  const spiked = outputs.find((output) => output.labels.ticker === 'AAPL');
  const calm = outputs.find((output) => output.labels.ticker === 'IBM');
  assert.ok(spiked !== undefined);
  assert.ok(calm !== undefined);

  // The spike tops all 833 earlier CUSUM scores (852 points read, 30 of warm-up, 11 new ones), so
  // p = 2 · 1 / (1 + 833).
  assert.equal(spiked.values.p_value, 2 / 834);
  assert.ok(spiked.values.value > 0.25, `spike scores ${spiked.values.value}`);
  assert.ok(calm.values.max_score! < spiked.values.value, `calm max ${calm.values.max_score}`);
});

void test('anomaly.ensemble rejects a bad calibration option', () => {
  assert.throws(
    () => create('anomaly.ensemble', { calibration_bins: 1 }),
    /option calibrationBins is invalid \(got 1\)/,
  );
});

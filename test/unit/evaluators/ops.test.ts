import { test } from 'node:test';
import assert from 'node:assert/strict';
import { latencyEvaluator } from '../../../appliance/evaluators/ops/latency.ts';
import { errorRateEvaluator } from '../../../appliance/evaluators/ops/error-rate.ts';
import { throughputEvaluator } from '../../../appliance/evaluators/ops/throughput.ts';
import type { EvaluatorFactory } from '../../../appliance/evaluators/evaluator.ts';
import { FakeReader, contextAt, event } from './fake-reader.ts';

const WINDOW = 60_000;

function run(factory: EvaluatorFactory, reader: FakeReader, params: Record<string, unknown> = {}) {
  const instance = factory.create({ stream: 'bikes', windowMs: WINDOW, params });
  return instance.evaluate(contextAt(reader, 60_000, WINDOW));
}

// Latencies 10, 20, ..., 1000 ms, so quantiles are easy to work out by hand.
const latencyEvents = Array.from({ length: 100 }, (_, i) =>
  event({ latencyMs: (i + 1) * 10, timestamp: i * 100 }),
);

void test('latency quantiles are in seconds', () => {
  const [output] = run(latencyEvaluator, new FakeReader(latencyEvents));
  // np.percentile(np.arange(1, 101) * 0.01, [50, 95, 99]) = 0.505, 0.9505, 0.9901
  assert.ok(Math.abs(output!.values.p50! - 0.505) < 1e-12);
  assert.ok(Math.abs(output!.values.p95! - 0.9505) < 1e-12);
  assert.ok(Math.abs(output!.values.p99! - 0.9901) < 1e-12);
  assert.equal(output!.values.value, output!.values.p99);
  assert.equal(output!.values.n, 100);
});

void test('latency value follows the quantile param', () => {
  const [output] = run(latencyEvaluator, new FakeReader(latencyEvents), { quantile: 0.5 });
  assert.equal(output!.values.value, output!.values.p50);
});

void test('latency without reports is NaN', () => {
  const [output] = run(latencyEvaluator, new FakeReader([event({})]));
  assert.ok(Number.isNaN(output!.values.value));
  assert.equal(output!.reason, 'no event reports a latency');
});

void test('latency rejects a quantile above 1', () => {
  assert.throws(
    () => latencyEvaluator.create({ stream: 'bikes', windowMs: WINDOW, params: { quantile: 99 } }),
    /got 99/,
  );
});

void test('error rate is failed over all', () => {
  const events = [event({ error: true }), event({}), event({}), event({})];
  const [output] = run(errorRateEvaluator, new FakeReader(events));
  assert.equal(output!.values.value, 0.25);
  assert.equal(output!.values.errors, 1);
});

void test('error rate of empty window is NaN', () => {
  const [output] = run(errorRateEvaluator, new FakeReader([]));
  assert.ok(Number.isNaN(output!.values.value));
});

void test('throughput is events per second', () => {
  const [output] = run(throughputEvaluator, new FakeReader(latencyEvents));
  assert.ok(Math.abs(output!.values.value - 100 / 60) < 1e-12);
});

void test('throughput of silent stream is 0', () => {
  const [output] = run(throughputEvaluator, new FakeReader([]));
  assert.equal(output!.values.value, 0);
});

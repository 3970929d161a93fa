import { test } from 'node:test';
import assert from 'node:assert/strict';

import { createMetrics } from '../../../appliance/metrics/metrics.ts';
import {
  MINUTE,
  alertRule,
  at,
  createTestEngine,
  group,
  output,
  recordRule,
  sampleOf,
  type Call,
} from './engine-fixtures.ts';

const minuteOf = (time: number): number => (time - at(0)) / MINUTE;

void test('event clock evaluates each due time once', () => {
  const calls: Call[] = [];
  const rule = alertRule('HighX', () => [output(1)], { series: 'x' });
  const { engine } = createTestEngine([group('g', [rule])], { calls });

  engine.advance('series:x', at(3), at(0) + 10_000);
  engine.advance('series:x', at(3));
  engine.advance('series:x', at(5));

  assert.deepEqual(
    calls.map((call) => minuteOf(call.time)),
    [1, 2, 3, 4, 5],
  );
});

void test('event clock waits for every source of a group', () => {
  const calls: Call[] = [];
  const rules = [
    alertRule('OnX', () => [output(0)], { series: 'x' }),
    alertRule('OnY', () => [output(0)], { series: 'y' }),
  ];
  const { engine } = createTestEngine([group('g', rules)], { calls });

  engine.advance('series:x', at(4), at(0));
  assert.equal(calls.length, 0);

  engine.advance('series:y', at(2), at(0));
  assert.deepEqual(
    calls.map((call) => `${call.rule}@${minuteOf(call.time)}`),
    ['OnX@1', 'OnY@1', 'OnX@2', 'OnY@2'],
  );
});

void test('recorded series advance the groups that read them', () => {
  const calls: Call[] = [];
  const record = recordRule('bikes:mae', () => [output(2)], { stream: 'bikes' });
  const reader = alertRule('HighMae', () => [output(1)], { series: 'bikes:mae' });
  const { engine } = createTestEngine([group('record', [record]), group('alert', [reader])], {
    calls,
  });

  engine.advance('stream:bikes', at(3), at(0));

  // The point recorded at T is the last one before T + 1m, so the reader may evaluate up to
  // T + 1m. Its first evaluation is at the boundary after the first recorded point.

  assert.deepEqual(
    calls.map((call) => `${call.rule}@${minuteOf(call.time)}`),
    ['bikes:mae@1', 'bikes:mae@2', 'HighMae@2', 'bikes:mae@3', 'HighMae@3', 'HighMae@4'],
  );
});

void test('wall clock is ignored by advance', () => {
  const calls: Call[] = [];
  const { engine } = createTestEngine([group('g', [alertRule('HighX', () => [output(1)])])], {
    calls,
    clock: 'wall',
  });

  engine.advance('series:x', at(5), at(0));

  assert.equal(calls.length, 0);
});

void test('wall clock evaluates groups on a short interval', async () => {
  const intervalMs = 25;
  const times: number[] = [];
  let done: () => void = () => {};
  const twoRuns = new Promise<void>((resolve) => (done = resolve));
  const script = ({ time }: { time: number }) => {
    times.push(time);
    if (times.length === 2) done();
    return [output(1)];
  };
  const metrics = createMetrics({ defaultMetrics: false });
  const { engine, sink } = createTestEngine(
    [group('fast', [alertRule('Tick', script)], intervalMs)],
    { clock: 'wall', metrics },
  );

  engine.start();
  await twoRuns;
  await engine.stop();

  assert.equal(times.length, 2);
  assert.equal((times[0] ?? 1) % intervalMs, 0);
  assert.equal((times[1] ?? 0) - (times[0] ?? 0), intervalMs);
  assert.equal(await sampleOf(metrics, 'vigil_rule_group_evaluations_total', { group: 'fast' }), 2);
  assert.equal(sink.batches[0]?.time, times[0]);
});

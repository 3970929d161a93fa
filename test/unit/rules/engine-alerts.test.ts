import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  MINUTE,
  alertRule,
  at,
  createTestEngine,
  group,
  output,
  sampleOf,
  stateName,
} from './engine-fixtures.ts';

/** x = 1 from t0 to t6, 0 from t7 to t9, 1 from t10, as in the Prometheus re-firing case. */
const refiring = ({ time }: { time: number }) => {
  const minute = (time - at(0)) / MINUTE;
  return [output(minute <= 6 || minute >= 10 ? 1 : 0)];
};

void test('alert fires at for, resolves and fires again', async () => {
  const rule = alertRule('HighX', refiring, { forMs: 2 * MINUTE });
  const { engine, store, metrics, sink } = createTestEngine([group('g', [rule])]);

  const states: string[] = [];
  for (let minute = 0; minute <= 12; minute++) {
    engine.evaluateGroupAt('g', at(minute));
    const [instance] = engine.alertStates();
    states.push(stateName(instance));
  }

  assert.deepEqual(states.slice(0, 3), ['pending', 'pending', 'firing']);
  assert.equal(states[7], 'resolved');
  assert.deepEqual(states.slice(10), ['pending', 'pending', 'firing']);

  const history = store.queryAlertHistory({ from: at(0), to: at(13) }, 'HighX');
  assert.deepEqual(
    history.map((entry) => [entry.transition, (entry.timestamp - at(0)) / MINUTE]),
    [
      ['pending', 0],
      ['firing', 2],
      ['resolved', 7],
      ['pending', 10],
      ['firing', 12],
    ],
  );

  const fired = sink.batches.map((batch) => batch.alerts[0]);
  assert.equal(fired[2]?.status, 'firing');
  assert.equal(fired[2]?.startsAt, '2011-01-01T00:02:00.000Z');
  assert.equal(fired[2]?.endsAt, '0001-01-01T00:00:00Z');
  assert.equal(fired[7]?.status, 'resolved');
  assert.equal(fired[7]?.endsAt, '2011-01-01T00:07:00.000Z');
  assert.equal(fired[12]?.status, 'firing');
  assert.equal(fired[12]?.startsAt, '2011-01-01T00:12:00.000Z');
  assert.deepEqual(fired[12]?.labels, { alertname: 'HighX', severity: 'warning' });
  assert.deepEqual(fired[12]?.annotations, { summary: 'HighX is 1' });
  assert.equal(fired[12]?.generatorURL, 'http://127.0.0.1:9680/api/v1/rules?group=g&rule=HighX');
  assert.match(fired[12]?.fingerprint ?? '', /^[0-9a-f]{16}$/);

  assert.equal(await sampleOf(metrics, 'vigil_alerts', { rule: 'HighX', state: 'firing' }), 1);
  assert.equal(await sampleOf(metrics, 'vigil_alerts', { rule: 'HighX', state: 'pending' }), 0);
});

void test('for 0 fires on the first evaluation', () => {
  const { engine, sink } = createTestEngine([group('g', [alertRule('Now', () => [output(5)])])]);

  engine.evaluateGroupAt('g', at(0));

  assert.equal(engine.alertStates()[0]?.state, 'firing');
  assert.equal(sink.batches[0]?.alerts[0]?.startsAt, '2011-01-01T00:00:00.000Z');
});

void test('NaN condition is false and +Inf fires', () => {
  const nan = alertRule('NaNRatio', () => [output(Number.NaN)], { when: 'value > 0.05' });
  const inf = alertRule('InfRatio', () => [output(Number.POSITIVE_INFINITY)], {
    when: 'value > 0.05',
  });
  const { engine } = createTestEngine([group('g', [nan, inf])]);

  engine.evaluateGroupAt('g', at(0));

  assert.deepEqual(
    engine.alertStates().map((instance) => [instance.rule, instance.state, instance.value]),
    [['InfRatio', 'firing', Number.POSITIVE_INFINITY]],
  );
});

void test('output labels make separate instances', () => {
  const script = () => [output(1, { feature: 'temp' }), output(0, { feature: 'hum' })];
  const { engine } = createTestEngine([group('g', [alertRule('Drift', script)])]);

  engine.evaluateGroupAt('g', at(0));

  const [instance] = engine.alertStates();
  assert.equal(engine.alertStates().length, 1);
  assert.deepEqual(instance?.labels, { alertname: 'Drift', feature: 'temp', severity: 'warning' });
  assert.equal(instance?.key, 'g/Drift{alertname="Drift",feature="temp",severity="warning"}');
});

void test('failed evaluation keeps alert states', () => {
  let broken = false;
  const script = () => {
    if (broken) throw new Error('store unavailable');
    return [output(1)];
  };
  const { engine } = createTestEngine([group('g', [alertRule('HighX', script)])]);

  engine.evaluateGroupAt('g', at(0));
  broken = true;
  engine.evaluateGroupAt('g', at(1));

  assert.equal(engine.alertStates()[0]?.state, 'firing');
  assert.equal(engine.alertStates()[0]?.lastEvaluatedAt, at(0));
});

void test('engine restores stored alert states', () => {
  const rule = alertRule('HighX', () => [output(1)], { forMs: 5 * MINUTE });
  const first = createTestEngine([group('g', [rule])]);
  for (let minute = 0; minute <= 6; minute++) first.engine.evaluateGroupAt('g', at(minute));

  const second = createTestEngine([group('g', [rule])], { store: first.store });
  assert.equal(second.engine.alertStates()[0]?.state, 'firing');
  second.engine.evaluateGroupAt('g', at(7));

  const [instance] = second.engine.alertStates();
  assert.equal(instance?.state, 'firing');
  assert.equal(instance?.firedAt, at(5));
  assert.equal(second.sink.batches[0]?.alerts[0]?.startsAt, '2011-01-01T00:05:00.000Z');
  const history = first.store.queryAlertHistory({ from: at(0), to: at(8) }, 'HighX');
  assert.deepEqual(
    history.map((entry) => entry.transition),
    ['pending', 'firing'],
  );
});

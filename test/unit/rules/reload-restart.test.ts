import { test } from 'node:test';
import assert from 'node:assert/strict';

import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';
import { MINUTE, alertRule, at, createTestEngine, group, output } from './engine-fixtures.ts';

const always = () => [output(1)];

function firingNotifications(
  batches: { alerts: readonly { status: string; startsAt: string }[] }[],
) {
  return batches.flatMap((batch) => batch.alerts.filter((alert) => alert.status === 'firing'));
}

void test('reload with unchanged file keeps firing alert', async () => {
  const rules = () => [group('g', [alertRule('HighX', always, { forMs: 10 * MINUTE })])];
  const { engine } = createTestEngine(rules());
  for (let minute = 0; minute <= 11; minute++) engine.evaluateGroupAt('g', at(minute));
  const before = engine.alertStates()[0];

  const summary = await engine.reload({ groups: rules() });
  engine.evaluateGroupAt('g', at(12));
  engine.evaluateGroupAt('g', at(13));

  const after = engine.alertStates()[0];
  assert.equal(summary.unchanged, 1);
  assert.equal(summary.changed, 0);
  assert.equal(before?.state, 'firing');
  assert.equal(after?.state, 'firing');
  assert.equal(after?.firedAt, at(10));
});

void test('reload editing another group keeps alert', async () => {
  const target = alertRule('HighX', always, { forMs: 10 * MINUTE });
  const other = (when: string) => group('h', [alertRule('Other', always, { when })]);
  const { engine, store } = createTestEngine([group('g', [target]), other('value > 0')]);
  for (let minute = 0; minute <= 12; minute++) engine.evaluateGroupAt('g', at(minute));

  const summary = await engine.reload({ groups: [group('g', [target]), other('value > 5')] });
  engine.evaluateGroupAt('g', at(13));

  assert.equal(summary.unchanged, 1);
  assert.equal(summary.changed, 1);
  const instance = engine.alertStates().find((state) => state.rule === 'HighX');
  assert.equal(instance?.state, 'firing');
  assert.equal(instance?.firedAt, at(10));
  const firings = store
    .queryAlertHistory({ from: at(0), to: at(14) }, 'HighX')
    .filter((entry) => entry.transition === 'firing');
  assert.equal(firings.length, 1);
});

void test('reload does not notify an unchanged firing alert again', async () => {
  const rules = () => [group('g', [alertRule('HighX', always, { forMs: 10 * MINUTE })])];
  const { engine, sink } = createTestEngine(rules());
  for (let minute = 0; minute <= 12; minute++) engine.evaluateGroupAt('g', at(minute));

  await engine.reload({ groups: rules() });
  engine.evaluateGroupAt('g', at(13));

  const startsAt = new Set(firingNotifications(sink.batches).map((alert) => alert.startsAt));
  assert.deepEqual([...startsAt], ['2011-01-01T00:10:00.000Z']);
});

void test('changed rule takes over its alerts', async () => {
  const { engine } = createTestEngine([group('g', [alertRule('HighX', always)])]);
  engine.evaluateGroupAt('g', at(0));

  const edited = alertRule('HighX', always, { when: 'value > 0.5' });
  const summary = await engine.reload({ groups: [group('g', [edited])] });
  engine.evaluateGroupAt('g', at(1));

  assert.equal(summary.changed, 1);
  assert.equal(engine.alertStates()[0]?.firedAt, at(0));
});

void test('removed rule deletes its stored alerts', async () => {
  const { engine, store } = createTestEngine([group('g', [alertRule('HighX', always)])]);
  engine.evaluateGroupAt('g', at(0));

  const summary = await engine.reload({ groups: [] });

  assert.equal(summary.removedAlerts, 1);
  assert.equal(store.loadAlertStates().length, 0);
  assert.equal(engine.alertStates().length, 0);
});

void test('restart keeps a firing alert and its startsAt', () => {
  const store = SqliteStore.open({ directory: ':memory:' });
  const rules = () => [group('g', [alertRule('HighX', always, { forMs: 5 * MINUTE })])];
  const first = createTestEngine(rules(), { store });
  for (let minute = 0; minute <= 29; minute++) first.engine.evaluateGroupAt('g', at(minute));

  const second = createTestEngine(rules(), { store });
  second.engine.evaluateGroupAt('g', at(32));

  const [instance] = second.engine.alertStates();
  assert.equal(instance?.state, 'firing');
  assert.equal(instance?.firedAt, at(5));
  assert.equal(second.sink.batches[0]?.alerts[0]?.startsAt, '2011-01-01T00:05:00.000Z');
  const firings = store
    .queryAlertHistory({ from: at(0), to: at(40) }, 'HighX')
    .filter((entry) => entry.transition === 'firing');
  assert.equal(firings.length, 1);
});

void test('restart does not count downtime toward for', () => {
  const store = SqliteStore.open({ directory: ':memory:' });
  const rules = () => [group('g', [alertRule('HighX', always, { forMs: 5 * MINUTE })])];
  const first = createTestEngine(rules(), { store });
  for (let minute = 0; minute <= 2; minute++) first.engine.evaluateGroupAt('g', at(minute));

  // Down from t3 to t9: t10 is the first evaluation after restart, 7 minutes of downtime.
  const second = createTestEngine(rules(), { store });
  const states: string[] = [];
  for (let minute = 10; minute <= 13; minute++) {
    second.engine.evaluateGroupAt('g', at(minute));
    states.push(second.engine.alertStates()[0]?.state ?? '-');
  }

  assert.equal(second.engine.alertStates()[0]?.activeAt, at(7));
  assert.deepEqual(states, ['pending', 'pending', 'firing', 'firing']);
});

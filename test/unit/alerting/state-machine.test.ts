import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  AlertStateMachine,
  RESOLVED_RETENTION_MS,
  type ActiveSample,
  type AlertInstance,
} from '../../../appliance/alerting/state-machine.ts';

const MINUTE = 60_000;
const T0 = Date.UTC(2011, 0, 1);
const at = (minute: number): number => T0 + minute * MINUTE;

function sample(value = 1, key = 'g/HighX{alertname="HighX"}'): ActiveSample {
  return { key, labels: { alertname: 'HighX' }, annotations: { summary: `x is ${value}` }, value };
}

/** Names the state of an instance for timelines: `-` when absent, `resolved` once resolved. */
function stateName(instance: AlertInstance | undefined): string {
  if (instance === undefined) return '-';
  if (instance.resolvedAt > 0) return 'resolved';
  return instance.state;
}

/** Runs one evaluation per minute from 0 to `last`, with x > 0 whenever `active(minute)`. */
function runTimeline(forMs: number, last: number, active: (minute: number) => boolean) {
  const machine = new AlertStateMachine({ group: 'g', rule: 'HighX', forMs });
  const states: string[] = [];
  const transitions: string[] = [];
  for (let minute = 0; minute <= last; minute++) {
    const update = machine.evaluate(at(minute), active(minute) ? [sample()] : []);
    for (const entry of update.history) transitions.push(`${entry.transition}@${minute}`);
    const instance = machine.instances()[0];
    states.push(stateName(instance));
  }
  return { machine, states, transitions };
}

void test('pending alert fires once for has passed', () => {
  const { states, transitions, machine } = runTimeline(2 * MINUTE, 3, () => true);

  assert.deepEqual(states, ['pending', 'pending', 'firing', 'firing']);
  assert.deepEqual(transitions, ['pending@0', 'firing@2']);
  const [instance] = machine.instances();
  assert.equal(instance?.activeAt, at(0));
  assert.equal(instance?.firedAt, at(2));
  assert.equal(instance?.lastEvaluatedAt, at(3));
});

void test('for 0 fires on the first true evaluation', () => {
  const { states, transitions, machine } = runTimeline(0, 0, () => true);

  assert.deepEqual(states, ['firing']);
  assert.deepEqual(transitions, ['pending@0', 'firing@0']);
  assert.equal(machine.instances()[0]?.firedAt, at(0));
});

void test('pending alert missing one evaluation is dropped', () => {
  const { states, transitions } = runTimeline(5 * MINUTE, 6, (minute) => minute !== 2);

  assert.deepEqual(states, ['pending', 'pending', '-', 'pending', 'pending', 'pending', 'pending']);
  assert.deepEqual(transitions, ['pending@0', 'pending@3']);
});

void test('firing alert resolves and refires with a new startsAt', () => {
  // x = 1 from t0 to t6, 0 from t7 to t9, 1 from t10, for 2m.
  const active = (minute: number) => minute <= 6 || minute >= 10;
  const { states, transitions, machine } = runTimeline(2 * MINUTE, 12, active);

  assert.deepEqual(transitions, ['pending@0', 'firing@2', 'resolved@7', 'pending@10', 'firing@12']);
  assert.equal(states[7], 'resolved');
  assert.equal(states[9], 'resolved');
  assert.equal(states[10], 'pending');
  const [instance] = machine.instances();
  assert.equal(instance?.activeAt, at(10));
  assert.equal(instance?.firedAt, at(12));
  assert.equal(instance?.resolvedAt, 0);
});

void test('resolved alert is kept for the retention then removed', () => {
  const machine = new AlertStateMachine({ group: 'g', rule: 'HighX', forMs: 0 });
  machine.evaluate(at(0), [sample()]);
  const resolved = machine.evaluate(at(1), []);

  assert.equal(resolved.saved[0]?.state, 'inactive');
  assert.equal(resolved.saved[0]?.lastEvaluatedAt, at(1));

  const kept = machine.evaluate(at(1) + RESOLVED_RETENTION_MS, []);
  assert.deepEqual(kept.removed, []);
  assert.equal(machine.instances()[0]?.resolvedAt, at(1));

  const removed = machine.evaluate(at(2) + RESOLVED_RETENTION_MS, []);
  assert.deepEqual(removed.removed, ['g/HighX{alertname="HighX"}']);
  assert.equal(machine.instances().length, 0);
});

void test('updates record value and annotations each evaluation', () => {
  const machine = new AlertStateMachine({ group: 'g', rule: 'HighX', forMs: 0 });
  machine.evaluate(at(0), [sample(3)]);
  const update = machine.evaluate(at(1), [sample(7)]);

  assert.equal(update.history.length, 0);
  assert.equal(update.saved[0]?.value, 7);
  assert.deepEqual(update.saved[0]?.annotations, { summary: 'x is 7' });
  assert.equal(update.saved[0]?.firedAt, at(0));
});

void test('instances with different labels are independent', () => {
  const machine = new AlertStateMachine({ group: 'g', rule: 'HighX', forMs: MINUTE });
  machine.evaluate(at(0), [sample(1, 'a'), sample(1, 'b')]);
  const update = machine.evaluate(at(1), [sample(1, 'a')]);

  assert.deepEqual(update.removed, ['b']);
  assert.deepEqual(
    machine.instances().map((instance) => [instance.key, instance.state]),
    [['a', 'firing']],
  );
});

void test('restored states carry on', () => {
  const first = new AlertStateMachine({ group: 'g', rule: 'HighX', forMs: 0 });
  const update = first.evaluate(at(0), [sample()]);
  const second = new AlertStateMachine({ group: 'g', rule: 'HighX', forMs: 0 });
  second.restore(update.saved);

  const next = second.evaluate(at(1), [sample()]);
  assert.equal(next.history.length, 0);
  assert.equal(next.saved[0]?.state, 'firing');
  assert.equal(next.saved[0]?.firedAt, at(0));
});

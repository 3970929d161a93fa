import { test } from 'node:test';
import assert from 'node:assert/strict';

import type { EvaluationOutput } from '../../../appliance/evaluators/evaluator.ts';
import type { AlertingRule } from '../../../appliance/rules/model.ts';
import {
  MINUTE,
  alertRule,
  at,
  createTestEngine,
  group,
  output,
  stateName,
  type Script,
} from './engine-fixtures.ts';

const minuteOf = (time: number): number => (time - at(0)) / MINUTE;

/** Runs minutes 0..last and returns the state name of the rule's only instance at each. */
function timeline(rule: AlertingRule, last: number): string[] {
  const { engine } = createTestEngine([group('g', [rule])]);
  const states: string[] = [];
  for (let minute = 0; minute <= last; minute++) {
    engine.evaluateGroupAt('g', at(minute));
    states.push(stateName(engine.alertStates()[0]));
  }
  return states;
}

/** `ready` is 0 at t0 to t2, missing at t3, and 0 again from t4. */
const readyWithGap: Script = ({ time }) => (minuteOf(time) === 3 ? [] : [output(0)]);

void test('missed evaluation restarts pending alert', () => {
  const rule = alertRule('NotReady', readyWithGap, { forMs: 5 * MINUTE, when: 'value == 0' });
  const states = timeline(rule, 9);

  assert.equal(states[3], '-');
  assert.equal(states[4], 'pending');
  assert.equal(states[8], 'pending');
  assert.equal(states[9], 'firing');
});

void test('tolerance of one keeps pending alert', () => {
  const base = alertRule('NotReady', readyWithGap, { forMs: 5 * MINUTE, when: 'value == 0' });
  const states = timeline({ ...base, tolerance: 1 }, 6);

  assert.equal(states[3], 'pending');
  assert.equal(states[4], 'pending');
  assert.equal(states[5], 'firing');
});

void test('tolerance counts consecutive misses only', () => {
  const gaps: Script = ({ time }) => ([1, 3].includes(minuteOf(time)) ? [] : [output(0)]);
  const base = alertRule('NotReady', gaps, { forMs: 4 * MINUTE, when: 'value == 0' });
  const states = timeline({ ...base, tolerance: 1 }, 4);

  assert.deepEqual(states, ['pending', 'pending', 'pending', 'pending', 'firing']);
});

function ratio(errors: number, total: number): EvaluationOutput {
  return { labels: {}, values: { value: errors / total, errors, total }, convention: {} };
}

void test('NaN ratio does not fire by default', () => {
  const rule = alertRule('ErrorRatio', () => [ratio(0, 0)], { when: 'errors / total > 0.05' });
  const { engine } = createTestEngine([group('g', [rule])]);

  engine.evaluateGroupAt('g', at(0));

  assert.equal(engine.alertStates().length, 0);
});

void test('NaN ratio fires with nan true and shows it', () => {
  const base = alertRule('ErrorRatio', () => [ratio(0, 0)], { when: 'errors / total > 0.05' });
  const { engine } = createTestEngine([group('g', [{ ...base, nan: true }])]);

  engine.evaluateGroupAt('g', at(0));

  const [instance] = engine.alertStates();
  assert.equal(instance?.state, 'firing');
  assert.equal(instance?.cause, 'nan');
});

void test('infinite ratio fires and shows it', () => {
  const rule = alertRule('ErrorRatio', () => [ratio(3, 0)], { when: 'errors / total > 0.05' });
  const { engine } = createTestEngine([group('g', [rule])]);

  engine.evaluateGroupAt('g', at(0));

  const [instance] = engine.alertStates();
  assert.equal(instance?.state, 'firing');
  assert.equal(instance?.cause, 'inf');
  assert.equal(instance?.value, Number.POSITIVE_INFINITY);
});

void test('finite ratio fires with cause value', () => {
  const rule = alertRule('ErrorRatio', () => [ratio(1, 10)], { when: 'errors / total > 0.05' });
  const { engine } = createTestEngine([group('g', [rule])]);

  engine.evaluateGroupAt('g', at(0));

  assert.equal(engine.alertStates()[0]?.cause, 'value');
});

void test('nan keep_state keeps a firing alert firing', () => {
  const script: Script = ({ time }) => [minuteOf(time) === 0 ? ratio(1, 10) : ratio(0, 0)];
  const base = alertRule('ErrorRatio', script, { when: 'errors / total > 0.05' });
  const states = timeline({ ...base, nan: 'keep_state' }, 3);

  assert.deepEqual(states, ['firing', 'firing', 'firing', 'firing']);
});

void test('keep_firing_for holds a firing alert', () => {
  const script: Script = ({ time }) => [output(minuteOf(time) <= 2 ? 1 : 0)];
  const base = alertRule('HighX', script);
  const states = timeline({ ...base, keepFiringForMs: 3 * MINUTE }, 7);

  assert.deepEqual(states.slice(0, 6), [
    'firing',
    'firing',
    'firing',
    'firing',
    'firing',
    'firing',
  ]);
  assert.equal(states[6], 'resolved');
});

void test('keep_firing_for restarts when the condition returns', () => {
  const script: Script = ({ time }) => [output([1, 2, 4, 5].includes(minuteOf(time)) ? 0 : 1)];
  const base = alertRule('HighX', script);
  const states = timeline({ ...base, keepFiringForMs: 2 * MINUTE }, 7);

  assert.deepEqual(states, [
    'firing',
    'firing',
    'firing',
    'firing',
    'firing',
    'firing',
    'firing',
    'firing',
  ]);
});

void test('resolve_when adds hysteresis', () => {
  const values = [90, 85, 75, 72, 65, 90];
  const script: Script = ({ time }) => [output(values[minuteOf(time)] ?? 0)];
  const base = alertRule('Hot', script, { when: 'value > 80' });
  const states = timeline({ ...base, resolveWhen: 'value < 70' }, 5);

  assert.deepEqual(states, ['firing', 'firing', 'firing', 'firing', 'resolved', 'firing']);
});

void test('resolve_when does not hold a pending alert', () => {
  const values = [90, 75, 90];
  const script: Script = ({ time }) => [output(values[minuteOf(time)] ?? 0)];
  const base = alertRule('Hot', script, { when: 'value > 80', forMs: 2 * MINUTE });
  const states = timeline({ ...base, resolveWhen: 'value < 70' }, 2);

  assert.deepEqual(states, ['pending', '-', 'pending']);
});

void test('no outputs resolve by default', () => {
  const script: Script = ({ time }) => (minuteOf(time) === 0 ? [output(1)] : []);
  const states = timeline(alertRule('HighX', script), 1);

  assert.deepEqual(states, ['firing', 'resolved']);
});

void test('no_data keep_state keeps alerts', () => {
  const script: Script = ({ time }) => (minuteOf(time) === 0 ? [output(1)] : []);
  const states = timeline({ ...alertRule('HighX', script), noData: 'keep_state' }, 2);

  assert.deepEqual(states, ['firing', 'firing', 'firing']);
});

void test('no_data nodata starts a labelled alert', () => {
  const base = alertRule('HighX', () => [], { forMs: MINUTE });
  const { engine } = createTestEngine([group('g', [{ ...base, noData: 'nodata' }])]);

  engine.evaluateGroupAt('g', at(0));
  engine.evaluateGroupAt('g', at(1));

  const [instance] = engine.alertStates();
  assert.equal(instance?.state, 'firing');
  assert.equal(instance?.cause, 'nodata');
  assert.deepEqual(instance?.labels, {
    alertname: 'HighX',
    severity: 'warning',
    vigil_reason: 'nodata',
  });
});

void test('no_data alerting keeps active instances active', () => {
  const script: Script = ({ time }) =>
    minuteOf(time) === 0 ? [output(1, { feature: 'temp' })] : [];
  const base = alertRule('Drift', script, { forMs: 2 * MINUTE });
  const { engine } = createTestEngine([group('g', [{ ...base, noData: 'alerting' }])]);

  for (let minute = 0; minute <= 2; minute++) engine.evaluateGroupAt('g', at(minute));

  const instances = engine.alertStates();
  assert.equal(instances.length, 1);
  assert.equal(instances[0]?.labels.feature, 'temp');
  assert.equal(instances[0]?.state, 'firing');
  assert.equal(instances[0]?.cause, 'nodata');
});

void test('error ok resolves alerts', () => {
  const script: Script = ({ time }) => {
    if (minuteOf(time) > 0) throw new Error('store unavailable');
    return [output(1)];
  };
  const states = timeline({ ...alertRule('HighX', script), error: 'ok' }, 1);

  assert.deepEqual(states, ['firing', 'resolved']);
});

void test('error alerting starts an error alert', () => {
  const script: Script = () => {
    throw new Error('store unavailable');
  };
  const { engine } = createTestEngine([
    group('g', [{ ...alertRule('HighX', script), error: 'alerting' }]),
  ]);

  engine.evaluateGroupAt('g', at(0));

  const [instance] = engine.alertStates();
  assert.equal(instance?.state, 'firing');
  assert.equal(instance?.cause, 'error');
  assert.equal(instance?.labels.vigil_reason, 'error');
});

void test('group limit fails an evaluation above it', () => {
  const script: Script = () => [output(1, { feature: 'a' }), output(1, { feature: 'b' })];
  const limited = { ...group('g', [alertRule('Drift', script)]), limit: 1 };
  const { engine } = createTestEngine([limited]);

  const failures = engine.evaluateGroupAt('g', at(0));

  assert.equal(failures, 1);
  assert.equal(engine.alertStates().length, 0);
});

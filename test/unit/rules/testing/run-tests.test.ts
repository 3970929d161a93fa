import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { EvaluatorFactory } from '../../../../appliance/evaluators/evaluator.ts';
import { runTestFile } from '../../../../appliance/rules/testing/run-tests.ts';

/** A series evaluator whose `value` is the last point in the window of each matching series. */
const lastValue: EvaluatorFactory = {
  name: 'test.last',
  description: 'Last point of each series in the window.',
  input: 'series',
  needsReference: false,
  paramsSchema: {},
  outputs: { value: { metric: 'vigil_test_last', help: 'Last point.' } },
  outputLabels: ['instance'],
  create(inputs) {
    return {
      evaluate({ window, data }) {
        const series = inputs.series!;
        return data.points(series.name, series.matchers, window).flatMap((samples) => {
          const value = samples.values.at(-1);
          if (value === undefined) return [];
          const labels = { instance: samples.labels.instance ?? '' };
          return [{ labels, values: { value }, convention: { method: 'last' } }];
        });
      },
    };
  },
};

/** An event evaluator that a test replaces with `input_outputs`. */
const eventValue: EvaluatorFactory = {
  ...lastValue,
  name: 'test.event',
  input: 'events',
  outputs: {
    value: { metric: 'vigil_test_event', help: 'Event value.' },
    p_value: { metric: 'vigil_test_event_p', help: 'p-value.' },
  },
  outputLabels: ['feature'],
  create: () => ({ evaluate: () => [] }),
};

const evaluators = new Map([
  [lastValue.name, lastValue],
  [eventValue.name, eventValue],
]);

const rules = `version: 1
groups:
  - name: up
    interval: 1m
    rules:
      - alert: InstanceDown
        evaluator: test.last
        series: { name: up }
        window: 1m
        when: value == 0
        for: 2m
        labels: { severity: page }
        annotations:
          summary: '{{ $labels.instance }} is down'
  - name: model
    interval: 1m
    rules:
      - alert: Drift
        evaluator: test.event
        stream: bike
        window: 1m
        when: value > 0.3 and p_value < 0.01
`;

function writeFiles(testText: string): string {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-rules-test-'));
  writeFileSync(join(directory, 'rules.yaml'), rules);
  writeFileSync(join(directory, 'rules.test.yaml'), testText);
  return join(directory, 'rules.test.yaml');
}

// The point at t reaches the evaluation at t + 1m, because a rule reads [T - window, T), and
// 0x5 is six zeros, at 2m to 7m.
const downTest = `rule_files: [rules.yaml]
evaluation_interval: 1m
tests:
  - name: instance down
    input_series:
      - series: 'up{instance="a"}'
        values: '1 1 0x5 1x3'
    alert_rule_test:
      - eval_time: 2m
        alertname: InstanceDown
        exp_alerts: []
      - eval_time: 3m
        alertname: InstanceDown
        exp_alerts:
          - exp_state: pending
            exp_labels: { instance: a, severity: page }
      - eval_time: 5m
        alertname: InstanceDown
        exp_alerts:
          - exp_labels: { instance: a, severity: page }
            exp_annotations: { summary: a is down }
      - eval_time: 9m
        alertname: InstanceDown
        exp_alerts:
          - exp_state: resolved
            exp_labels: { instance: a, severity: page }
    notifications:
      - receiver: ops
        expected:
          - at: 5m
            firing: ['InstanceDown{instance="a", severity="page"}']
          - at: 9m
            resolved: ['InstanceDown{instance="a", severity="page"}']
`;

void test('passing file has no failures', async () => {
  const result = await runTestFile(writeFiles(downTest), { evaluators });

  assert.deepEqual(result.problems, []);
  assert.deepEqual(result.failures, []);
  assert.equal(result.tests, 1);
});

void test('wrong state fails with a diff', async () => {
  const text = downTest.replace('- exp_state: pending', '- exp_state: firing');
  const path = writeFiles(text);
  const result = await runTestFile(path, { evaluators });

  assert.equal(result.failures.length, 1);
  assert.equal(
    result.failures[0],
    `${path}:12: test "instance down" at 3m: expected [firing InstanceDown{instance="a", severity="page"}], got [pending InstanceDown{instance="a", severity="page"}]`,
  );
});

void test('wrong annotation fails naming it', async () => {
  const path = writeFiles(downTest.replace('summary: a is down', 'summary: a is up'));
  const result = await runTestFile(path, { evaluators });

  assert.equal(result.failures.length, 1);
  assert.match(
    result.failures[0] ?? '',
    /at 5m: firing InstanceDown\{.*\}: expected annotations \{"summary":"a is up"\}, got \{"summary":"a is down"\}$/,
  );
});

void test('missing notification fails with the sequence diff', async () => {
  const path = writeFiles(downTest.replace(/\n {10}- at: 9m\n.*\n$/, '\n'));
  const result = await runTestFile(path, { evaluators });

  assert.equal(result.failures.length, 1);
  assert.match(
    result.failures[0] ?? '',
    /:28: test "instance down" at 9m: receiver ops: notification 2: expected none, got at 9m resolved \[InstanceDown\{instance="a", severity="page"\}\]$/,
  );
});

void test('input outputs stand in for an event evaluator', async () => {
  const text = `rule_files: [rules.yaml]
tests:
  - name: drift
    input_outputs:
      - rule: Drift
        labels: { feature: temp }
        values: '0.1 0.5x3 0.1'
        fields: { p_value: '0.5 0.001 0.5 0.001x2' }
    alert_rule_test:
      - eval_time: 1m
        alertname: Drift
        exp_alerts:
          - exp_labels: { feature: temp, stream: bike }
      - eval_time: 2m
        alertname: Drift
        exp_alerts:
          - exp_state: resolved
            exp_labels: { feature: temp, stream: bike }
      - eval_time: 3m
        alertname: Drift
        exp_alerts:
          - exp_labels: { feature: temp, stream: bike }
`;
  const result = await runTestFile(writeFiles(text), { evaluators });

  assert.deepEqual(result.problems, []);
  assert.deepEqual(result.failures, []);
});

void test('unknown alertname fails the test', async () => {
  const text = `rule_files: [rules.yaml]
tests:
  - name: typo
    alert_rule_test:
      - { eval_time: 1m, alertname: InstanceDwn, exp_alerts: [] }
`;
  const path = writeFiles(text);
  const result = await runTestFile(path, { evaluators });

  assert.deepEqual(result.failures, [
    `${path}:3: test "typo": alert_rule_test names alert "InstanceDwn", which no rule file defines`,
  ]);
});

void test('bad notation is a problem at its column', async () => {
  const path = writeFiles(downTest.replace("values: '1 1 0x5 1x3'", "values: '1 1 0y5'"));
  const result = await runTestFile(path, { evaluators });

  assert.equal(result.tests, 0);
  assert.equal(result.problems.length, 1);
  assert.equal(result.problems[0]?.line, 7);
  assert.equal(result.problems[0]?.column, 22);
  assert.match(result.problems[0]?.message ?? '', /^invalid item "0y5"/);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  exportPrometheusRules,
  formatDuration,
  parseThreshold,
} from '../../../appliance/cli/prometheus-rules.ts';
import { translateTemplate } from '../../../appliance/cli/prometheus-template.ts';
import { evaluators } from '../../../appliance/evaluators/registry.ts';
import type { AlertingRule, RuleSet } from '../../../appliance/rules/model.ts';

function alertRule(overrides: Partial<AlertingRule> = {}): AlertingRule {
  return {
    kind: 'alert',
    name: 'ErrorsHigh',
    evaluator: 'ops.error_rate',
    inputs: { stream: 'checkout', windowMs: 60_000, params: {} },
    labels: { severity: 'critical' },
    annotations: { summary: '{{ $value | humanizePercentage }} failed' },
    position: { file: 'service.yaml', line: 7, column: 9 },
    when: 'value > 0.5',
    forMs: 300_000,
    ...overrides,
  };
}

function ruleSet(...rules: AlertingRule[]): RuleSet {
  return {
    groups: [{ name: 'service', intervalMs: 60_000, rules, file: 'service.yaml' }],
  };
}

test('threshold rule exports as a gauge comparison', () => {
  const result = exportPrometheusRules(ruleSet(alertRule()), evaluators);

  assert.deepEqual(result.skipped, []);
  assert.deepEqual(result.groups, [
    {
      name: 'service',
      interval: '1m',
      rules: [
        {
          alert: 'ErrorsHigh',
          expr: 'vigil_model_error_ratio{rule="ErrorsHigh"} > 0.5',
          for: '5m',
          labels: { severity: 'critical' },
          annotations: { summary: '{{ $value | humanizePercentage }} failed' },
        },
      ],
    },
  ]);
});

test('condition on another field uses its gauge', () => {
  const rule = alertRule({
    name: 'MixShift',
    evaluator: 'drift.chi2',
    when: 'p_value < 1e-6',
    annotations: { summary: 'p {{ $values.p_value | printf "%.2g" }}' },
  });
  const exported = exportPrometheusRules(ruleSet(rule), evaluators).groups[0]?.rules[0];

  assert.equal(exported?.expr, 'vigil_drift_p_value{rule="MixShift"} < 1e-6');
  assert.equal(exported?.annotations?.summary, 'p {{ $value | printf "%.2g" }}');
});

test('keep_firing_for and group limit carry over', () => {
  const set = ruleSet(alertRule({ keepFiringForMs: 90_000, forMs: 0 }));
  (set.groups[0] as { limit?: number }).limit = 20;
  const group = exportPrometheusRules(set, evaluators).groups[0];

  assert.equal(group?.limit, 20);
  assert.equal(group?.rules[0]?.keep_firing_for, '1m30s');
  assert.equal(group?.rules[0]?.for, undefined);
});

test('rules without a prometheus equivalent are skipped', () => {
  const cases: Array<[Partial<AlertingRule>, RegExp]> = [
    [{ when: 'p_value < 0.01 and value > 0.2' }, /is not a threshold/],
    [{ when: 'errors / n > 0.05' }, /is not a threshold/],
    [{ resolveWhen: 'value < 0.3' }, /resolve_when/],
    [{ tolerance: 1 }, /tolerance/],
    [{ noData: 'alerting' }, /no_data: alerting/],
    [{ error: 'ok' }, /error: ok/],
    [{ nan: true }, /nan: true/],
    [{ actions: [{ receiver: 'retrain' }] }, /actions/],
    [{ when: 'statistic > 1' }, /"statistic" is not an output of evaluator ops.error_rate/],
    [{ annotations: { s: '{{ $values.errors }}' } }, /annotation s: \$values\.errors/],
    [{ labels: { s: '{{ $value | shout }}' } }, /label s: template function "shout"/],
  ];

  for (const [overrides, reason] of cases) {
    const result = exportPrometheusRules(ruleSet(alertRule(overrides)), evaluators);
    assert.deepEqual(result.groups, [], `exported ${JSON.stringify(overrides)}`);
    assert.equal(result.skipped.length, 1);
    assert.equal(result.skipped[0]?.position, 'service.yaml:7:9');
    assert.match(result.skipped[0]?.reason ?? '', reason);
  }
});

test('$value is rejected when the condition reads another field', () => {
  const result = translateTemplate('{{ $value }}', 'max_score');

  assert.equal(result.ok, false);
});

test('templates keep trim markers, strings and text', () => {
  const result = translateTemplate('a {{- $labels.x | printf "%s|%s" `y` -}} b', 'value');

  assert.deepEqual(result, { ok: true, text: 'a {{- $labels.x | printf "%s|%s" `y` -}} b' });
});

test('thresholds parse in either order', () => {
  assert.deepEqual(parseThreshold('value >= 3'), { field: 'value', operator: '>=', number: '3' });
  assert.deepEqual(parseThreshold('0.2 > p_value'), {
    field: 'p_value',
    operator: '<',
    number: '0.2',
  });
  assert.deepEqual(parseThreshold('value == Inf'), {
    field: 'value',
    operator: '==',
    number: '+Inf',
  });
  assert.equal(parseThreshold('not value > 3'), undefined);
  assert.equal(parseThreshold('Inf > 3'), undefined);
});

test('durations format as prometheus durations', () => {
  assert.equal(formatDuration(0), '0s');
  assert.equal(formatDuration(1_500), '1s500ms');
  assert.equal(formatDuration(86_400_000 + 3_600_000), '1d1h');
  assert.equal(formatDuration(600_000), '10m');
});

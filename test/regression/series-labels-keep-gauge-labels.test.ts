import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  alertRule,
  at,
  createTestEngine,
  group,
  output,
  sampleOf,
} from '../unit/rules/engine-fixtures.ts';

// A series whose own labels were named `rule` or `series` overwrote the labels Vigil sets on
// result gauges, so its sample merged into another series' sample and vanished from /metrics.
void test('series labels named rule or series are exported with a prefix', async () => {
  const script = () => [output(0.7, { rule: 'evil', series: 'other', host: 'a' })];
  const { engine, metrics } = createTestEngine([group('g', [alertRule('Load', script)])]);

  engine.evaluateGroupAt('g', at(1));

  const labels = {
    rule: 'Load',
    series: 'x',
    exported_rule: 'evil',
    exported_series: 'other',
    host: 'a',
  };
  assert.equal(await sampleOf(metrics, 'vigil_test_value', labels), 0.7);
});

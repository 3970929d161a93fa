import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { AlertHistoryEntry, AlertTransition } from '../../../appliance/alerting/alert.ts';
import { firingsWithin, scrapeSummary } from '../../../appliance/demo/summary.ts';
import type { SeriesSamples } from '../../../appliance/store/store.ts';

const DAY = 86_400_000;

function entry(rule: string, transition: AlertTransition, day: number): AlertHistoryEntry {
  return {
    timestamp: day * DAY,
    key: `${rule}{}`,
    group: 'bike-server',
    rule,
    transition,
    labels: {},
    annotations: {},
    value: 1,
  };
}

function series(name: string, values: number[]): SeriesSamples {
  return { name, labels: {}, timestamps: values.map((_, day) => day * DAY), values };
}

test('scrape summary counts up and splits p95', () => {
  const summary = scrapeSummary({
    up: [series('up', [1, 1, 0, 1, 1, 1])],
    // Days 2 and 3 are inside the slowdown [2d, 4d).
    p95: [series('p95', [0.004, 0.005, 0.11, 0.12, 0.003, 0.006])],
    slowdown: { from: 2 * DAY, to: 4 * DAY },
  });

  assert.equal(summary.scrapes, 6);
  assert.equal(summary.up, 5);
  assert.ok(Math.abs(summary.medianP95 - 0.0045) < 1e-12, `${summary.medianP95}`);
  assert.ok(Math.abs(summary.medianP95During - 0.115) < 1e-12, `${summary.medianP95During}`);
});

test('scrape summary without points is NaN', () => {
  const summary = scrapeSummary({ up: [], p95: [], slowdown: { from: 0, to: DAY } });

  assert.equal(summary.scrapes, 0);
  assert.ok(Number.isNaN(summary.medianP95));
  assert.ok(Number.isNaN(summary.medianP95During));
});

test('firings within keeps the rule inside the range', () => {
  const history = [
    entry('BikeServerLatencyHigh', 'firing', 9),
    entry('BikeServerLatencyHigh', 'pending', 11),
    entry('BikeServerLatencyHigh', 'firing', 13),
    entry('BikeServerErrorRatio', 'firing', 12),
    entry('BikeServerLatencyHigh', 'firing', 25),
  ];

  const times = firingsWithin(history, 'BikeServerLatencyHigh', { from: 10 * DAY, to: 24 * DAY });

  assert.deepEqual(times, [13 * DAY]);
});

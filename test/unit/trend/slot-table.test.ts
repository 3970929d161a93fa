import { test } from 'node:test';
import assert from 'node:assert/strict';

import { SlotTable } from '../../../appliance/trend/detectors/slot-table.ts';
import { median } from '../../../appliance/stats/robust.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

void test('slot table uses earlier visits only', () => {
  const table = new SlotTable(DAY, HOUR, 4, 2);
  const slot = table.slotOf(5 * HOUR + 10);
  assert.equal(slot, 5);
  assert.equal(table.slotOf(DAY + 5 * HOUR), 5);

  // Day 0 adds its first two values, 9 and 1; the third of the visit is dropped.
  for (const [i, value] of [9, 1, 50].entries()) table.push(slot, value, 5 * HOUR + i * 60_000);
  assert.equal(table.count(slot, 5 * HOUR + 10 * 60_000), 0);
  assert.equal(table.count(slot, DAY + 5 * HOUR), 2);

  // Day 1 adds 5 and 7; scored on day 1, only day 0 counts.
  table.push(slot, 5, DAY + 5 * HOUR);
  table.push(slot, 7, DAY + 5 * HOUR + 60_000);
  assert.equal(table.median(slot, DAY + 5 * HOUR + 120_000), 5);

  // Day 2 sees all four, and day 3's visit pushes out the oldest.
  const center = table.median(slot, 2 * DAY + 5 * HOUR);
  assert.equal(center, median([9, 1, 5, 7]));
  const mad = median([9, 1, 5, 7].map((value) => Math.abs(value - center)));
  assert.equal(table.scale(slot, 2 * DAY + 5 * HOUR, center), 1.4826 * mad);
  table.push(slot, 100, 3 * DAY + 5 * HOUR);
  assert.equal(table.median(slot, 4 * DAY + 5 * HOUR), median([1, 5, 7, 100]));
});

void test('slot table median without earlier visits is NaN', () => {
  const table = new SlotTable(DAY, HOUR, 4, 2);
  assert.ok(Number.isNaN(table.median(0, 0)));
  assert.equal(table.slots, 24);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { SlotTable } from '../../../appliance/trend/detectors/slot-table.ts';
import { median } from '../../../appliance/stats/robust.ts';

const HOUR = 3_600_000;
const WEEK = 168 * HOUR;

void test('slot table keeps the latest values per slot', () => {
  const table = new SlotTable(WEEK, HOUR, 4);
  const slot = table.slotOf(5 * HOUR + 10);
  assert.equal(slot, 5);
  assert.equal(table.slotOf(WEEK + 5 * HOUR), 5);
  for (const value of [9, 1, 5, 7, 3, 100]) table.push(slot, value);
  assert.equal(table.count(slot), 4);

  // The kept values are 5, 7, 3 and 100.
  const center = table.median(slot);
  assert.equal(center, median([5, 7, 3, 100]));
  const mad = median([5, 7, 3, 100].map((value) => Math.abs(value - center)));
  assert.equal(table.scale(slot, center), 1.4826 * mad);
});

void test('slot table median of an empty slot is NaN', () => {
  const table = new SlotTable(WEEK, HOUR, 4);
  assert.ok(Number.isNaN(table.median(0)));
  assert.equal(table.slots, 168);
});

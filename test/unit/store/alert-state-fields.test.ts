import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { AlertInstanceState } from '../../../appliance/alerting/alert.ts';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';

const held: AlertInstanceState = {
  key: 'g/A{alertname="A"}',
  group: 'g',
  rule: 'A',
  state: 'firing',
  labels: { alertname: 'A' },
  annotations: {},
  activeAt: 1_000,
  firedAt: 2_000,
  lastEvaluatedAt: 5_000,
  value: 0,
  keepFiringSince: 4_000,
  missedEvaluations: 2,
  cause: 'inf',
};

test('alert state keeps hold, misses and cause', () => {
  const store = SqliteStore.open({ directory: ':memory:' });
  store.saveAlertStates([held], []);

  const [loaded] = store.loadAlertStates();

  assert.equal(loaded?.keepFiringSince, 4_000);
  assert.equal(loaded?.missedEvaluations, 2);
  assert.equal(loaded?.cause, 'inf');
  store.close();
});

test('alert state without optional fields loads without them', () => {
  const store = SqliteStore.open({ directory: ':memory:' });
  const plain: AlertInstanceState = { ...held };
  delete plain.keepFiringSince;
  delete plain.missedEvaluations;
  delete plain.cause;
  store.saveAlertStates([plain], []);

  const [loaded] = store.loadAlertStates();

  assert.equal(loaded?.keepFiringSince, undefined);
  assert.equal(loaded?.missedEvaluations, undefined);
  assert.equal(loaded?.cause, undefined);
  store.close();
});

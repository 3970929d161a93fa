import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  buildPayload,
  formatTime,
  ZERO_TIME,
} from '../../../appliance/alerting/alertmanager-payload.ts';
import { alertKey, alertLabels, fingerprint } from '../../../appliance/rules/alert-labels.ts';

void test('fingerprint matches Prometheus signatures', () => {
  // Golden values of TestMetricToFingerprint in prometheus/common's model package, which
  // checks labelSetToFingerprint, the function behind LabelSet.Fingerprint.
  const labels = { name: 'garland, briggs', fear: 'love is not enough' };
  assert.equal(BigInt(`0x${fingerprint(labels)}`), 5799056148416392346n);
  assert.equal(BigInt(`0x${fingerprint({})}`), 14695981039346656037n);
  assert.equal(fingerprint({}), 'cbf29ce484222325');
});

void test('alert labels let rule labels and alertname win', () => {
  const labels = alertLabels(
    'Drift',
    { severity: 'page', feature: 'rule' },
    { feature: 'temp', alertname: 'x' },
  );

  assert.deepEqual(labels, { alertname: 'Drift', feature: 'rule', severity: 'page' });
  assert.deepEqual(Object.keys(labels), ['alertname', 'feature', 'severity']);
  assert.equal(alertKey('g', 'Drift', { b: '2', a: 'x"y' }), 'g/Drift{a="x\\"y",b="2"}');
});

void test('payload status is resolved when no alert fires', () => {
  const payload = buildPayload({
    receiver: 'ops',
    groupLabels: { alertname: 'Drift' },
    externalUrl: 'http://127.0.0.1:9680',
    alerts: [
      {
        status: 'resolved',
        labels: { alertname: 'Drift', feature: 'temp' },
        annotations: { summary: 'a' },
        startsAt: formatTime(0),
        endsAt: formatTime(60_000),
        generatorURL: '',
        fingerprint: '1',
      },
      {
        status: 'resolved',
        labels: { alertname: 'Drift', feature: 'hum' },
        annotations: { summary: 'a' },
        startsAt: formatTime(0),
        endsAt: formatTime(60_000),
        generatorURL: '',
        fingerprint: '2',
      },
    ],
  });

  assert.equal(payload.status, 'resolved');
  assert.deepEqual(payload.commonLabels, { alertname: 'Drift' });
  assert.deepEqual(payload.commonAnnotations, { summary: 'a' });
  assert.equal(payload.alerts[0]?.endsAt, '1970-01-01T00:01:00.000Z');
  assert.equal(ZERO_TIME, '0001-01-01T00:00:00Z');
});

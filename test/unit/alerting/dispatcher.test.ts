import { test } from 'node:test';
import assert from 'node:assert/strict';

import type { Alert } from '../../../appliance/alerting/alert.ts';
import type { WebhookPayload } from '../../../appliance/alerting/alertmanager-payload.ts';
import { MemoryNotificationLog } from '../../../appliance/alerting/notification-log.ts';
import { Notifier, type Receiver } from '../../../appliance/alerting/notifier.ts';
import { Silences } from '../../../appliance/alerting/silence.ts';
import type { DeliveryResult } from '../../../appliance/alerting/webhook-receiver.ts';
import type { ApplianceConfig, RouteConfig } from '../../../appliance/config/config.ts';
import { silentLogger } from '../../../appliance/log/logger.ts';
import { createMetrics } from '../../../appliance/metrics/metrics.ts';

const MIN = 60_000;
const T0 = Date.UTC(2024, 0, 1); // a Monday, 00:00 UTC

function alert(labels: Record<string, string>, status: Alert['status'] = 'firing'): Alert {
  return {
    status,
    labels: { alertname: 'Drift', ...labels },
    annotations: {},
    startsAt: new Date(T0).toISOString(),
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://127.0.0.1:9680/',
    fingerprint: JSON.stringify(labels),
  };
}

class Recorder implements Receiver {
  readonly payloads: WebhookPayload[] = [];
  constructor(readonly name: string) {}
  send(payload: WebhookPayload): Promise<DeliveryResult> {
    this.payloads.push(payload);
    return Promise.resolve({ delivered: true, attempts: 1, status: 200 });
  }
}

function route(partial: Partial<RouteConfig>): RouteConfig {
  return {
    matchers: [],
    continue: false,
    muteTimeIntervals: [],
    activeTimeIntervals: [],
    routes: [],
    ...partial,
  };
}

function notifier(
  receivers: Receiver[],
  alerting: Pick<ApplianceConfig['alerting'], 'route' | 'inhibitRules' | 'timeIntervals'>,
  extra: { log?: MemoryNotificationLog; silences?: Silences } = {},
): Notifier {
  return new Notifier({
    receivers: [],
    customReceivers: receivers,
    externalUrl: 'http://127.0.0.1:9680',
    metrics: createMetrics({ defaultMetrics: false }),
    logger: silentLogger(),
    alerting,
    ...extra,
  });
}

const timings = { groupWaitMs: 0, groupIntervalMs: MIN, repeatIntervalMs: 60 * MIN };

void test('routes by matchers, continue and inherited group_by', async () => {
  const ops = new Recorder('ops');
  const pager = new Recorder('pager');
  const audit = new Recorder('audit');
  const tree = route({
    receiver: 'ops',
    groupBy: ['feature'],
    ...timings,
    routes: [
      route({ matchers: ['severity="critical"'], receiver: 'pager', continue: true }),
      route({ matchers: ['severity=~"crit.*|page"'], receiver: 'audit' }),
    ],
  });
  const n = notifier([ops, pager, audit], { route: tree });

  n.notify({
    group: 'g',
    time: T0,
    alerts: [
      alert({ feature: 'a', severity: 'critical' }),
      alert({ feature: 'b', severity: 'info' }),
    ],
  });
  await n.flush();

  assert.deepEqual(
    pager.payloads.map((p) => p.groupLabels),
    [{ feature: 'a' }],
  );
  assert.deepEqual(
    audit.payloads.map((p) => p.groupLabels),
    [{ feature: 'a' }],
  );
  assert.deepEqual(
    ops.payloads.map((p) => p.groupLabels),
    [{ feature: 'b' }],
  );
  assert.equal(pager.payloads[0]?.groupKey, '{}/{severity="critical"}:{feature="a"}');
});

void test('group_by ... makes one group per labelset', async () => {
  const ops = new Recorder('ops');
  const n = notifier([ops], { route: route({ receiver: 'ops', groupBy: ['...'], ...timings }) });
  n.notify({ group: 'g', time: T0, alerts: [alert({ f: 'a' }), alert({ f: 'b' })] });
  await n.flush();
  assert.equal(ops.payloads.length, 2);
  assert.deepEqual(ops.payloads[0]?.groupLabels, { alertname: 'Drift', f: 'a' });
});

void test('group_wait delays and group_interval batches changes', async () => {
  const ops = new Recorder('ops');
  const tree = route({
    receiver: 'ops',
    groupBy: ['alertname'],
    groupWaitMs: 2 * MIN,
    groupIntervalMs: 5 * MIN,
    repeatIntervalMs: 60 * MIN,
  });
  const n = notifier([ops], { route: tree });
  const a = alert({ f: 'a' });
  const b = alert({ f: 'b' });

  for (let minute = 0; minute <= 12; minute++) {
    n.notify({ group: 'g', time: T0 + minute * MIN, alerts: minute < 3 ? [a] : [a, b] });
    await n.flush();
  }

  // First flush at t2 with a; b arrives at t3 and waits for the next flush at t7.
  assert.deepEqual(
    ops.payloads.map((p) => p.alerts.length),
    [1, 2],
  );
});

void test('repeat_interval resends unchanged firing alerts at a flush', async () => {
  const ops = new Recorder('ops');
  const tree = route({
    receiver: 'ops',
    groupWaitMs: 0,
    groupIntervalMs: 5 * MIN,
    repeatIntervalMs: 12 * MIN,
  });
  const n = notifier([ops], { route: tree });
  for (let minute = 0; minute <= 30; minute++) {
    n.notify({ group: 'g', time: T0 + minute * MIN, alerts: [alert({ f: 'a' })] });
    await n.flush();
  }
  // Flushes at 0, 5, 10, 15, ...: 12m rounds up to 15m.
  assert.equal(ops.payloads.length, 3);
});

void test('inhibition mutes targets with equal labels only', async () => {
  const ops = new Recorder('ops');
  const n = notifier([ops], {
    route: route({ receiver: 'ops', groupBy: ['...'], ...timings }),
    inhibitRules: [
      {
        sourceMatchers: ['severity="critical"'],
        targetMatchers: ['severity="warning"'],
        equal: ['feature'],
      },
    ],
  });
  n.notify({
    group: 'g',
    time: T0,
    alerts: [
      alert({ feature: 'a', severity: 'critical' }),
      alert({ feature: 'a', severity: 'warning' }),
      alert({ feature: 'b', severity: 'warning' }),
    ],
  });
  await n.flush();
  const sent = ops.payloads.map((p) => `${p.groupLabels.feature}/${p.groupLabels.severity}`).sort();
  assert.deepEqual(sent, ['a/critical', 'b/warning']);
});

void test('a silence mutes matching alerts while active', async () => {
  const ops = new Recorder('ops');
  const silences = new Silences({ now: () => T0 });
  silences.upsert({
    matchers: [{ name: 'feature', value: 'a', isRegex: false, isEqual: true }],
    startsAt: T0,
    endsAt: T0 + 10 * MIN,
    createdBy: 'test',
    comment: 'maintenance',
  });
  const n = notifier(
    [ops],
    { route: route({ receiver: 'ops', ...timings, groupIntervalMs: 0 }) },
    { silences },
  );

  n.notify({ group: 'g', time: T0, alerts: [alert({ feature: 'a' })] });
  await n.flush();
  assert.equal(ops.payloads.length, 0);

  n.notify({ group: 'g', time: T0 + 10 * MIN, alerts: [alert({ feature: 'a' })] });
  await n.flush();
  assert.equal(ops.payloads.length, 1);
});

void test('mute_time_intervals use the IANA zone', async () => {
  const ops = new Recorder('ops');
  const n = notifier([ops], {
    route: route({ receiver: 'ops', ...timings, groupIntervalMs: 0, muteTimeIntervals: ['night'] }),
    timeIntervals: [
      {
        name: 'night',
        intervals: [{ times: [{ startMinute: 0, endMinute: 7 * 60 }], location: 'Europe/Berlin' }],
      },
    ],
  });
  // 05:00 UTC is 06:00 in Berlin (muted); 06:00 UTC is 07:00 (not muted).
  n.notify({ group: 'g', time: T0 + 5 * 60 * MIN, alerts: [alert({ f: 'a' })] });
  await n.flush();
  assert.equal(ops.payloads.length, 0);
  n.notify({ group: 'g', time: T0 + 6 * 60 * MIN, alerts: [alert({ f: 'a' })] });
  await n.flush();
  assert.equal(ops.payloads.length, 1);
});

void test('a restart neither resends nor loses the resolution', async () => {
  const log = new MemoryNotificationLog();
  const tree = route({ receiver: 'ops', ...timings });
  const before = new Recorder('ops');
  const first = notifier([before], { route: tree }, { log });
  first.notify({ group: 'g', time: T0, alerts: [alert({ f: 'a' })] });
  await first.flush();
  assert.equal(before.payloads.length, 1);

  const after = new Recorder('ops');
  const second = notifier([after], { route: tree }, { log });
  second.notify({ group: 'g', time: T0 + MIN, alerts: [alert({ f: 'a' })] });
  await second.flush();
  assert.equal(after.payloads.length, 0);

  // The alert resolved while nothing reported it: the next batch leaves it out.
  const third = new Recorder('ops');
  const restarted = notifier([third], { route: tree }, { log });
  restarted.notify({ group: 'g', time: T0 + 2 * MIN, alerts: [] });
  await restarted.flush();
  assert.equal(third.payloads.length, 1);
  assert.equal(third.payloads[0]?.status, 'resolved');
  assert.equal(third.payloads[0]?.alerts[0]?.endsAt, new Date(T0 + 2 * MIN).toISOString());
  assert.equal(log.entries.size, 0);
});

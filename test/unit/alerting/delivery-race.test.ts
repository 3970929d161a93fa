import { test } from 'node:test';
import assert from 'node:assert/strict';

import type { Alert } from '../../../appliance/alerting/alert.ts';
import { Notifier } from '../../../appliance/alerting/notifier.ts';
import { WebhookReceiver } from '../../../appliance/alerting/webhook-receiver.ts';
import { silentLogger } from '../../../appliance/log/logger.ts';
import { createMetrics } from '../../../appliance/metrics/metrics.ts';

const SECOND = 1000;
const MIN = 60 * SECOND;
const T0 = Date.UTC(2024, 0, 1);

/** A virtual clock: `sleep` resolves when the test advances past its deadline. */
class VirtualClock {
  now = T0;
  readonly #sleepers: { at: number; resolve: () => void }[] = [];

  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => this.#sleepers.push({ at: this.now + ms, resolve }));

  async advanceTo(time: number): Promise<void> {
    this.now = time;
    for (const sleeper of this.#sleepers.filter((s) => s.at <= time)) {
      this.#sleepers.splice(this.#sleepers.indexOf(sleeper), 1);
      sleeper.resolve();
    }
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  }
}

const firing: Alert = {
  status: 'firing',
  labels: { alertname: 'Drift', feature: 'temp' },
  annotations: {},
  startsAt: new Date(T0).toISOString(),
  endsAt: '0001-01-01T00:00:00Z',
  generatorURL: 'http://127.0.0.1:9680/',
  fingerprint: 'aaaaaaaaaaaaaaaa',
};

void test('a receiver failing for 10 minutes gets the group exactly once', async () => {
  const clock = new VirtualClock();
  const statuses: number[] = [];
  const receiver = new WebhookReceiver({
    config: {
      name: 'ops',
      kind: 'webhook',
      url: 'http://127.0.0.1:1/unused',
      timeoutMs: 10 * SECOND,
      maxAttempts: 8,
      initialBackoffMs: 5 * SECOND,
      maxBackoffMs: 2 * MIN,
    },
    metrics: createMetrics({ defaultMetrics: false }),
    logger: silentLogger(),
    random: () => 0.5,
    sleep: clock.sleep,
    transport: () => {
      const status = clock.now < T0 + 10 * MIN ? 500 : 200;
      statuses.push(status);
      return Promise.resolve({ status });
    },
  });
  const notifier = new Notifier({
    receivers: [],
    customReceivers: [receiver],
    externalUrl: 'http://127.0.0.1:9680',
    metrics: createMetrics({ defaultMetrics: false }),
    logger: silentLogger(),
    alerting: {
      route: {
        receiver: 'ops',
        matchers: [],
        continue: false,
        groupWaitMs: 0,
        groupIntervalMs: MIN,
        repeatIntervalMs: 4 * 60 * MIN,
        muteTimeIntervals: [],
        activeTimeIntervals: [],
        routes: [],
      },
    },
  });

  // Evaluations every 30 s for 40 minutes, each wanting a flush while retries are running.
  for (let time = T0; time <= T0 + 40 * MIN; time += 10 * SECOND) {
    await clock.advanceTo(time);
    if ((time - T0) % (30 * SECOND) === 0) notifier.notify({ group: 'g', time, alerts: [firing] });
  }
  await clock.advanceTo(T0 + 60 * MIN);

  assert.equal(statuses.filter((status) => status === 200).length, 1);
  assert.ok(statuses.filter((status) => status === 500).length >= 5);
  assert.equal(statuses.at(-1), 200);
});

import type { ReceiverConfig } from '../config/config.ts';
import type { Logger } from '../log/logger.ts';
import type { VigilMetrics } from '../metrics/metrics.ts';
import type { Alert } from './alert.ts';
import { buildPayload, type WebhookPayload } from './alertmanager-payload.ts';
import { WebhookReceiver, type DeliveryResult } from './webhook-receiver.ts';

/** Default time after which unchanged firing alerts are sent again, ms of the engine's clock. */
export const DEFAULT_REPEAT_INTERVAL_MS = 4 * 3_600_000;

/** The alerts of one rule group after one evaluation: firing ones and resolved ones still kept. */
export interface AlertBatch {
  /** Rule group name. */
  group: string;
  /** Evaluation time, epoch ms of the engine's clock. */
  time: number;
  alerts: readonly Alert[];
}

/** The part of a notifier the rule engine calls. */
export interface AlertSink {
  notify(batch: AlertBatch): void;
}

/** A destination of notifications; `send` must not reject. */
export interface Receiver {
  readonly name: string;
  send(payload: WebhookPayload): Promise<DeliveryResult>;
}

/** The last notification sent to one receiver for one alertname of one rule group. */
interface SentGroup {
  firing: Set<string>;
  sentAt: number;
}

/**
 * Groups alerts by `alertname` and sends each group to every receiver when it changed (an alert
 * started firing or resolved since the last notification) or when `repeatIntervalMs` passed with
 * alerts still firing. A resolved alert is sent once, in the first notification after it
 * resolved, as Alertmanager does. Delivery runs in the background and never blocks `notify`.
 * A delivery that fails after every retry is forgotten, so the next evaluation sends it again
 * while the alert is still firing or kept as resolved.
 * NOTE: what was sent lives in memory only, so a restart sends the firing alerts again.
 */
export class Notifier implements AlertSink {
  readonly #receivers: Receiver[];
  readonly #externalUrl: string;
  readonly #repeatIntervalMs: number;
  readonly #logger: Logger;
  readonly #sent = new Map<string, SentGroup>();
  readonly #pending = new Set<Promise<void>>();
  /** The last delivery started per receiver and alert group; the next one waits for it. */
  readonly #tails = new Map<string, Promise<void>>();

  constructor(options: {
    receivers: readonly ReceiverConfig[];
    externalUrl: string;
    metrics: VigilMetrics;
    logger: Logger;
    repeatIntervalMs?: number;
    /** Receivers built by the caller, in place of the ones `receivers` configures. */
    customReceivers?: readonly Receiver[];
  }) {
    const { metrics, logger } = options;
    this.#receivers = options.customReceivers
      ? [...options.customReceivers]
      : options.receivers.map((config) => new WebhookReceiver({ config, metrics, logger }));
    this.#externalUrl = options.externalUrl;
    this.#repeatIntervalMs = options.repeatIntervalMs ?? DEFAULT_REPEAT_INTERVAL_MS;
    this.#logger = logger;

    if (!(this.#repeatIntervalMs > 0)) {
      throw new RangeError(
        `invalid repeatIntervalMs ${this.#repeatIntervalMs}: expected a positive number of ms`,
      );
    }
  }

  /** Starts a notification for each receiver and alertname of the batch that changed or is due. */
  notify(batch: AlertBatch): void {
    for (const [alertname, alerts] of groupByAlertname(batch.alerts)) {
      for (const receiver of this.#receivers) {
        this.#notifyGroup(receiver, batch, alertname, alerts);
      }
    }
  }

  /** Waits until every delivery started so far, and those they start, has finished. */
  async flush(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  #notifyGroup(receiver: Receiver, batch: AlertBatch, alertname: string, alerts: Alert[]): void {
    const stateKey = JSON.stringify([receiver.name, batch.group, alertname]);
    const previous = this.#sent.get(stateKey);
    const firing = new Set(alerts.filter(isFiring).map((alert) => alert.fingerprint));

    const resolved = alerts.filter(
      (alert) => !isFiring(alert) && previous?.firing.has(alert.fingerprint) === true,
    );
    const changed = resolved.length > 0 || !sameSet(firing, previous?.firing ?? new Set());
    const due =
      firing.size > 0 &&
      (previous === undefined || batch.time - previous.sentAt >= this.#repeatIntervalMs);
    if (!changed && !due) return;

    const current: SentGroup = { firing, sentAt: batch.time };
    this.#sent.set(stateKey, current);
    const toSend = [...alerts.filter(isFiring), ...resolved];
    if (toSend.length === 0) return;

    const payload = buildPayload({
      receiver: receiver.name,
      groupLabels: { alertname },
      alerts: toSend,
      externalUrl: this.#externalUrl,
    });
    this.#deliver(stateKey, receiver, payload, () => {
      // Forget a failed notification unless a newer one replaced it, so it is sent again.
      if (this.#sent.get(stateKey) !== current) return;
      if (previous === undefined) this.#sent.delete(stateKey);
      else this.#sent.set(stateKey, previous);
    });
  }

  /**
   * Sends one payload after the previous delivery of the same receiver and alert group ended,
   * so a group has one request in flight, as in Alertmanager, and its notifications arrive in
   * order. A replay that evaluates months of event time in seconds would otherwise open
   * thousands of concurrent requests and time them out.
   */
  #deliver(key: string, receiver: Receiver, payload: WebhookPayload, onFailure: () => void): void {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const delivery = previous
      .then(() => receiver.send(payload))
      .then(
        (result) => {
          if (!result.delivered) onFailure();
        },
        (error: unknown) => {
          this.#logger.error(
            { err: error, receiver: receiver.name },
            'receiver rejected instead of returning a result',
          );
          onFailure();
        },
      );
    const tracked: Promise<void> = delivery.finally(() => {
      this.#pending.delete(tracked);
      if (this.#tails.get(key) === tracked) this.#tails.delete(key);
    });
    this.#pending.add(tracked);
    this.#tails.set(key, tracked);
  }
}

function isFiring(alert: Alert): boolean {
  return alert.status === 'firing';
}

function groupByAlertname(alerts: readonly Alert[]): Map<string, Alert[]> {
  const groups = new Map<string, Alert[]>();
  for (const alert of alerts) {
    const name = alert.labels.alertname ?? '';
    const group = groups.get(name);
    if (group) group.push(alert);
    else groups.set(name, [alert]);
  }
  return groups;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const item of a) if (!b.has(item)) return false;
  return true;
}

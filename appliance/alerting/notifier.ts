import type { ApplianceConfig, ReceiverConfig } from '../config/config.ts';
import type { Logger } from '../log/logger.ts';
import type { VigilMetrics } from '../metrics/metrics.ts';
import type { Alert } from './alert.ts';
import { Dispatcher, type Receiver } from './dispatcher.ts';
import { Inhibitor } from './inhibitor.ts';
import { MemoryNotificationLog, type NotificationLog } from './notification-log.ts';
import { createReceiver, type ReceiverDeps } from './receivers.ts';
import { buildRoute, type Route } from './route.ts';
import { Silences } from './silence.ts';
import { TimeIntervals } from './time-intervals.ts';

export type { NotificationContext, Receiver } from './dispatcher.ts';

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

export interface NotifierOptions {
  receivers: readonly ReceiverConfig[];
  externalUrl: string;
  metrics: VigilMetrics;
  logger: Logger;
  /** Repeat interval of the default routes (no `route` configured). */
  repeatIntervalMs?: number;
  /** Receivers built by the caller, in place of the ones `receivers` configures. */
  customReceivers?: readonly Receiver[];
  /** Routing tree, inhibition and time intervals; without `route`, the default routes. */
  alerting?: Pick<ApplianceConfig['alerting'], 'route' | 'inhibitRules' | 'timeIntervals'>;
  /** Where sent notifications are logged; in memory unless the store provides one. */
  log?: NotificationLog;
  silences?: Silences;
  /** Evaluation interval of each rule group, ms, and the evidence of retraining triggers. */
  receiverDeps?: Partial<Pick<ReceiverDeps, 'groupIntervals' | 'evidence'>>;
}

/**
 * The notifier the rule engine calls: a `Dispatcher` over the configured routing tree and
 * receivers. Without a `route`, every receiver gets every alert grouped by `alertname`, each
 * change at once (no group wait or interval) and unchanged firing alerts every
 * `repeatIntervalMs`. A delivery that fails after every retry is not logged, so the next flush
 * sends it again.
 */
export class Notifier implements AlertSink {
  readonly silences: Silences;
  readonly #dispatcher: Dispatcher;

  constructor(options: NotifierOptions) {
    const repeatIntervalMs = options.repeatIntervalMs ?? DEFAULT_REPEAT_INTERVAL_MS;
    if (!(repeatIntervalMs > 0)) {
      throw new RangeError(
        `invalid repeatIntervalMs ${repeatIntervalMs}: expected a positive number of ms`,
      );
    }

    const receivers = options.customReceivers
      ? [...options.customReceivers]
      : options.receivers.map((config) => createReceiver(config, receiverDeps(options)));
    const alerting = options.alerting ?? {};
    this.silences = options.silences ?? new Silences();
    this.#dispatcher = new Dispatcher({
      route: alerting.route
        ? buildRoute(alerting.route)
        : defaultRoute(
            receivers.map((receiver) => receiver.name),
            repeatIntervalMs,
          ),
      receivers: new Map(receivers.map((receiver) => [receiver.name, receiver])),
      log: options.log ?? new MemoryNotificationLog(),
      silences: this.silences,
      inhibitor: new Inhibitor(alerting.inhibitRules ?? []),
      timeIntervals: new TimeIntervals(alerting.timeIntervals ?? []),
      externalUrl: options.externalUrl,
      logger: options.logger,
    });
  }

  notify(batch: AlertBatch): void {
    this.#dispatcher.notify(batch.group, batch.time, batch.alerts);
  }

  /** Waits until every delivery started so far, and those they start, has finished. */
  flush(): Promise<void> {
    return this.#dispatcher.flush();
  }
}

function receiverDeps(options: NotifierOptions): ReceiverDeps {
  return {
    metrics: options.metrics,
    logger: options.logger,
    groupIntervals: options.receiverDeps?.groupIntervals ?? new Map(),
    evidence: options.receiverDeps?.evidence ?? (() => undefined),
  };
}

/** One route per receiver under the root, each taking every alert (`continue`). */
function defaultRoute(receivers: readonly string[], repeatIntervalMs: number): Route {
  const child = (receiver: string): Route => ({
    key: '{}',
    receiver,
    groupBy: ['alertname'],
    matchers: [],
    continue: true,
    groupWaitMs: 0,
    groupIntervalMs: 0,
    repeatIntervalMs,
    muteTimeIntervals: [],
    activeTimeIntervals: [],
    routes: [],
  });
  return { ...child(''), routes: receivers.map(child) };
}

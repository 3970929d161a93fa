import type { ReceiverConfig } from '../config/config.ts';
import type { Logger } from '../log/logger.ts';
import type { VigilMetrics } from '../metrics/metrics.ts';
import { alertmanagerEncoder, ALERTMANAGER_RESEND_MS } from './alertmanager-push.ts';
import type { Receiver } from './dispatcher.ts';
import { retrainEncoder, type Evidence } from './retrain-trigger.ts';
import { slackEncoder } from './slack-message.ts';
import { WebhookReceiver } from './webhook-receiver.ts';

export interface ReceiverDeps {
  metrics: VigilMetrics;
  logger: Logger;
  /** Evaluation interval of each rule group, ms; the Alertmanager push sets `endsAt` from it. */
  groupIntervals: ReadonlyMap<string, number>;
  /** The evidence of an alert of `rule` in `ruleGroup` at `time`, for retraining triggers. */
  evidence: (ruleGroup: string, rule: string, time: number) => Evidence | undefined;
}

/** Builds the receiver of one `alerting.receivers` entry; every kind retries with backoff. */
export function createReceiver(config: ReceiverConfig, deps: ReceiverDeps): Receiver {
  const base = { config, metrics: deps.metrics, logger: deps.logger };
  switch (config.kind) {
    case 'webhook':
      return new WebhookReceiver(base);
    case 'alertmanager':
      return new WebhookReceiver({
        ...base,
        url: `${config.url.replace(/\/+$/, '')}/api/v2/alerts`,
        encode: alertmanagerEncoder(deps.groupIntervals),
        resendEveryMs: ALERTMANAGER_RESEND_MS,
      });
    case 'slack':
      return new WebhookReceiver({ ...base, encode: slackEncoder });
    case 'retrain':
      return new WebhookReceiver({
        ...base,
        encode: retrainEncoder(config.cooldownMs ?? DEFAULT_COOLDOWN_MS, deps.evidence),
      });
  }
}

/** Default `cooldown` of a retraining trigger: one day. */
export const DEFAULT_COOLDOWN_MS = 24 * 3_600_000;

import type { WebhookPayload } from './alertmanager-payload.ts';
import { formatTime } from './alertmanager-payload.ts';
import type { NotificationContext } from './dispatcher.ts';

/** Resend delay of firing alerts to Alertmanager, Prometheus's `--rules.alert.resend-delay`. */
export const ALERTMANAGER_RESEND_MS = 60_000;

/** Interval assumed for an alert whose rule group is unknown, ms (Prometheus's default). */
const FALLBACK_INTERVAL_MS = 60_000;

/** One alert of Alertmanager's `POST /api/v2/alerts` body. */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
}

/**
 * Encodes a notification as Alertmanager's v2 `postableAlerts`. A firing alert gets
 * `endsAt` = flush time + 4 × its rule group's evaluation interval, refreshed on every resend,
 * as Prometheus does, so Alertmanager resolves it by itself if Vigil stops sending. A resolved
 * alert keeps `endsAt` = its resolution time.
 */
export function alertmanagerEncoder(groupIntervals: ReadonlyMap<string, number>) {
  return (payload: WebhookPayload, context: NotificationContext): PostableAlert[] =>
    payload.alerts.map((alert) => {
      const ruleGroup = context.ruleGroups[alert.fingerprint] ?? '';
      const intervalMs = groupIntervals.get(ruleGroup) ?? FALLBACK_INTERVAL_MS;
      const endsAt =
        alert.status === 'firing' ? formatTime(context.time + 4 * intervalMs) : alert.endsAt;
      return {
        labels: alert.labels,
        annotations: alert.annotations,
        startsAt: alert.startsAt,
        endsAt,
        generatorURL: alert.generatorURL,
      };
    });
}

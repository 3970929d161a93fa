import type { Alert } from './alert.ts';

/**
 * The body Alertmanager's webhook receiver POSTs, version 4, as documented for `webhook_config`
 * at https://prometheus.io/docs/alerting/latest/configuration/#webhook_config.
 */
export interface WebhookPayload {
  version: '4';
  /** Identifies the group of alerts, in Alertmanager's form `{}:{alertname="X"}`. */
  groupKey: string;
  /** Alerts left out because of a `max_alerts` limit; Vigil sends every alert, so always 0. */
  truncatedAlerts: number;
  /** `firing` when at least one alert of the group fires, `resolved` otherwise. */
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: Alert[];
}

/** Alertmanager's `endsAt` of an alert that has not ended: Go's zero `time.Time`. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Formats epoch milliseconds as an RFC 3339 UTC time. */
export function formatTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** Builds the payload of one notification: one receiver, one group of alerts. */
export function buildPayload(options: {
  receiver: string;
  groupLabels: Record<string, string>;
  alerts: readonly Alert[];
  externalUrl: string;
  /** Key of the route that grouped the alerts; `{}` (the root) by default. */
  routeKey?: string;
}): WebhookPayload {
  const { receiver, groupLabels, alerts, externalUrl } = options;
  const firing = alerts.some((alert) => alert.status === 'firing');

  return {
    version: '4',
    groupKey: `${options.routeKey ?? '{}'}:${formatGroupLabels(groupLabels)}`,
    truncatedAlerts: 0,
    status: firing ? 'firing' : 'resolved',
    receiver,
    groupLabels: { ...groupLabels },
    commonLabels: commonPairs(alerts.map((alert) => alert.labels)),
    commonAnnotations: commonPairs(alerts.map((alert) => alert.annotations)),
    externalURL: externalUrl,
    alerts: alerts.map((alert) => ({ ...alert })),
  };
}

/** Formats group labels as Alertmanager's group key does: `{a="1", b="2"}`, names sorted. */
function formatGroupLabels(labels: Record<string, string>): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((name) => `${name}=${JSON.stringify(labels[name])}`);
  return `{${pairs.join(', ')}}`;
}

/** Returns the name/value pairs that every one of the maps has with the same value. */
function commonPairs(maps: readonly Record<string, string>[]): Record<string, string> {
  const [first, ...rest] = maps;
  const common: Record<string, string> = {};
  if (first === undefined) return common;

  for (const [name, value] of Object.entries(first)) {
    if (rest.every((map) => map[name] === value)) common[name] = value;
  }
  return common;
}

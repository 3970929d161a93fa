import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The appliance's own metrics, on one registry that `/metrics` serves. Label values are
 * bounded: streams and rules come from configuration, reasons and receivers from fixed sets.
 */
export interface VigilMetrics {
  registry: Registry;
  eventsReceived: Counter<'stream'>;
  eventsRejected: Counter<'reason'>;
  eventsDuplicate: Counter<'stream'>;
  actualsReceived: Counter<'outcome'>;
  pointsReceived: Counter<never>;
  pointsRejected: Counter<'reason'>;
  ingestQueueDepth: Gauge<never>;
  ingestQueueRejected: Counter<never>;
  ingestCommitDuration: Histogram<never>;
  ruleEvaluationDuration: Histogram<'group'>;
  ruleEvaluations: Counter<'group'>;
  ruleEvaluationFailures: Counter<'group' | 'rule'>;
  ruleGroupMissedIterations: Counter<'group'>;
  alertsActive: Gauge<'rule' | 'state'>;
  notificationsSent: Counter<'receiver'>;
  notificationsFailed: Counter<'receiver'>;
  notificationRetries: Counter<'receiver'>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): VigilMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) {
    collectDefaultMetrics({ register: registry, prefix: 'vigil_' });
  }
  const registers = [registry];

  return {
    registry,
    eventsReceived: new Counter({
      name: 'vigil_events_received_total',
      help: 'Prediction events stored, by stream (duplicates excluded).',
      labelNames: ['stream'],
      registers,
    }),
    eventsRejected: new Counter({
      name: 'vigil_events_rejected_total',
      help: 'Prediction events rejected by validation, by reason.',
      labelNames: ['reason'],
      registers,
    }),
    eventsDuplicate: new Counter({
      name: 'vigil_events_duplicate_total',
      help: 'Prediction events acknowledged but not stored again because their id was known.',
      labelNames: ['stream'],
      registers,
    }),
    actualsReceived: new Counter({
      name: 'vigil_actuals_received_total',
      help: 'Late actuals received, by outcome (joined, not_found, rejected).',
      labelNames: ['outcome'],
      registers,
    }),
    pointsReceived: new Counter({
      name: 'vigil_points_received_total',
      help: 'Numeric series points stored.',
      registers,
    }),
    pointsRejected: new Counter({
      name: 'vigil_points_rejected_total',
      help: 'Numeric series points rejected by validation, by reason.',
      labelNames: ['reason'],
      registers,
    }),
    ingestQueueDepth: new Gauge({
      name: 'vigil_ingest_queue_depth',
      help: 'Records accepted by the HTTP API and waiting for their store commit.',
      registers,
    }),
    ingestQueueRejected: new Counter({
      name: 'vigil_ingest_queue_rejected_total',
      help: 'Requests answered 429 because the ingest queue was full.',
      registers,
    }),
    ingestCommitDuration: new Histogram({
      name: 'vigil_ingest_commit_duration_seconds',
      help: 'Time to commit one group of ingest batches to the store.',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    }),
    ruleEvaluationDuration: new Histogram({
      name: 'vigil_rule_group_evaluation_duration_seconds',
      help: 'Time to evaluate every rule of a group once.',
      labelNames: ['group'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    }),
    ruleEvaluations: new Counter({
      name: 'vigil_rule_group_evaluations_total',
      help: 'Evaluations of a rule group.',
      labelNames: ['group'],
      registers,
    }),
    ruleEvaluationFailures: new Counter({
      name: 'vigil_rule_evaluation_failures_total',
      help: 'Rule evaluations that failed with an error.',
      labelNames: ['group', 'rule'],
      registers,
    }),
    ruleGroupMissedIterations: new Counter({
      name: 'vigil_rule_group_iterations_missed_total',
      help: 'Group evaluations skipped because the previous one overran the interval.',
      labelNames: ['group'],
      registers,
    }),
    alertsActive: new Gauge({
      name: 'vigil_alerts',
      help: 'Alert instances by rule and state (pending or firing).',
      labelNames: ['rule', 'state'],
      registers,
    }),
    notificationsSent: new Counter({
      name: 'vigil_notifications_sent_total',
      help: 'Notifications delivered, by receiver.',
      labelNames: ['receiver'],
      registers,
    }),
    notificationsFailed: new Counter({
      name: 'vigil_notifications_failed_total',
      help: 'Notifications given up after every retry, by receiver.',
      labelNames: ['receiver'],
      registers,
    }),
    notificationRetries: new Counter({
      name: 'vigil_notification_retries_total',
      help: 'Notification attempts that failed and were retried, by receiver.',
      labelNames: ['receiver'],
      registers,
    }),
  };
}

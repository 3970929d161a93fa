import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';

import { vigilDashboard } from './common.ts';
import { promTimeseries } from './panels.ts';

const zeroPerGroup = 'sum by (group) (vigil_rule_group_evaluations_total) * 0';

const rate = (metric: string, by: string): string =>
  `sum by (${by}) (rate(${metric}[$__rate_interval]))`;

// The appliance's own health: ingest, queues and the outbox, rule evaluation, notifications and
// the Node.js process, from Vigil's /metrics.
export function vigilItself(): DashboardBuilder {
  return vigilDashboard(
    'vigil-appliance',
    'Vigil / Appliance',
    'Ingest rate and rejections, queue depths, rule evaluation, notification failures, memory ' +
      'and event-loop lag of the Vigil process.',
  )
    .withRow(new RowBuilder('Ingest'))
    .withPanel(
      promTimeseries('Ingest rate', 'reqps', [
        { expr: rate('vigil_events_received_total', 'stream'), legend: 'events {{stream}}' },
        { expr: 'sum(rate(vigil_points_received_total[$__rate_interval]))', legend: 'points' },
      ]),
    )
    .withPanel(
      promTimeseries('Rejections by reason', 'reqps', [
        { expr: rate('vigil_events_rejected_total', 'reason'), legend: 'event {{reason}}' },
        { expr: rate('vigil_points_rejected_total', 'reason'), legend: 'point {{reason}}' },
        {
          expr: 'sum(rate(vigil_ingest_queue_rejected_total[$__rate_interval]))',
          legend: 'queue full (429)',
        },
      ]),
    )
    .withPanel(
      promTimeseries('Queue depths', 'none', [
        { expr: 'vigil_ingest_queue_depth', legend: 'ingest queue' },
        { expr: 'vigil_influx_points_buffered', legend: 'InfluxDB writer buffer' },
      ]),
    )
    .withPanel(
      promTimeseries('Store commit p95', 's', [
        {
          expr: 'histogram_quantile(0.95, sum by (le) (rate(vigil_ingest_commit_duration_seconds_bucket[$__rate_interval])))',
          legend: 'p95',
        },
      ]),
    )
    .withPanel(
      promTimeseries('Outbox depth by target', 'bytes', [
        { expr: 'vigil_outbox_depth_bytes', legend: '{{target}}' },
      ]),
    )
    .withPanel(
      promTimeseries('Outbox oldest entry age', 's', [
        { expr: 'vigil_outbox_oldest_age_seconds', legend: '{{target}}' },
      ]),
    )
    .withRow(new RowBuilder('Rules'))
    .withPanel(
      promTimeseries('Evaluation duration p95 by group', 's', [
        {
          expr: 'histogram_quantile(0.95, sum by (le, group) (rate(vigil_rule_group_evaluation_duration_seconds_bucket[$__rate_interval])))',
          legend: '{{group}}',
        },
      ]),
    )
    .withPanel(
      // Both counters start to exist at their first increment. The `or on (group)` part adds a
      // zero series per evaluated group, so a healthy group reads 0 instead of "No data".
      promTimeseries('Missed evaluations and failures', 'none', [
        {
          expr: `sum by (group) (increase(vigil_rule_group_iterations_missed_total[$__rate_interval])) or on (group) ${zeroPerGroup}`,
          legend: 'missed {{group}}',
        },
        {
          expr: `sum by (group, rule) (increase(vigil_rule_evaluation_failures_total[$__rate_interval])) or on (group) ${zeroPerGroup}`,
          legend: 'failed {{group}} {{rule}}',
        },
      ]),
    )
    .withPanel(
      promTimeseries(
        'Notification failures',
        'none',
        [
          {
            expr: 'sum by (receiver) (increase(vigil_notifications_failed_total[$__rate_interval]))',
            legend: '{{receiver}}',
          },
        ],
        24,
      ),
    )
    .withRow(new RowBuilder('Process'))
    .withPanel(
      promTimeseries('Memory', 'bytes', [
        { expr: 'vigil_process_resident_memory_bytes', legend: 'resident' },
        { expr: 'vigil_nodejs_heap_size_used_bytes', legend: 'heap used' },
      ]),
    )
    .withPanel(
      promTimeseries('Event-loop lag', 's', [
        { expr: 'vigil_nodejs_eventloop_lag_p99_seconds', legend: 'p99' },
        { expr: 'vigil_nodejs_eventloop_lag_mean_seconds', legend: 'mean' },
      ]),
    );
}

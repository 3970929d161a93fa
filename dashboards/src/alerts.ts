import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';

import { vigilDashboard } from './common.ts';
import { promStat, promStateTimeline, promTable, promTimeseries } from './panels.ts';
import { firingAnnotation, ruleVariable } from './variables.ts';

const ruleMatch = 'rule=~"$rule"';

// Currently firing alerts, history and counts by rule, from the `vigil_alerts` gauge.
// NOTE: no panel reads the alert documents that Vigil sends to Elasticsearch yet, and the
// gauge carries no severity. Counts by severity therefore read Prometheus' ALERTS series, which
// exist only when Prometheus evaluates the rules exported by `vigil rules export --prometheus`.
export function alerts(): DashboardBuilder {
  return vigilDashboard(
    'vigil-alerts',
    'Vigil / Alerts',
    'Firing and pending alerts by rule from the vigil_alerts gauge, and notifications sent. ' +
      'Alert history here is the gauge over time.',
  )
    .withVariable(ruleVariable)
    .annotation(firingAnnotation(`, ${ruleMatch}`))
    .withRow(new RowBuilder('Now'))
    .withPanel(
      promStat('Firing', 'none', {
        expr: `sum(vigil_alerts{state="firing", ${ruleMatch}})`,
        legend: 'firing',
      }),
    )
    .withPanel(
      promStat('Pending', 'none', {
        expr: `sum(vigil_alerts{state="pending", ${ruleMatch}})`,
        legend: 'pending',
      }),
    )
    .withPanel(
      promStat(
        'Notifications failed (range)',
        'none',
        { expr: 'sum(increase(vigil_notifications_failed_total[$__range]))', legend: 'failed' },
        12,
      ),
    )
    .withPanel(
      promTable('Currently firing', [
        { expr: `vigil_alerts{state="firing", ${ruleMatch}} > 0`, legend: 'instances' },
      ]),
    )
    .withRow(new RowBuilder('History'))
    .withPanel(
      promStateTimeline('Firing periods by rule', {
        expr: `max by (rule) (vigil_alerts{state="firing", ${ruleMatch}})`,
        legend: '{{rule}}',
      }),
    )
    .withPanel(
      promTimeseries('Alert instances by rule and state', 'none', [
        { expr: `sum by (rule, state) (vigil_alerts{${ruleMatch}})`, legend: '{{rule}} {{state}}' },
      ]),
    )
    .withPanel(
      promTimeseries('Firing by severity (Prometheus rules)', 'none', [
        {
          expr: 'count by (severity) (ALERTS{alertstate="firing"})',
          legend: '{{severity}}',
        },
      ]),
    )
    .withRow(new RowBuilder('Notifications'))
    .withPanel(
      promTimeseries(
        'Notifications by receiver',
        'reqps',
        [
          {
            expr: 'sum by (receiver) (rate(vigil_notifications_sent_total[$__rate_interval]))',
            legend: 'sent {{receiver}}',
          },
          {
            expr: 'sum by (receiver) (rate(vigil_notifications_failed_total[$__rate_interval]))',
            legend: 'failed {{receiver}}',
          },
          {
            expr: 'sum by (receiver) (rate(vigil_notification_retries_total[$__rate_interval]))',
            legend: 'retried {{receiver}}',
          },
        ],
        24,
      ),
    );
}

import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';

import { vigilDashboard } from './common.ts';
import { promStat, promStateTimeline, promTable, promTimeseries } from './panels.ts';
import { searchCountsOverTime, searchCountsTable, searchDocumentsTable } from './search-panels.ts';
import { firingAnnotation, historyRuleVariable } from './variables.ts';

const ruleMatch = 'rule=~"$rule"';
// Lucene regex on the keyword field `rule`; `${rule:regex}` is `.*` for All.
const ruleQuery = 'rule:/${rule:regex}/';

// Alert history, counts by rule and severity from the alert documents that Vigil writes to the
// document store, and the current state from the `vigil_alerts` gauge on /metrics.
export function alerts(): DashboardBuilder {
  return vigilDashboard(
    'vigil-alerts',
    'Vigil / Alerts',
    'Alert history and counts by rule and severity from the vigil-alerts documents; firing ' +
      'and pending alerts and notifications from the vigil_alerts gauge and counters.',
  )
    .withVariable(historyRuleVariable)
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
    .withRow(new RowBuilder('History (document store)'))
    .withPanel(
      searchCountsOverTime('Firings by rule', `transition:firing AND ${ruleQuery}`, 'rule'),
    )
    .withPanel(
      searchCountsOverTime(
        'Firings by severity',
        `transition:firing AND ${ruleQuery}`,
        'labels.severity',
      ),
    )
    .withPanel(searchCountsTable('Transitions by rule', ruleQuery, 'rule'))
    .withPanel(
      searchCountsTable(
        'Firings by severity (range)',
        `transition:firing AND ${ruleQuery}`,
        'labels.severity',
      ),
    )
    .withPanel(searchDocumentsTable('Alert transitions', ruleQuery, 500))
    .withRow(new RowBuilder('State (Prometheus)'))
    .withPanel(
      promStateTimeline('Firing periods by rule', {
        expr: `max by (rule) (vigil_alerts{state="firing", ${ruleMatch}})`,
        legend: '{{rule}}',
      }),
    )
    .withPanel(
      promTimeseries(
        'Alert instances by rule and state',
        'none',
        [
          {
            expr: `sum by (rule, state) (vigil_alerts{${ruleMatch}})`,
            legend: '{{rule}} {{state}}',
          },
        ],
        24,
      ),
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

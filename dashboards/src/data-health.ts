import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';

import { vigilDashboard } from './common.ts';
import { promHeatmap, promTable, promTimeseries } from './panels.ts';
import { featureVariable, firingAnnotation, modelVariable } from './variables.ts';

const featureMatch = 'stream=~"$model", feature=~"$feature"';

// Drift, missing values and schema violations per feature, from the gauges of the drift.*,
// data.missing_rate and data.schema_violations rules. The drift method is the evaluator of
// the rule, and the gauges carry it only through the `rule` label.
export function dataHealth(): DashboardBuilder {
  return vigilDashboard(
    'vigil-data-health',
    'Vigil / Data health',
    'Drift per feature (statistic, p-value and the rule that names the test), dataset drift ' +
      'share, missing-value rate and schema violations.',
  )
    .withVariable(modelVariable)
    .withVariable(featureVariable)
    .annotation(firingAnnotation(''))
    .withRow(new RowBuilder('Drift'))
    .withPanel(
      promTable('Drift per feature (latest evaluation)', [
        { expr: `vigil_drift_statistic{${featureMatch}}`, legend: 'statistic' },
        { expr: `vigil_drift_p_value{${featureMatch}}`, legend: 'p-value' },
        { expr: `vigil_drift_current_samples{${featureMatch}}`, legend: 'current samples' },
      ]),
    )
    .withPanel(
      promHeatmap('Drift statistic per feature over time', 'none', {
        expr: `max by (feature) (vigil_drift_statistic{${featureMatch}})`,
        legend: '{{feature}}',
      }),
    )
    .withPanel(
      promTimeseries('P-value per feature', 'none', [
        { expr: `vigil_drift_p_value{${featureMatch}}`, legend: '{{feature}} ({{rule}})' },
      ]),
    )
    .withPanel(
      promTimeseries('Dataset drift share', 'percentunit', [
        { expr: 'vigil_drift_share_ratio{stream=~"$model"}', legend: '{{stream}} ({{rule}})' },
      ]),
    )
    .withRow(new RowBuilder('Data quality'))
    .withPanel(
      promTimeseries('Missing-value rate', 'percentunit', [
        { expr: `vigil_feature_missing_ratio{${featureMatch}}`, legend: '{{feature}} ({{rule}})' },
      ]),
    )
    .withPanel(
      promTimeseries('Schema violations', 'percentunit', [
        {
          expr: `vigil_schema_violations_ratio{${featureMatch}}`,
          legend: '{{feature}} ({{rule}})',
        },
      ]),
    )
    .withPanel(
      promTimeseries(
        'Events rejected by validation',
        'reqps',
        [
          {
            expr: 'sum by (reason) (rate(vigil_events_rejected_total[$__rate_interval]))',
            legend: '{{reason}}',
          },
        ],
        24,
      ),
    );
}

import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';

import { vigilDashboard } from './common.ts';
import { influxTimeseries, promStateTimeline, promTimeseries } from './panels.ts';
import { firingAnnotation, seriesVariable } from './variables.ts';

const seriesMatch = 'series=~"$series"';

// Each series with its anomaly score, forecast band and firing periods. Scores and forecasts
// come from the anomaly.* and forecast.* gauges; raw values from InfluxDB, where the series
// name is the measurement and `value` the field.
export function trends(): DashboardBuilder {
  return vigilDashboard(
    'vigil-trends',
    'Vigil / Trends and anomalies',
    'Series values with anomaly scores, forecast bands and firing periods. The raw values and ' +
      'result history read InfluxDB, which Vigil fills when store.series is configured.',
  )
    .withVariable(seriesVariable)
    .annotation(firingAnnotation(''))
    .withRow(new RowBuilder('Values'))
    .withPanel(
      influxTimeseries(
        'Series values (InfluxDB)',
        'none',
        [
          // NOTE: with All selected, this regex also matches Vigil's own measurements
          // (vigil_results, vigil_operations), so their `value` fields appear here too.
          'SELECT mean("value") FROM /^$series$/ WHERE $timeFilter GROUP BY time($__interval), * fill(none)',
        ],
        24,
      ),
    )
    .withPanel(
      promTimeseries(
        'Forecast band',
        'none',
        [
          { expr: `vigil_forecast_holt{${seriesMatch}}`, legend: 'Holt {{series}}' },
          { expr: `vigil_forecast_holt_lower{${seriesMatch}}`, legend: 'Holt lower {{series}}' },
          { expr: `vigil_forecast_holt_upper{${seriesMatch}}`, legend: 'Holt upper {{series}}' },
          {
            expr: `vigil_forecast_holt_winters{${seriesMatch}}`,
            legend: 'Holt-Winters {{series}}',
          },
          {
            expr: `vigil_forecast_holt_winters_lower{${seriesMatch}}`,
            legend: 'Holt-Winters lower {{series}}',
          },
          {
            expr: `vigil_forecast_holt_winters_upper{${seriesMatch}}`,
            legend: 'Holt-Winters upper {{series}}',
          },
        ],
        24,
      ),
    )
    .withRow(new RowBuilder('Anomalies'))
    .withPanel(
      promTimeseries('Anomaly score', 'none', [
        { expr: `vigil_anomaly_score{${seriesMatch}}`, legend: '{{series}} ({{rule}})' },
        { expr: `vigil_anomaly_max_score{${seriesMatch}}`, legend: 'max {{series}} ({{rule}})' },
      ]),
    )
    .withPanel(
      influxTimeseries('Anomaly score history (InfluxDB)', 'none', [
        'SELECT mean("max_score") FROM "vigil_results" WHERE "evaluator" =~ /^anomaly\\./ AND $timeFilter GROUP BY time($__interval), "rule" fill(none)',
      ]),
    )
    .withPanel(
      promStateTimeline('Firing periods', {
        expr: 'max by (rule) (vigil_alerts{state="firing"})',
        legend: '{{rule}}',
      }),
    )
    .withRow(new RowBuilder('Trend'))
    .withPanel(
      promTimeseries('Sen slope', 'none', [
        { expr: `vigil_trend_sen_slope{${seriesMatch}}`, legend: '{{series}} ({{rule}})' },
      ]),
    )
    .withPanel(
      promTimeseries('Mann-Kendall p-value', 'none', [
        {
          expr: `vigil_trend_mann_kendall_p_value{${seriesMatch}}`,
          legend: '{{series}} ({{rule}})',
        },
      ]),
    );
}

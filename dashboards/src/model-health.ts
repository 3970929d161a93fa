import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';

import { modelMatch, vigilDashboard } from './common.ts';
import { promStat, promTimeseries } from './panels.ts';
import { firingAnnotation, modelVariable, versionVariable } from './variables.ts';

const legend = '{{stream}} {{version}} ({{rule}})';

// Quality, latency, errors and throughput per model and version, from the gauges that the
// quality.*, ops.latency, ops.error_rate and ops.throughput rules set on /metrics.
export function modelHealth(): DashboardBuilder {
  return vigilDashboard(
    'vigil-model-health',
    'Vigil / Model health',
    'Quality, latency, error rate and throughput per model and version. A panel stays empty ' +
      'until a rule with that evaluator runs on the model.',
  )
    .withVariable(modelVariable)
    .withVariable(versionVariable)
    .annotation(firingAnnotation(''))
    .withRow(new RowBuilder('Now'))
    .withPanel(
      promStat('Accuracy', 'percentunit', {
        expr: `vigil_model_accuracy_ratio{${modelMatch}}`,
        legend,
      }),
    )
    .withPanel(
      promStat('Error rate', 'percentunit', {
        expr: `vigil_model_error_ratio{${modelMatch}}`,
        legend,
      }),
    )
    .withPanel(
      promStat('p95 latency', 's', {
        expr: `vigil_model_latency_p95_seconds{${modelMatch}}`,
        legend,
      }),
    )
    .withPanel(
      promStat('Throughput', 'reqps', {
        expr: `vigil_model_throughput_events_per_second{${modelMatch}}`,
        legend,
      }),
    )
    .withRow(new RowBuilder('Classification'))
    .withPanel(
      promTimeseries('Accuracy', 'percentunit', [
        { expr: `vigil_model_accuracy_ratio{${modelMatch}}`, legend },
      ]),
    )
    .withPanel(
      promTimeseries('F1', 'percentunit', [
        { expr: `vigil_model_f1_ratio{${modelMatch}}`, legend: '{{stream}} {{version}} {{class}}' },
      ]),
    )
    .withRow(new RowBuilder('Regression'))
    .withPanel(
      promTimeseries(
        'MAE and RMSE',
        'none',
        [
          { expr: `vigil_model_mae{${modelMatch}}`, legend: `MAE ${legend}` },
          { expr: `vigil_model_rmse{${modelMatch}}`, legend: `RMSE ${legend}` },
        ],
        16,
      ),
    )
    .withPanel(promTimeseries('R²', 'none', [{ expr: `vigil_model_r2{${modelMatch}}`, legend }], 8))
    .withRow(new RowBuilder('Serving'))
    .withPanel(
      promTimeseries('Latency p50, p95, p99', 's', [
        { expr: `vigil_model_latency_p50_seconds{${modelMatch}}`, legend: `p50 ${legend}` },
        { expr: `vigil_model_latency_p95_seconds{${modelMatch}}`, legend: `p95 ${legend}` },
        { expr: `vigil_model_latency_p99_seconds{${modelMatch}}`, legend: `p99 ${legend}` },
      ]),
    )
    .withPanel(
      promTimeseries('Error rate', 'percentunit', [
        { expr: `vigil_model_error_ratio{${modelMatch}}`, legend },
      ]),
    )
    .withPanel(
      promTimeseries(
        'Throughput',
        'reqps',
        [
          { expr: `vigil_model_throughput_events_per_second{${modelMatch}}`, legend },
          {
            expr: 'sum by (stream) (rate(vigil_events_received_total{stream=~"$model"}[$__rate_interval]))',
            legend: '{{stream}} ingested',
          },
        ],
        24,
      ),
    );
}

import {
  AnnotationQueryBuilder,
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';

import { prometheus } from './datasources.ts';

// A multi-value Prometheus label variable. `All` expands to `.*`, so queries match with `=~`.
function labelVariable(name: string, label: string, query: string): QueryVariableBuilder {
  return new QueryVariableBuilder(name)
    .label(label)
    .datasource(prometheus)
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ selected: true, text: 'All', value: '$__all' });
}

// A model is a prediction stream: events carry `stream` and the model `version`.
export const modelVariable = labelVariable(
  'model',
  'Model',
  'label_values(vigil_events_received_total, stream)',
);

export const versionVariable = labelVariable(
  'version',
  'Version',
  'label_values(vigil_model_throughput_events_per_second{stream=~"$model"}, version)',
);

export const featureVariable = labelVariable(
  'feature',
  'Feature',
  'label_values(vigil_drift_statistic{stream=~"$model"}, feature)',
);

export const seriesVariable = labelVariable(
  'series',
  'Series',
  'label_values(vigil_anomaly_score, series)',
);

export const ruleVariable = labelVariable('rule', 'Rule', 'label_values(vigil_alerts, rule)');

// Firing alerts of Vigil's own rules as annotations, from the `vigil_alerts` gauge.
export function firingAnnotation(ruleFilter: string): AnnotationQueryBuilder {
  return new AnnotationQueryBuilder()
    .name('Firing alerts')
    .datasource(prometheus)
    .enable(true)
    .iconColor('red')
    .expr(`max by (rule) (vigil_alerts{state="firing"${ruleFilter}}) > 0`)
    .titleFormat('{{rule}} firing')
    .tagKeys('rule')
    .step('60s');
}

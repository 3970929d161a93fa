import {
  AnnotationQueryBuilder,
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';

import type { DataSourceRef } from '@grafana/schema';

import { alertHistory, prometheus } from './datasources.ts';

// A multi-value query variable. `All` expands to `.*`, so queries match with `=~` (PromQL) or as
// a regex (`/${name:regex}/` in Lucene).
function multiValueVariable(
  name: string,
  label: string,
  query: string,
  datasource: DataSourceRef = prometheus,
): QueryVariableBuilder {
  return new QueryVariableBuilder(name)
    .label(label)
    .datasource(datasource)
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
export const modelVariable = multiValueVariable(
  'model',
  'Model',
  'label_values(vigil_events_received_total, stream)',
);

export const versionVariable = multiValueVariable(
  'version',
  'Version',
  'label_values(vigil_model_throughput_events_per_second{stream=~"$model"}, version)',
);

export const featureVariable = multiValueVariable(
  'feature',
  'Feature',
  'label_values(vigil_drift_statistic{stream=~"$model"}, feature)',
);

export const seriesVariable = multiValueVariable(
  'series',
  'Series',
  'label_values(vigil_anomaly_score, series)',
);

export const ruleVariable = multiValueVariable('rule', 'Rule', 'label_values(vigil_alerts, rule)');

// The rules that have alert history in the document store, for a dashboard that must work
// without Prometheus. A query writes it as `${rule:regex}`, which is `.*` for All.
export const historyRuleVariable = multiValueVariable(
  'rule',
  'Rule',
  '{"find": "terms", "field": "rule"}',
  alertHistory,
);

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

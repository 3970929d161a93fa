import type { DataSourceRef } from '@grafana/schema';

// Datasource uids provisioned by compose/grafana/provisioning/datasources/vigil.yaml. Panels and
// targets reference a datasource by uid, so renaming a datasource in Grafana breaks nothing.
export const prometheus: DataSourceRef = { type: 'prometheus', uid: 'vigil-prometheus' };
export const influx: DataSourceRef = { type: 'influxdb', uid: 'vigil-influxdb' };
export const elasticsearch: DataSourceRef = { type: 'elasticsearch', uid: 'vigil-elasticsearch' };
// The same Elasticsearch with the index `vigil-alerts`, the data stream of alert transitions.
// Grafana's Elasticsearch datasource queries one index pattern, so the alert panels get their own.
export const alertHistory: DataSourceRef = { type: 'elasticsearch', uid: 'vigil-alert-history' };

export const provisionedUids: readonly string[] = [
  prometheus,
  influx,
  elasticsearch,
  alertHistory,
].map((ref) => ref.uid ?? '');

import type { DataSourceRef } from '@grafana/schema';

// Datasource uids provisioned by compose/grafana/provisioning/datasources/vigil.yaml. Panels and
// targets reference a datasource by uid, so renaming a datasource in Grafana breaks nothing.
export const prometheus: DataSourceRef = { type: 'prometheus', uid: 'vigil-prometheus' };
export const influx: DataSourceRef = { type: 'influxdb', uid: 'vigil-influxdb' };
export const elasticsearch: DataSourceRef = { type: 'elasticsearch', uid: 'vigil-elasticsearch' };

export const provisionedUids: readonly string[] = [prometheus, influx, elasticsearch].map(
  (ref) => ref.uid ?? '',
);
